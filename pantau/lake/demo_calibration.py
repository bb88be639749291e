"""What the demo of four cities is calibrated to: rates, the articles' totals, planted problems, actions."""

from __future__ import annotations

import datetime as dt

DEMO_KOTA = ("14.71", "16.74", "63.72", "64.74")
FIRST_PERIOD = dt.date(2023, 1, 1)
LAST_PERIOD = dt.date(2026, 10, 1)
SOURCES = ("resmi", "lapangan")

# Expected rates (in % of the denominator) per kota and source, before kelurahan variation.
BASE_RATE = {
    "stunting": {
        "14.71": {"resmi": 0.27, "lapangan": 2.4},  # rescaled to CALIBRATION
        "16.74": {"resmi": 11.0, "lapangan": 18.0},
        "63.72": {"resmi": 7.5, "lapangan": 12.0},
        "64.74": {"resmi": 9.0, "lapangan": 15.5},
    },
    "putus_sekolah": {
        "14.71": {"resmi": 0.40, "lapangan": 0.73},  # lapangan rescaled to CALIBRATION
        "16.74": {"resmi": 0.9, "lapangan": 1.4},
        "63.72": {"resmi": 0.6, "lapangan": 0.9},
        "64.74": {"resmi": 0.5, "lapangan": 0.8},
    },
    "kemiskinan_ekstrem": {
        "14.71": {"resmi": 0.35, "lapangan": 0.55},
        "16.74": {"resmi": 1.6, "lapangan": 2.2},
        "63.72": {"resmi": 0.8, "lapangan": 1.1},
        "64.74": {"resmi": 0.45, "lapangan": 0.7},
    },
}

# Exact kota totals the articles give: (indicator, source, kota, period) -> total count.
CALIBRATION = {
    ("putus_sekolah", "lapangan", "14.71", dt.date(2025, 8, 1)): 1778,  # "1.778 orang"
    ("stunting", "resmi", "14.71", dt.date(2025, 8, 1)): 203,  # "sekitar 200-an"
    ("stunting", "lapangan", "14.71", dt.date(2025, 8, 1)): 2011,  # "terdata 2.000"
}

# Bontang's priority kelurahan for extreme poverty (Lok Tuan, Api-Api, Tanjung Laut, Tanjung Laut Indah).
BONTANG_PRIORITY = ("64.74.01.1003", "64.74.01.1006", "64.74.02.1001", "64.74.02.1006")
BONTANG_PROGRAM_START = dt.date(2024, 4, 1)

# Quality problems real feeds carry, so that every badge colour shows (none touches CALIBRATION
# or Bontang's extreme poverty). Heaping: counts rounded to 0 or 5 by a few kelurahan, every month.
HEAPING = {
    "14.71": ("kemiskinan_ekstrem", "lapangan", 3),
    "16.74": ("stunting", "lapangan", 3),
    "63.72": ("stunting", "lapangan", 2),
    "64.74": ("stunting", "lapangan", 2),
}
# Outliers in the newest month: a count typed three times too high.
OUTLIERS = {"14.71": 2, "16.74": 1, "63.72": 1, "64.74": 1}
# Impossible values in the newest month: fewer children recorded as measured than as stunted.
IMPOSSIBLE = {"14.71": 1, "63.72": 1}
# A late source: Prabumulih's health office has sent nothing since August 2026.
LATE = ("16.74", "stunting", "resmi", dt.date(2026, 8, 1))

DRAINASE_POINTS = {"14.71": 620, "16.74": 180, "63.72": 260, "64.74": 150}
# Weight of each calendar month for new drainage reports; Banjarbaru peaks in January-February.
RAIN_WEIGHTS = {
    "63.72": [6, 6, 2.5, 1.2, 1, 0.8, 0.7, 0.7, 0.8, 1, 1.5, 2.5],
    "default": [1.8, 1.6, 1.5, 1.2, 1, 0.8, 0.7, 0.7, 0.8, 1.1, 1.5, 1.8],
}

# Flood events of the last rainy season per kota, in the kelurahan with the most drainage problems.
BANJIR_EVENTS = {"14.71": 9, "16.74": 5, "63.72": 12, "64.74": 6}

# Bontang marks its four priority kelurahan (seed 002) on this day: no extreme poverty left within 100 days.
DEMO_MARKED = dt.date(2026, 9, 1)
PRIORITY_INDICATOR = "kemiskinan_ekstrem"
# Actions as each city's rakor agreed them (seeds 000-004): text, OPD, kelurahan names, indicator,
# rakor date, deadline, status, note.
DEMO_AKSI = {
    "14.71": [
        ("Verifikasi door-to-door balita stunting bersama kader posyandu dan KB", "Dinas Kesehatan", (),
         "stunting", "2026-08-18", "2026-10-31", "berjalan", "Sudah 9 dari 15 kecamatan"),
        ("Pendataan ulang anak tidak sekolah dan penjangkauan ke rumah", "Dinas Pendidikan", (), "putus_sekolah",
         "2026-08-18", "2026-09-30", "terhambat", "Data NISN belum dibagi dari provinsi"),
        ("Pemberian makanan tambahan untuk balita stunting", "DP3AP2KB", ("Tangkerang Timur", "Rejosari"),
         "stunting", "2026-10-06", "2026-12-15", "belum_mulai", None),
        ("Penataan PKL dan pengangkutan sampah di pasar", "Dinas Lingkungan Hidup", (), None,
         "2026-10-06", "2026-11-06", "selesai", "Selesai, dilaporkan di rakor November"),
    ],
    "16.74": [
        ("Laporan progres setiap OPD sebelum rakor berikutnya", "Bappeda", (), None,
         "2026-09-08", "2026-10-08", "selesai", "Semua OPD sudah melapor"),
        ("Perbaikan drainase dan jalan lingkungan", "Dinas PUPR", ("Muara Dua", "Gunung Ibul"), "drainase",
         "2026-09-08", "2026-11-15", "berjalan", "Dua dari lima ruas selesai"),
        ("Pemeriksaan kesehatan anak sekolah dan rujukan stunting", "Dinas Kesehatan", (), "stunting",
         "2026-10-13", "2026-12-31", "berjalan", None),
    ],
    "63.72": [
        ("Normalisasi saluran tersumbat sebelum puncak hujan Januari", "Dinas PUPR", ("Guntung Manggis", "Landasan Ulin Timur"),
         "drainase", "2026-09-21", "2026-12-20", "berjalan", "Alat berat sudah di lokasi"),
        ("Pemetaan titik drainase belum ada bersama lurah", "BPBD", (), "drainase",
         "2026-09-21", "2026-10-31", "terhambat", "Menunggu data dari 6 kelurahan"),
        ("Posko siaga banjir di kelurahan rawan", "BPBD", ("Loktabat Utara",), "drainase",
         "2026-10-26", "2026-12-01", "belum_mulai", None),
    ],
    "64.74": [
        ("Bantuan sosial tepat sasaran untuk rumah tangga miskin ekstrem", "Dinas Sosial",
         ("Lok Tuan", "Api-api", "Tanjung Laut", "Tanjung Laut Indah"), "kemiskinan_ekstrem",
         "2026-09-01", "2026-12-10", "berjalan", "Verifikasi RT selesai di Lok Tuan"),
        ("Pendataan RT miskin ekstrem oleh ketua RT dan kelurahan", "Kelurahan",
         ("Lok Tuan", "Api-api", "Tanjung Laut", "Tanjung Laut Indah"), "kemiskinan_ekstrem",
         "2026-09-01", "2026-09-30", "selesai", "Data 4 kelurahan masuk"),
        ("Pelatihan kerja dan modal UMKM untuk keluarga miskin", "Dinas Sosial", ("Tanjung Laut Indah",),
         "kemiskinan_ekstrem", "2026-09-01", "2026-11-15", "belum_mulai", None),
        ("Kelas gizi ibu balita di posyandu", "Dinas Kesehatan", ("Api-api",), "stunting",
         "2026-10-05", "2026-12-31", "berjalan", None),
    ],
}


# What the 100 days did in the demo: the share of extreme-poor households left in each priority
# kelurahan (Lok Tuan, Api-api, Tanjung Laut, Tanjung Laut Indah) by the last month, reached
# gradually after marking, so progress shows every status.
DEMO_EFFECT = dict(zip(BONTANG_PRIORITY, (0.05, 0.45, 0.8, 1.1)))
