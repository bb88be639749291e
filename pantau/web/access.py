"""Who may see and do what: roles, area scope, the sign-in mode, and the audit log. No Streamlit here.

Scope is enforced where the data is read (ui.run calls check_params before a query and narrow after
it), so a page that forgot a check still cannot show another kota's rows.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import yaml

from pantau import settings
from pantau.errors import KeyedError
from pantau.lake import audit as audit_chain

ROLES = ("admin", "analis", "opd", "viewer")
# Pages a role may open (url paths of app.py).
READ_PAGES = ("ringkasan", "peta", "wilayah", "tren", "rekonsiliasi", "drainase", "prioritas", "tindak_lanjut", "presentasi")
PAGES = {
    "admin": (*READ_PAGES, "data", "audit"),
    "analis": (*READ_PAGES, "data"),
    "opd": (*READ_PAGES, "data"),
    "viewer": READ_PAGES,
}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
FAILURES_BEFORE_DELAY = 3


class AccessDenied(KeyedError):
    """Something this user's role or area may not see or do."""


@dataclass(frozen=True)
class User:
    """A signed-in person (or the single local user), their role and the area they are limited to."""

    username: str
    name: str
    role: str
    kota: str | None = None
    kecamatan: str | None = None
    opd: str | None = None
    indikator: tuple[str, ...] = ()

    @property
    def area(self) -> str | None:
        """The code prefix every row this user sees must have (kecamatan before kota)."""
        return self.kecamatan or self.kota


LOCAL_USER = User("lokal", "Pengguna lokal", "admin")


def users_file() -> Path:
    """The users and their bcrypt hashes (PANTAU_USERS overrides data/kunci/pengguna.yaml; not in git)."""
    return Path(os.environ.get("PANTAU_USERS", settings.ROOT / "data" / "kunci" / "pengguna.yaml"))


def mode() -> str:
    """"lokal" (one person on this laptop, no sign-in) or "masuk" (sign-in); PANTAU_MODE chooses it.

    Without PANTAU_MODE, a users file means sign-in; no users file means local mode, which serve()
    allows only on a local address.
    """
    chosen = os.environ.get("PANTAU_MODE", "").strip().lower()
    if chosen in ("lokal", "masuk"):
        return chosen
    return "masuk" if users_file().is_file() else "lokal"


PROXY_HEADERS = ("x-forwarded-for", "forwarded", "x-real-ip")


def trusted_proxies() -> set[str]:
    """The reverse proxies the operator vouches for (PANTAU_TRUSTED_PROXIES, comma-separated addresses)."""
    return {a.strip() for a in os.environ.get("PANTAU_TRUSTED_PROXIES", "").split(",") if a.strip()}


def local_client_allowed(peer: str | None, headers: dict[str, str]) -> bool:
    """Whether local mode (no sign-in, every user an admin) may serve this client: only a browser on this
    machine. `peer` is the connection's address (None when Streamlit saw loopback). A request with
    forwarding headers is from someone else, even when the proxy runs on this machine, unless the operator
    named that proxy in PANTAU_TRUSTED_PROXIES: then every address of X-Forwarded-For (the browser and any
    proxy before the named one) must be this machine."""
    if peer is not None and not is_local(peer):
        return False
    lowered = {k.lower(): v for k, v in headers.items()}
    if not any(name in lowered for name in PROXY_HEADERS):
        return True
    trusted = trusted_proxies()
    # Streamlit reports a loopback peer as None: a proxy on this machine is trusted when a loopback address is.
    via_trusted = peer in trusted if peer is not None else bool(trusted & {"127.0.0.1", "::1", "localhost"})
    if not via_trusted or "x-forwarded-for" not in lowered:
        return False  # only X-Forwarded-For from a named proxy is read; nothing else is guessed at
    hops = [h.strip() for h in lowered.get("x-forwarded-for", "").split(",") if h.strip()]
    # Every hop, not only the last: behind two proxies on this machine (a TLS site in front of the
    # `--workers` pool's nginx) the last hop is the first proxy, and the browser is the hop before it.
    return bool(hops) and all(is_local(h) for h in hops)


def is_local(address: str) -> bool:
    if address in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def check_bind(address: str) -> None:
    """Refuse to serve without sign-in on an address other people can reach."""
    if mode() == "lokal" and not is_local(address):
        raise AccessDenied("access.local_only", address=address)
    if mode() == "masuk" and not users_file().is_file():
        raise AccessDenied("access.no_users", path=str(users_file()))


def load_config() -> dict:
    path = users_file()
    if not path.is_file():
        return {"credentials": {"usernames": {}}, "cookie": {}}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {"credentials": {"usernames": {}}}


def save_user(username: str, name: str, password: str, role: str, kota: str | None = None,
              kecamatan: str | None = None, opd: str | None = None, indikator: tuple[str, ...] = ()) -> None:
    """Add or update a user with a bcrypt hash of the password (the password itself is never written)."""
    import bcrypt

    if role not in ROLES:
        raise AccessDenied("access.bad_role", role=role, roles=", ".join(ROLES))
    if len(password) < 10:
        raise AccessDenied("access.short_password")
    if kecamatan and not (kota and kecamatan.startswith(kota + ".")):
        raise AccessDenied("access.bad_scope", kecamatan=kecamatan)
    config = load_config()
    config.setdefault("credentials", {}).setdefault("usernames", {})[username] = {
        "name": name, "password": bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds=12)).decode("ascii"),
        "roles": [role], "kota": kota, "kecamatan": kecamatan, "opd": opd, "indikator": list(indikator),
    }
    path = users_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        yaml.safe_dump(config, handle, allow_unicode=True, sort_keys=True)


# Checked against when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = b"$2b$12$2Re39M1OQrgIrTn8YnroZe0bSjGTbPC3DRUvtons5Xjg9Jc6tZzHi"


def verify(username: str, password: str) -> User | None:
    """The user when the password matches its bcrypt hash; None otherwise (the password is never kept)."""
    import bcrypt

    entry = load_config().get("credentials", {}).get("usernames", {}).get(username)
    stored = entry["password"].encode("ascii") if entry else _DUMMY_HASH
    try:
        ok = bcrypt.checkpw(password.encode("utf-8"), stored)
    except ValueError:
        ok = False
    return user_from_config(load_config(), username) if ok and entry else None


def user_from_config(config: dict, username: str) -> User:
    entry = config["credentials"]["usernames"][username]
    return User(username, entry.get("name") or username, (entry.get("roles") or ["viewer"])[0], entry.get("kota"),
                entry.get("kecamatan"), entry.get("opd"), tuple(entry.get("indikator") or ()))


def can_open(user: User, page: str) -> bool:
    return page in PAGES.get(user.role, ())


def can(user: User, action: str, indikator: str | None = None, opd: str | None = None) -> bool:
    """Whether the user may: upload (an indicator), undo, edit (priorities, actions, drainage status), audit."""
    if user.role == "admin":
        return True
    if action == "upload":
        return user.role == "analis" or (user.role == "opd" and indikator in user.indikator)
    if action == "edit":
        return user.role == "analis"
    if action == "edit_action":  # update an action: analis, or the OPD it was given to
        return user.role == "analis" or (user.role == "opd" and opd is not None and opd == user.opd)
    if action == "drainase_status":
        return user.role == "analis" or (user.role == "opd" and "drainase" in user.indikator)
    return False


def require(user: User, action: str, **context) -> None:
    if not can(user, action, **context):
        raise AccessDenied("access.denied", role=user.role)


_AREA_PARAMS = ("kota_kode", "wilayah_kode", "kelurahan_kode")


def check_params(user: User, query: str, params: dict) -> None:
    """Refuse a query whose kota, wilayah or kelurahan lies outside the user's area.

    `kota_kode` lists a kota's rows (narrow() then keeps the area's); `wilayah_kode` is the area a total
    is summed over, so it must be the user's area or lie inside it: a camat's whole-kota total is refused.
    """
    if not user.kota:
        return
    area = user.area or ""
    for name in _AREA_PARAMS:
        value = params.get(name)
        if value is None:
            continue
        value = str(value)
        if name == "kota_kode":
            inside = value == user.kota
        elif name == "wilayah_kode":
            inside = value == area or value.startswith(area + ".")
        else:
            inside = value.startswith(area + ".")
        if not inside:
            raise AccessDenied("access.outside_area", query=query, area=user.area)


def narrow(user: User, frame, query: str = ""):
    """Only the rows of the user's area, for queries that list several kota, kecamatan or kelurahan.

    The kota's own row stays only in the list of kota (its name); elsewhere a kota row is a total
    over other kecamatan too, and a kecamatan-limited user does not get it.
    """
    if not user.area or frame is None or not len(frame):
        return frame
    for column in ("kelurahan_kode", "kode", "kota_kode"):
        if column in frame.columns:
            values = frame[column].astype(str)
            prefix = user.kota if column == "kota_kode" else user.area
            keep = values.eq(prefix) | values.str.startswith(prefix + ".")
            if column == "kode" and query == "kota_list":
                keep |= values.map(lambda k: (user.area or "").startswith(k + "."))
            return frame[keep]
    return frame


AUDIT_SCHEMA = audit_chain.SCHEMA


def audit(lake, user: User | None, aksi: str, objek: str = "", hasil: str = "ok") -> None:
    """Append who did what and how it ended, as the next link of the audit chain; never a password, NIK or
    name of a resident."""
    audit_chain.append(lake, {"waktu": dt.datetime.now(dt.timezone.utc), "pengguna": user.username if user else None,
                              "peran": user.role if user else None, "aksi": aksi, "objek": objek[:200],
                              "hasil": hasil[:200]})


def recent_failures(lake, username: str, within: dt.timedelta = dt.timedelta(minutes=15)) -> int:
    """Failed sign-ins of a user name in the last minutes (for the slowdown)."""
    if not lake.exists("audit"):
        return 0
    import pyarrow.compute as pc

    since = pa.scalar(dt.datetime.now(dt.timezone.utc) - within, pa.timestamp("us", tz="UTC"))
    wanted = ((pc.field("aksi") == "masuk") & (pc.field("hasil") == "gagal") & (pc.field("objek") == username)
              & (pc.field("waktu") > since))
    return lake.dataset("audit").count_rows(filter=wanted)


def delay_for(failures: int) -> int:
    """Seconds to wait before the next try: none for the first few, then doubling up to a minute."""
    return 0 if failures < FAILURES_BEFORE_DELAY else min(60, 2 ** (failures - FAILURES_BEFORE_DELAY + 1))
