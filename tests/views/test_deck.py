"""The rakor deck: slides from the lake, headlines from the data, PPTX and PDF read back, small numbers hidden."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pptx import Presentation
from pypdf import PdfReader

from pantau.domain.catalog import INDICATORS
from pantau.render import pptx_deck, slides
from pantau.views import presentasi

TODAY = dt.date(2026, 11, 23)


def options(**kw):
    return presentasi.DeckOptions(**{"kota": "64.74", "kota_nama": "Kota Bontang", "periode": "2026-10",
                                     "sumber": "lapangan", "since": "2026-07", "demo": True, **kw})


@pytest.fixture(scope="module")
def bontang(demo_run):
    return presentasi.build(demo_run, options(), TODAY)


def test_the_deck_follows_the_topics_in_the_order_set(demo_run, bontang):
    assert [s.topic for s in bontang] == ["judul"] + ["indikator"] * 4 + ["prioritas", "tindak_lanjut", "perubahan"]
    reordered = presentasi.build(demo_run, options(topics=("tindak_lanjut", "judul")), TODAY)
    assert [s.topic for s in reordered] == ["tindak_lanjut", "judul"]


def test_headlines_are_written_from_the_data(demo_run, bontang):
    poverty = next(s for s in bontang if s.indicator == "kemiskinan_ekstrem")
    values = presentasi.indicator_values(demo_run, options(), INDICATORS["kemiskinan_ekstrem"])
    per_kec = values.groupby("kecamatan_kode")[["jumlah", "penyebut", "jumlah_lalu", "penyebut_lalu"]].sum()
    # Compared as the deck shows them (points to one decimal): a change that rounds to 0,0 is no fall.
    now = (100 * per_kec["jumlah"] / per_kec["penyebut"]).round(1)
    before = (100 * per_kec["jumlah_lalu"] / per_kec["penyebut_lalu"]).round(1)
    fell = int((now < before).sum())
    assert poverty.headline == f"Miskin ekstrem turun di {fell} dari 3 kecamatan sejak Juli 2026."
    priority = next(s for s in bontang if s.topic == "prioritas")
    assert priority.headline == "1 dari 4 lokasi prioritas sesuai jalur atau sudah mencapai target."
    actions = next(s for s in bontang if s.topic == "tindak_lanjut")
    assert actions.headline == "1 dari 4 aksi lewat tenggat; terbanyak Dinas Sosial (1)."


def test_a_kecamatan_scope_keeps_only_its_kelurahan(demo_run):
    scoped = presentasi.build(demo_run, options(kecamatan="64.74.01", topics=("judul", "indikator")), TODAY)
    assert scoped[0].title == "Rakor Kec. Bontang Utara, Kota Bontang"
    stunting = scoped[1]
    assert set(stunting.model.frame["kode"].str[:8]) == {"64.74.01"}
    assert "kelurahan sejak Juli 2026" in stunting.headline


def test_pptx_and_pdf_carry_every_screen(demo_run, bontang):
    geometry = demo_run("geometry_by_kota", kota_kode="64.74")
    pptx = Presentation(io.BytesIO(pptx_deck.pptx_bytes(bontang, geometry, "id", True)))
    assert len(pptx.slides) == len(bontang)
    assert pptx.slide_width * 9 == pptx.slide_height * 16  # 16:9
    for page, screen in zip(pptx.slides, bontang):
        assert page.shapes.title.text == screen.title
        texts = [s.text_frame.text for s in page.shapes if s.has_text_frame]
        assert screen.headline in texts and screen.note in texts and "DEMO" in texts
        # Only the map is a picture; tables are PowerPoint tables, headline numbers text.
        assert sum(s.shape_type == 13 for s in page.shapes) == (screen.model is not None)
        assert any(s.has_table for s in page.shapes) == (screen.table is not None)
        assert all(value in ' '.join(texts) for _, value, _ in screen.tiles)
    pdf = PdfReader(io.BytesIO(slides.pdf_bytes(bontang, geometry, "id", True)))
    assert len(pdf.pages) == len(bontang)
    assert "Prevalensi stunting" in pdf.pages[1].extract_text()


def _counts(screen):
    """Every count the screen shows: its tiles, and the count columns of its table."""
    found = [value for _, value, _ in screen.tiles]
    if screen.table is not None:
        for column in screen.table.columns:
            if column in ("Jumlah", "Drainase") or re.match(r"^\w+ \d{4}$", str(column)) or column == "Perubahan":
                found.extend(str(v) for v in screen.table[column])
    return found


@pytest.mark.parametrize("kecamatan", [None, "64.74.01", "64.74.02"])
def test_a_deck_for_the_public_shows_no_count_from_1_to_4(demo_run, kecamatan):
    public = presentasi.build(demo_run, options(public=True, kecamatan=kecamatan), TODAY)
    private = presentasi.build(demo_run, options(public=False, kecamatan=kecamatan), TODAY)
    shown = [c for s in public for c in _counts(s)]
    assert not [c for c in shown if re.fullmatch(r"[−+-]?[1-4]", c)]
    assert any(re.fullmatch(r"[1-4]", c) for s in private for c in _counts(s))  # there were small counts to hide
    assert "<5" in shown
    # Every number drawn in the PPTX, PDF and projector pictures comes from these tables and tiles.


def test_count_text_and_hidden_totals():
    assert presentasi.count_text(3, True, "id") == "<5" and presentasi.count_text(3, False, "id") == "3"
    assert presentasi.count_text(0, True, "id") == "0" and presentasi.count_text(1778, True, "id") == "1.778"


def test_a_map_with_drainage_points_downloads_as_a_16_9_png(demo_run):
    from PIL import Image

    from pantau.domain import drainase
    from pantau.render import maps
    from pantau.views.drainase import density_model

    points = demo_run("drainase_titik_by_kota", kota_kode="63.72", hari_ini=TODAY)
    wilayah = demo_run("kelurahan_by_kota", kota_kode="63.72")
    model = density_model(drainase.per_kelurahan(points, wilayah), "id")
    screen = presentasi.Slide("indikator", "Drainase & banjir · Kota Banjarbaru", "Titik terbuka per km²", "23 November 2026",
                              model=model, points=maps.drainase_point_frame(points, "id"))
    data = slides.png_bytes(screen, demo_run("geometry_by_kota", kota_kode="63.72"), "id", True)
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and abs(image.width / image.height - 16 / 9) < 0.01
    assert image.width >= 1400  # large enough for a projector
