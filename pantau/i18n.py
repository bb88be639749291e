"""Every text a user reads, in Bahasa Indonesia first and English second: the texts live in gettext catalogs,
pantau/locale/<lang>/LC_MESSAGES/pantau.po, whose msgid is the key the code asks for; this module reads them once
and fills them in."""

from __future__ import annotations

import io
from pathlib import Path
from types import MappingProxyType

from babel.messages.pofile import read_po

LANGS = ("id", "en")
LOCALE = Path(__file__).parent / "locale"


def catalog_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "pantau.po"


def read_catalog(lang: str) -> dict[str, str]:
    """Key → text of one language's catalog; a missing or broken catalog, or a key given twice, stops here."""
    path = catalog_path(lang)
    text = path.read_text(encoding="utf-8")
    messages = [m for m in read_po(io.StringIO(text), abort_invalid=True) if m.id]
    # read_po merges a msgid given twice into one message: count the entries in the file to refuse that.
    entries = sum(line.startswith("msgid ") for line in text.splitlines()) - 1
    found = {m.id: m.string for m in messages}
    if not len(found) == len(messages) == entries:
        raise ValueError(f"{path}: a msgid is given twice ({entries} entries, {len(found)} keys)")
    return found


_CATALOGS = {lang: read_catalog(lang) for lang in LANGS}
# Key → its text in each language of LANGS (Indonesian where a language lacks the text); read-only.
TEXTS = MappingProxyType({key: tuple(_CATALOGS[lang].get(key) or text for lang in LANGS)
                          for key, text in _CATALOGS["id"].items()})


def t(key: str, lang: str = "id", **values) -> str:
    """The text for key in the language, with values filled in."""
    texts = TEXTS[key]
    text = texts[LANGS.index(lang)] if lang in LANGS else texts[0]
    if not values:
        return text
    # A value that is written per language (fmt.Shown: 1.140 in Indonesian, 1,140 in English) is written now.
    return text.format(**{k: v.localized(lang) if hasattr(v, "localized") else v for k, v in values.items()})
