"""`python -m pantau serve --workers N`: N Streamlit processes behind Debian's nginx, started and stopped
together.

One Python process runs one page at a time per core it can get (the GIL); a room of a hundred phones
needs every core. nginx listens where the single server would (the --server.address and
--server.port given, 127.0.0.1:8501 by default), upgrades the WebSocket and keeps each browser on one
worker for the life of its session: a cookie (`pantau_worker`, random, set by nginx on the first
response) is hashed onto the workers, so phones behind one Wi-Fi router are still spread over all of
them (an address hash would put them on one). The workers listen on loopback ports of their own, share
the one lake (a commit of one is seen by the others within half a second; the lake's writer lock keeps
commits serial) and one cookie secret (a sign-in or upload token made by one is valid on all). They
read the client's address from nginx's X-Forwarded-For, so local mode still refuses another computer.
If a worker or nginx stops, the rest are stopped too and the command exits non-zero: the service
manager (deploy/pantau.service) restarts the whole set.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

NGINX_CANDIDATES = ("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx")

CONF = """# Written by `pantau serve --workers {workers}`; removed when it stops.
{user}worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/error.log warn;
daemon off;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    client_max_body_size {upload_mb}m;

    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ''      close;
    }}
    # A browser keeps the worker it first got: its session, uploads and downloads live there.
    map $cookie_pantau_worker $pantau_worker {{
        ""      $request_id;
        default $cookie_pantau_worker;
    }}
    upstream pantau {{
        hash $pantau_worker consistent;
{servers}
    }}
    server {{
        listen {listen};
        location / {{
            proxy_pass http://pantau;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 1d;
            proxy_buffering off;
            add_header Set-Cookie "pantau_worker=$pantau_worker; Path=/; HttpOnly; SameSite=Lax" always;
            add_header X-Pantau-Upstream $upstream_addr always;  # which worker answered (loopback ports)
        }}
    }}
}}
"""


def nginx_path() -> str | None:
    """Debian's nginx (package nginx-light), or None when it is not installed."""
    found = shutil.which("nginx")
    return found or next((p for p in NGINX_CANDIDATES if Path(p).exists()), None)


def free_ports(n: int) -> list[int]:
    sockets, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        sockets.append(s)
        ports.append(s.getsockname()[1])
    for s in sockets:
        s.close()
    return ports


def option(args: list[str], name: str, default: str) -> str:
    """The value of a Streamlit option in `--name value` or `--name=value` form."""
    for i, arg in enumerate(args):
        if arg.startswith(f"--{name}="):
            return arg.split("=", 1)[1]
        if arg == f"--{name}" and i + 1 < len(args):
            return args[i + 1]
    return default


def without(args: list[str], names: tuple[str, ...]) -> list[str]:
    """The Streamlit options without the listed ones (the workers get their own address and port)."""
    out, skip = [], False
    for arg in args:
        if skip:
            skip = False
            continue
        name = arg[2:].split("=", 1)[0] if arg.startswith("--") else None
        if name in names:
            skip = "=" not in arg
            continue
        out.append(arg)
    return out


def nginx_conf(run_dir: Path, listen: str, ports: list[int], upload_mb: int, user: str = "") -> str:
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=0;" for p in ports)
    return CONF.format(workers=len(ports), run=run_dir, servers=servers, listen=listen, upload_mb=upload_mb,
                       user=f"user {user};\n" if user else "")


def _prepare(run_dir: Path) -> str:
    """nginx's temporary folders; started by root, its worker runs as nobody and owns only these."""
    run_dir.chmod(0o755)
    owner = ""
    ids = None
    if os.geteuid() == 0:
        import grp
        import pwd

        with contextlib.suppress(KeyError):
            who = pwd.getpwnam("nobody")
            group = grp.getgrgid(who.pw_gid).gr_name
            ids, owner = (who.pw_uid, who.pw_gid), f"nobody {group}"
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (run_dir / sub).mkdir()
        if ids:
            os.chown(run_dir / sub, *ids)
    return owner


def _listen(address: str, port: str) -> str:
    if address in ("", "0.0.0.0"):
        return port
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


def _healthy(port: int) -> bool:
    with contextlib.suppress(OSError):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as resp:
            return resp.status == 200
    return False


def main(workers: int, streamlit_args: list[str]) -> int:
    """Start the workers and nginx in front of them; return when any of them stops (or on SIGTERM)."""
    from pantau.errors import UsageError
    from pantau.ingest.pipeline import MAX_UPLOAD_MB
    from pantau.lake.store import Lake
    from pantau.web import access, serve

    nginx = nginx_path()
    if nginx is None:
        raise UsageError("serve.no_nginx")
    address = option(streamlit_args, "server.address", os.environ.get("STREAMLIT_SERVER_ADDRESS", "127.0.0.1"))
    port = option(streamlit_args, "server.port", os.environ.get("STREAMLIT_SERVER_PORT", "8501"))
    access.check_bind(address)
    serve.warm(Lake())  # the demo is built once, before any worker could start building it beside another
    rest = without(streamlit_args, ("server.address", "server.port"))
    ports = free_ports(workers)
    env = {**os.environ,
           # One secret for all: a token signed by one worker is valid on every other.
           "STREAMLIT_SERVER_COOKIE_SECRET": os.environ.get("STREAMLIT_SERVER_COOKIE_SECRET") or secrets.token_hex(32),
           # nginx on this machine is the proxy whose X-Forwarded-For the workers read.
           "PANTAU_TRUSTED_PROXIES": ",".join(filter(None, [os.environ.get("PANTAU_TRUSTED_PROXIES"), "127.0.0.1"])),
           # Each worker's DuckDB gets its share of the cores: N workers never run N x cores query threads.
           "PANTAU_DUCKDB_THREADS": os.environ.get("PANTAU_DUCKDB_THREADS") or str(max(1, (os.cpu_count() or 1) // workers)),
           "PANTAU_WORKERS": "1"}  # each child serves itself, it does not start a pool of its own
    procs: list[subprocess.Popen] = []
    run_dir = Path(tempfile.mkdtemp(prefix="pantau-nginx-"))
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        for p in ports:
            procs.append(subprocess.Popen([sys.executable, "-m", "pantau", "serve", "--server.address", "127.0.0.1",
                                           "--server.port", str(p), *rest], env=env))
        deadline = time.monotonic() + 180
        while not all(_healthy(p) for p in ports):
            if stopping or any(proc.poll() is not None for proc in procs) or time.monotonic() > deadline:
                return 1
            time.sleep(0.3)
        user = _prepare(run_dir)
        conf = run_dir / "nginx.conf"
        conf.write_text(nginx_conf(run_dir, _listen(address, port), ports, MAX_UPLOAD_MB, user), encoding="utf-8")
        procs.append(subprocess.Popen([nginx, "-p", str(run_dir), "-e", str(run_dir / "error.log"), "-c", str(conf)]))
        print(f"Pantau Kota: {workers} workers behind nginx at http://{address}:{port}", flush=True)
        while not stopping and all(proc.poll() is None for proc in procs):
            time.sleep(0.5)
        return 0 if stopping else 1
    finally:
        for proc in reversed(procs):
            if proc.poll() is None:
                proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(run_dir, ignore_errors=True)
