"""The catalogs in pantau/locale: complete in both languages, the same placeholders, flagged, the English notes in
step with the Indonesian, every message used and every key the code asks for present; and what t() does."""

import ast
import re
import shutil
import string
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from pantau import i18n
from pantau.i18n import LANGS, TEXTS, catalog_path, t

ROOT = Path(__file__).resolve().parent.parent
CODE = sorted({*ROOT.glob("pantau/**/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py", *ROOT.glob("scripts/*.py"),
               *ROOT.glob("bench/*.py")})
AREAS = ("umum", "analisis", "unggah", "kerja", "rakor")
# The constant start of a key the code builds, as in t(f"report.col.{column}"): dotted words ending in a dot.
KEY_PREFIX = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)*\.")


def catalog(lang: str) -> dict:
    """msgid → babel Message of one catalog, in file order."""
    with catalog_path(lang).open("rb") as f:
        return {m.id: m for m in read_po(f, abort_invalid=True) if m.id}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def words(text: str) -> list[str]:
    return text.split()


CATALOGS = {lang: catalog(lang) for lang in LANGS}


def scan_code() -> tuple[set[str], set[str], set[str]]:
    """Every string literal in the code, the keys it passes to t() as literals, and the key prefixes of its
    f-strings (f"report.col.{column}", also outside a t() call: key = f"audit.{kind}.{code}")."""
    literals, called, prefixes = set(), set(), set()
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
            elif isinstance(node, ast.JoinedStr) and len(node.values) > 1:
                first, second = node.values[:2]
                if (isinstance(first, ast.Constant) and isinstance(second, ast.FormattedValue)
                        and KEY_PREFIX.fullmatch(first.value)):
                    prefixes.add(first.value)
            elif (isinstance(node, ast.Call) and node.args and getattr(node.func, "id", getattr(node.func, "attr", None)) == "t"
                  and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                called.add(node.args[0].value)
    return literals, called, prefixes


LITERALS, CALLED, PREFIXES = scan_code()


def test_every_message_is_in_both_languages():
    ids, ens = CATALOGS["id"], CATALOGS["en"]
    assert not set(ids) - set(ens), f"missing in English: {sorted(set(ids) - set(ens))}"
    assert not set(ens) - set(ids), f"missing in Indonesian: {sorted(set(ens) - set(ids))}"
    for lang, messages in CATALOGS.items():
        assert not [k for k, m in messages.items() if not m.string.strip()], f"empty msgstr in {lang}"
        assert not [k for k, m in messages.items() if m.fuzzy], f"fuzzy entries in {lang}"


def test_both_languages_have_the_same_placeholders():
    for key, message in CATALOGS["id"].items():
        assert placeholders(message.string) == placeholders(CATALOGS["en"][key].string), key


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
@pytest.mark.parametrize("lang", LANGS)
def test_gettext_tools_accept_the_catalog(lang, tmp_path):
    """What a translator's tool (Poedit, msgfmt) checks: the catalog compiles without an error or a warning.
    The entries carry no python-brace-format flag: with keys as msgid, msgfmt -c would compare the text's
    placeholders with the key's (none); the placeholder test above does that check between the languages."""
    done = subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "pantau.mo"), str(catalog_path(lang))],
                          capture_output=True, text=True)
    assert done.returncode == 0 and not done.stderr, done.stderr


@pytest.mark.parametrize("lang", LANGS)
def test_every_placeholder_can_be_filled(lang):
    for key in TEXTS:
        names = {re.split(r"[.\[]", name)[0] for name in placeholders(CATALOGS["id"][key].string)}
        t(key, lang, **{name: "x" for name in names})


def test_every_message_names_its_area_and_english_shows_the_indonesian():
    for key, message in CATALOGS["id"].items():
        area = [c for c in message.auto_comments if c.startswith("Area: ")]
        assert len(area) == 1 and area[0][6:] in AREAS, (key, message.auto_comments)
        en = CATALOGS["en"][key].auto_comments
        assert en[:1] == area, (key, en)
        # The note is wrapped over lines; its words are the Indonesian text's.
        note = " ".join(en[1:])
        assert note.startswith("Indonesian: ") and words(note[12:]) == words(message.string), \
            f"{key}: the “Indonesian:” note in the English catalog is not the Indonesian text"


def test_the_catalog_order_follows_the_areas():
    areas = [m.auto_comments[0][6:] for m in CATALOGS["id"].values()]
    assert areas == sorted(areas, key=AREAS.index)
    assert list(CATALOGS["en"]) == list(CATALOGS["id"])


def test_every_key_the_code_uses_exists():
    assert CALLED and PREFIXES, "no t() call or built key found"
    assert not CALLED - set(TEXTS), CALLED - set(TEXTS)
    built = [p for p in PREFIXES if not any(k.startswith(p) for k in TEXTS)]
    assert not built, f"f-string keys that start like no key: {built}"


def test_every_message_is_used():
    unused = [k for k in TEXTS if k not in LITERALS and not k.startswith(tuple(PREFIXES))]
    assert not unused, f"in the catalogs but not in the code: {unused}"


def test_t_fills_values_and_defaults_to_indonesian():
    assert t("filter.kota") == "Kota"
    assert t("filter.kota", "en") == "City"
    assert t("filter.kota", "fr") == "Kota"
    assert t("profil.title", "id", nama="Lok Tuan") == "Profil Lok Tuan"
    with pytest.raises(KeyError):
        t("no.such.key")
    with pytest.raises(TypeError):
        TEXTS["filter.kota"] = ("x", "y")


def test_a_missing_catalog_or_a_key_given_twice_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "LOCALE", tmp_path)
    with pytest.raises(FileNotFoundError):
        i18n.read_catalog("id")
    path = i18n.catalog_path("id")
    path.parent.mkdir(parents=True)
    entry = 'msgid "filter.kota"\nmsgstr "Kota"\n\n'
    path.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=utf-8\\n"\n\n' + entry, encoding="utf-8")
    assert i18n.read_catalog("id") == {"filter.kota": "Kota"}
    path.write_text(path.read_text(encoding="utf-8") + entry.replace("Kota", "Kota lain"), encoding="utf-8")
    with pytest.raises(ValueError, match="twice"):
        i18n.read_catalog("id")
