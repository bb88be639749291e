"""The deployment kit holds together: Debian's nginx accepts the site (TLS, WebSocket upgrade), its upload
limit is the app's, and the systemd unit starts the app on loopback in sign-in mode with the lake and the
keys outside the code folder."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx-pantau.conf"
UNIT = ROOT / "deploy" / "pantau.service"


@pytest.mark.skipif(not Path("/usr/sbin/nginx").exists() or not shutil.which("openssl"), reason="nginx or openssl absent")
def test_debian_nginx_accepts_the_site(tmp_path):
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=pantau.test",
                    "-keyout", str(tmp_path / "privkey.pem"), "-out", str(tmp_path / "fullchain.pem")],
                   check=True, capture_output=True)
    site = SITE.read_text().replace("/etc/ssl/pantau", str(tmp_path))
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  client_body_temp_path {tmp_path}/body;\n  include {tmp_path}/site.conf;\n}}\n")
    done = subprocess.run(["/usr/sbin/nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "proxy_set_header Upgrade $http_upgrade" in site and "server 127.0.0.1:8501;" in site


def test_the_upload_limit_is_the_apps_and_the_unit_serves_loopback_with_data_outside_the_code():
    limit = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"]
    assert f"client_max_body_size {limit}m;" in SITE.read_text()
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str
    unit.read_string(UNIT.read_text())
    service = unit["Service"]
    assert "--server.address 127.0.0.1" in service["ExecStart"] and service["User"] == "pantau"
    assert service["Restart"] == "on-failure"
    values = [v.split("=", 1) for v in (line.split("=", 1)[1] for line in UNIT.read_text().splitlines()
                                         if line.startswith("Environment="))]
    env = dict(values)
    assert env["PANTAU_MODE"] == "masuk"  # behind nginx every request is proxied: local mode would refuse it
    assert int(env["PANTAU_WORKERS"]) >= 2  # a worker per core, behind the pool's nginx
    for name in ("PANTAU_LAKE", "PANTAU_USERS", "PANTAU_KEY_FILE"):
        assert not env[name].startswith(service["WorkingDirectory"])  # never in the code folder
