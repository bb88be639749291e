import re
from pathlib import Path

import pytest

from pantau.i18n import TEXTS, t

ROOT = Path(__file__).resolve().parent.parent


def test_every_text_has_indonesian_and_english():
    for key, (id_text, en_text) in TEXTS.items():
        assert id_text.strip() and en_text.strip(), key
        assert set(re.findall(r"{(\w+)}", id_text)) == set(re.findall(r"{(\w+)}", en_text)), key


def test_every_key_the_code_uses_exists():
    used = set()
    for path in [*ROOT.glob("pantau/**/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py"]:
        used |= set(re.findall(r"""\bt\(\s*["']([\w.]+)["']""", path.read_text(encoding="utf-8")))
    assert used, "no t() call found"
    assert not used - set(TEXTS), used - set(TEXTS)


def test_t_fills_values_and_defaults_to_indonesian():
    assert t("filter.kota") == "Kota"
    assert t("filter.kota", "en") == "City"
    assert t("profil.title", "id", nama="Lok Tuan") == "Profil Lok Tuan"
    with pytest.raises(KeyError):
        t("no.such.key")
