"""Kelurahan names as OPDs write them -> Kemendagri codes of one kota, with aliases and fuzzy suggestions."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd
from rapidfuzz import fuzz, process

CODE = re.compile(r"^(\d{2})\.?(\d{2})\.?(\d{2})\.?(\d{4})$")
# A name found only by similarity (rapidfuzz's ratio) is taken without asking only when it is at least
# SURE_SCORE similar and clearly ahead of the runner-up (AUTO_MARGIN). 97 lets through one slipped letter in
# a long name ("Tanjung Laut Indh", 97) but not in a short one ("Lok Tuwan" for Lok Tuan is 94, "Tanjung Rhuu"
# 96): in the national code list hundreds of *different* desa of one kab/kota lie 88 to 96 apart
# ("Dayah Baroh"/"Daya Baroh" 95, "Kuta Buloh I"/"II" 96), only 33 pairs reach 97 (all numbered siblings
# "... I"/"... II", which the margin sends to the officer). Between AUTO_SCORE and SURE_SCORE the best
# candidate is proposed and the officer confirms it ("confirm"); the confirmed name becomes an alias.
SURE_SCORE = 97
AUTO_SCORE = 88
AUTO_MARGIN = 6
SUGGEST_SCORE = 55
_PREFIX = re.compile(r"^(kelurahan|kel|desa|ds|kecamatan|kec)\b\.?\s*")
# Abbreviations of Indonesian place names as offices write them (Gn. Elai, Tj. Laut, Sp. Tiga, Ps. Baru).
_WORDS = {"tj": "tanjung", "tg": "tanjung", "tjg": "tanjung", "sei": "sungai", "sg": "sungai", "sng": "sungai",
          "kp": "kampung", "kpg": "kampung", "pd": "padang", "gn": "gunung", "gng": "gunung", "gu": "gunung",
          "sp": "simpang", "smp": "simpang", "ps": "pasar", "psr": "pasar", "bt": "batu", "tl": "teluk",
          "tlk": "teluk", "ujg": "ujung", "kota": "kota"}
# A lone letter is an abbreviation only as the first word of a longer name ("S. Pinang" is Sungai Pinang).
_FIRST_LETTER = {"s": "sungai"}


@functools.lru_cache(maxsize=65536)
def normalize(name: str) -> str:
    """Lower case, no accents, no 'Kel.' / 'Desa' / 'Kec.' prefix, common abbreviations spelled out."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    previous = None
    while previous != text:
        previous, text = text, _PREFIX.sub("", text).strip()
    words = [_WORDS.get(w, w) for w in text.split()]
    if len(words) > 1 and words[0] in _FIRST_LETTER:
        words[0] = _FIRST_LETTER[words[0]]
    return " ".join(words)


def code_from_text(text: str) -> str | None:
    """A Kemendagri kelurahan code written with or without dots, as 14.71.01.1001."""
    match = CODE.match(re.sub(r"\s+", "", str(text)))
    return ".".join(match.groups()) if match else None


@dataclass
class Match:
    """How one row's kelurahan was found, or why not."""

    kode: str | None
    how: str  # code | alias | exact | fuzzy | confirm | ambiguous | unknown | other_kota | bad_code
    # fuzzy: taken (a warning); confirm: kode is None until the officer confirms suggestions[0] (an error)
    score: float = 100.0
    suggestions: list[tuple[str, str, float]] = field(default_factory=list)


class Matcher:
    """Matches names within one kota; the kecamatan, when given, settles names used twice."""

    def __init__(self, wilayah: pd.DataFrame, kota_kode: str, aliases: dict[str, str] | None = None):
        kel = wilayah[wilayah["tingkat"] == "kelurahan"]
        kec = wilayah[wilayah["tingkat"] == "kecamatan"]
        self.kota_kode = kota_kode
        self.names = dict(zip(kel["kode"], kel["nama"]))
        self.parent = dict(zip(kel["kode"], kel["parent_kode"]))
        self.kecamatan_names = dict(zip(kec["kode"], kec["nama"]))
        self._norm = {k: normalize(v) for k, v in self.names.items()}
        self._kec_norm = {k: normalize(v) for k, v in self.kecamatan_names.items()}
        self.aliases = {normalize(a): k for a, k in (aliases or {}).items() if k in self.names}

    def kecamatan(self, text: str | None) -> str | None:
        """The kecamatan code a text names, or None."""
        if not text:
            return None
        norm = normalize(text)
        exact = [k for k, v in self._kec_norm.items() if v == norm]
        if exact:
            return exact[0]
        best = process.extractOne(norm, self._kec_norm, scorer=fuzz.ratio, score_cutoff=85)
        return best[2] if best else None

    def is_kecamatan_name(self, text: str) -> bool:
        """Whether a text names a kecamatan and no kelurahan (a group or subtotal row)."""
        norm = normalize(text)
        return self.kecamatan(text) is not None and norm not in self._norm.values()

    def match(self, name: str | None, code_text: str | None = None, kecamatan_text: str | None = None) -> Match:
        """The kelurahan code for a row."""
        if code_text:
            kode = code_from_text(code_text)
            if kode is None:
                return Match(None, "bad_code", 0)
            if not kode.startswith(self.kota_kode + "."):
                return Match(kode, "other_kota", 0)
            if kode in self.names:
                return Match(kode, "code")
            return Match(None, "bad_code", 0)
        if not name:
            return Match(None, "unknown", 0)
        code_in_name = code_from_text(name)
        if code_in_name:
            return self.match(None, code_in_name)
        norm = normalize(name)
        if norm in self.aliases:
            return Match(self.aliases[norm], "alias")
        kec = self.kecamatan(kecamatan_text)
        pool = {k: v for k, v in self._norm.items() if kec is None or self.parent[k] == kec}
        exact = [k for k, v in pool.items() if v == norm]
        if len(exact) == 1:
            return Match(exact[0], "exact")
        if len(exact) > 1:
            return Match(None, "ambiguous", 100, [(k, self.label(k), 100.0) for k in exact])
        found = process.extract(norm, pool, scorer=fuzz.ratio, limit=4, score_cutoff=SUGGEST_SCORE)
        suggestions = [(k, self.label(k), round(score, 1)) for _, score, k in found]
        if suggestions:
            best = suggestions[0][2]
            runner_up = suggestions[1][2] if len(suggestions) > 1 else 0
            if best >= SURE_SCORE and best - runner_up >= AUTO_MARGIN:
                return Match(suggestions[0][0], "fuzzy", best, suggestions)
            if best >= AUTO_SCORE and best - runner_up >= AUTO_MARGIN:
                return Match(None, "confirm", best, suggestions)
            if best >= AUTO_SCORE:
                return Match(None, "ambiguous", best, suggestions)
        return Match(None, "unknown", suggestions[0][2] if suggestions else 0, suggestions)

    def label(self, kode: str) -> str:
        """'Bontang Baru (Bontang Utara)': a name that tells two same-named kelurahan apart."""
        kec = self.kecamatan_names.get(self.parent.get(kode), "")
        return f"{self.names[kode]} ({kec})" if kec else self.names[kode]
