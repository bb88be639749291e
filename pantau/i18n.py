"""Every text a user reads, in Bahasa Indonesia first and English second: the texts live in
pantau/texts by what they are about; this module joins them and fills them in."""

from __future__ import annotations

from pantau.texts import analisis, kerja, rakor, umum, unggah

LANGS = ("id", "en")

_PARTS = (umum.TEXTS, analisis.TEXTS, unggah.TEXTS, kerja.TEXTS, rakor.TEXTS)
TEXTS: dict[str, tuple[str, str]] = {key: pair for part in _PARTS for key, pair in part.items()}
# A key defined in two parts would silently take the later text.
assert len(TEXTS) == sum(len(part) for part in _PARTS), "a text key is defined twice in pantau/texts"


def t(key: str, lang: str = "id", **values) -> str:
    """The text for key in the language, with values filled in."""
    pair = TEXTS[key]
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**values) if values else text
