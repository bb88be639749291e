"""The indicator catalog: every indicator defined once, with its labels, units, classes and owner."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Indicator:
    """One indicator: what is counted, over what, and how a map should class it."""

    id: str
    label: dict[str, str]
    short_label: dict[str, str]
    unit: dict[str, str]
    count_def: dict[str, str]
    denominator_def: dict[str, str] | None
    lower_is_better: bool
    # Map classes: "who" (fixed WHO/UNICEF thresholds, in %) or "quantile".
    classing: str
    breaks: tuple[float, ...] = ()
    break_labels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    target: float | None = None
    target_note: dict[str, str] = field(default_factory=dict)
    opd: str = ""
    # "table" names where the figures live: the nilai table or the drainase table.
    table: str = "nilai"
    # A stock is read month by month; a flow adds up over a year (used by Tren later).
    kind: str = "stock"
    # How OPD spreadsheets name the count and the denominator columns (regex on a lower-case
    # header with single spaces); the count is tried first, since "jumlah balita stunting"
    # also contains "jumlah balita".
    count_headers: str = ""
    denominator_headers: str = ""
    # The kind of population denominator (penyebut table) that can stand in for a missing one.
    penyebut_jenis: str | None = None
    # Column headers of the XLSX template (count, denominator); they must match the patterns above.
    template_headers: tuple[str, str | None] = ("Jumlah", None)
    # Default weight in the Prioritas score (0-10); the user moves it with a slider.
    weight: int = 1
    # A headline indicator (the four of the design card) is on every page, with or without figures; any
    # other shows only where a wilayah has figures of it (a kota that uploads SIGIZI gets wasting too).
    headline: bool = True

    @property
    def score_measure(self) -> str:
        """What the Prioritas score compares across kelurahan: the rate, or points per km² (area-fair)."""
        return "rate" if self.has_rate else "per_km2"

    @property
    def has_rate(self) -> bool:
        """Whether the indicator has a denominator, and so a rate in %."""
        return self.denominator_def is not None

    def text(self, attr: str, lang: str) -> str:
        """The attribute in the language asked, falling back to Indonesian."""
        value = getattr(self, attr)
        if value is None:
            return ""
        return value.get(lang) or value["id"]


STUNTING = Indicator(
    id="stunting",
    label={"id": "Prevalensi stunting", "en": "Stunting prevalence"},
    short_label={"id": "Stunting", "en": "Stunting"},
    unit={"id": "anak", "en": "children"},
    count_def={
        "id": "Balita 0-59 bulan dengan tinggi/panjang badan menurut umur di bawah -2 SD standar WHO",
        "en": "Children aged 0-59 months with length/height-for-age below -2 SD of the WHO standard",
    },
    denominator_def={"id": "Balita yang diukur", "en": "Children measured"},
    lower_is_better=True,
    classing="who",
    breaks=(2.5, 10.0, 20.0, 30.0),
    break_labels={
        "id": ("Sangat rendah (<2,5 %)", "Rendah (2,5-<10 %)", "Sedang (10-<20 %)",
               "Tinggi (20-<30 %)", "Sangat tinggi (≥30 %)"),
        "en": ("Very low (<2.5%)", "Low (2.5-<10%)", "Medium (10-<20%)",
               "High (20-<30%)", "Very high (≥30%)"),
    },
    target=14.0,
    target_note={"id": "Target nasional 14 % (Perpres 72/2021)",
                 "en": "National target 14% (Perpres 72/2021)"},
    opd="Dinas Kesehatan",
    count_headers=r"stunt|pendek|jumlah kasus",
    denominator_headers=r"diukur|ditimbang|sasaran|jumlah balita|penyebut|balita yang",
    template_headers=("Jumlah balita stunting", "Jumlah balita diukur"),
    weight=3,
)

PUTUS_SEKOLAH = Indicator(
    id="putus_sekolah",
    label={"id": "Anak tidak sekolah", "en": "Out-of-school children"},
    short_label={"id": "Putus sekolah", "en": "Out of school"},
    unit={"id": "anak", "en": "children"},
    count_def={
        "id": "Anak 7-18 tahun yang tidak bersekolah (putus sekolah, lulus tidak melanjutkan, belum pernah sekolah)",
        "en": "Children aged 7-18 not in school (dropped out, not continuing, never enrolled)",
    },
    denominator_def={"id": "Anak usia sekolah 7-18 tahun", "en": "School-age children 7-18"},
    lower_is_better=True,
    classing="quantile",
    target=None,
    target_note={"id": "Belum ada target nasional dalam angka", "en": "No numeric national target"},
    opd="Dinas Pendidikan",
    count_headers=r"tidak sekolah|putus sekolah|\bats\b|drop ?out|tidak bersekolah",
    denominator_headers=r"usia sekolah|7 ?- ?18|penduduk usia|penyebut|jumlah anak",
    penyebut_jenis="usia_sekolah",
    template_headers=("Jumlah anak tidak sekolah", "Jumlah anak usia sekolah 7-18"),
    weight=2,
)

KEMISKINAN_EKSTREM = Indicator(
    id="kemiskinan_ekstrem",
    label={"id": "Kemiskinan ekstrem", "en": "Extreme poverty"},
    short_label={"id": "Miskin ekstrem", "en": "Extreme poverty"},
    unit={"id": "rumah tangga", "en": "households"},
    count_def={
        "id": "Rumah tangga miskin ekstrem (P3KE desil 1 atau verifikasi lapangan)",
        "en": "Households in extreme poverty (P3KE decile 1 or field verification)",
    },
    denominator_def={"id": "Jumlah rumah tangga", "en": "Households"},
    lower_is_better=True,
    classing="quantile",
    target=0.0,
    target_note={"id": "Target nasional nol persen (Inpres 4/2022)",
                 "en": "National target zero (Inpres 4/2022)"},
    opd="Dinas Sosial",
    count_headers=r"miskin|ekstrem|desil ?1(?!\d)(?! ?[-/ ] ?\d| sampai| s ?d)",  # not desil 10, 1-4, 1/4
    denominator_headers=r"rumah tangga|jumlah rt\b|\bkk\b|keluarga|penyebut",
    penyebut_jenis="rumah_tangga",
    template_headers=("Jumlah rumah tangga miskin ekstrem", "Jumlah rumah tangga"),
    weight=3,
)

DRAINASE = Indicator(
    id="drainase",
    label={"id": "Titik drainase bermasalah", "en": "Drainage problem points"},
    short_label={"id": "Drainase", "en": "Drainage"},
    unit={"id": "titik", "en": "points"},
    count_def={
        "id": "Titik drainase tersumbat, tidak berfungsi atau belum ada yang belum selesai ditangani pada akhir bulan",
        "en": "Drainage points clogged, broken or missing that are not yet fixed at the end of the month",
    },
    denominator_def=None,
    lower_is_better=True,
    classing="quantile",
    target=0.0,
    target_note={"id": "Semua titik selesai sebelum musim hujan",
                 "en": "Every point fixed before the rainy season"},
    opd="Dinas PUPR",
    table="drainase",
)

# Read from the national exports (SIGIZI [40]/[28], [44]/[16]; P3KE and DTSEN deciles), shown where a kota
# has them. The WHO/UNICEF prevalence thresholds for wasting (de Onis et al. 2019) and the WHO ones for
# underweight (1995, with "very low" below 2,5 % as for the others).
WASTING = Indicator(
    id="wasting",
    label={"id": "Prevalensi gizi kurang (wasting)", "en": "Wasting prevalence"},
    short_label={"id": "Wasting", "en": "Wasting"},
    unit={"id": "anak", "en": "children"},
    count_def={
        "id": "Balita 0-59 bulan dengan berat badan menurut tinggi/panjang badan di bawah -2 SD standar WHO",
        "en": "Children aged 0-59 months with weight-for-length/height below -2 SD of the WHO standard",
    },
    denominator_def={"id": "Balita yang ditimbang dan diukur", "en": "Children weighed and measured"},
    lower_is_better=True,
    classing="who",
    breaks=(2.5, 5.0, 10.0, 15.0),
    break_labels={
        "id": ("Sangat rendah (<2,5 %)", "Rendah (2,5-<5 %)", "Sedang (5-<10 %)",
               "Tinggi (10-<15 %)", "Sangat tinggi (≥15 %)"),
        "en": ("Very low (<2.5%)", "Low (2.5-<5%)", "Medium (5-<10%)",
               "High (10-<15%)", "Very high (≥15%)"),
    },
    target=7.0,
    target_note={"id": "Target RPJMN 2020-2024: 7 %", "en": "RPJMN 2020-2024 target: 7%"},
    opd="Dinas Kesehatan",
    count_headers=r"wasting|gizi kurang|bb tb",  # headers are read with / as a space
    denominator_headers=r"diukur|ditimbang|sasaran|jumlah balita|penyebut|balita yang",
    template_headers=("Jumlah balita wasting", "Jumlah balita ditimbang dan diukur"),
    weight=0,
    headline=False,
)

UNDERWEIGHT = Indicator(
    id="underweight",
    label={"id": "Prevalensi berat badan kurang (underweight)", "en": "Underweight prevalence"},
    short_label={"id": "Underweight", "en": "Underweight"},
    unit={"id": "anak", "en": "children"},
    count_def={
        "id": "Balita 0-59 bulan dengan berat badan menurut umur di bawah -2 SD standar WHO",
        "en": "Children aged 0-59 months with weight-for-age below -2 SD of the WHO standard",
    },
    denominator_def={"id": "Balita yang ditimbang", "en": "Children weighed"},
    lower_is_better=True,
    classing="who",
    breaks=(2.5, 10.0, 20.0, 30.0),
    break_labels={
        "id": ("Sangat rendah (<2,5 %)", "Rendah (2,5-<10 %)", "Sedang (10-<20 %)",
               "Tinggi (20-<30 %)", "Sangat tinggi (≥30 %)"),
        "en": ("Very low (<2.5%)", "Low (2.5-<10%)", "Medium (10-<20%)",
               "High (20-<30%)", "Very high (≥30%)"),
    },
    target=None,
    target_note={"id": "Belum ada target nasional dalam angka", "en": "No numeric national target"},
    opd="Dinas Kesehatan",
    count_headers=r"underweight|\bbb u\b|berat badan kurang",
    denominator_headers=r"ditimbang|sasaran|jumlah balita|penyebut|balita yang",
    template_headers=("Jumlah balita underweight", "Jumlah balita ditimbang"),
    weight=0,
    headline=False,
)

DESIL_1_4 = Indicator(
    id="desil_1_4",
    label={"id": "Keluarga desil 1-4", "en": "Households in deciles 1-4"},
    short_label={"id": "Desil 1-4", "en": "Deciles 1-4"},
    unit={"id": "keluarga", "en": "households"},
    count_def={
        "id": "Keluarga pada desil kesejahteraan 1 sampai 4 (P3KE atau DTSEN), tiap keluarga dihitung sekali",
        "en": "Households in welfare deciles 1 to 4 (P3KE or DTSEN), each household counted once",
    },
    denominator_def={"id": "Jumlah rumah tangga", "en": "Households"},
    lower_is_better=True,
    classing="quantile",
    target=None,
    target_note={"id": "Sasaran program penanggulangan kemiskinan", "en": "Target group of poverty programmes"},
    opd="Dinas Sosial",
    count_headers=r"desil ?1 ?[-/ ] ?4|desil 1 (sampai|s ?d) 4",
    denominator_headers=r"rumah tangga|jumlah rt\b|\bkk\b|keluarga|penyebut",
    penyebut_jenis="rumah_tangga",
    template_headers=("Jumlah keluarga desil 1-4", "Jumlah rumah tangga"),
    weight=0,
    headline=False,
)

INDICATORS: dict[str, Indicator] = {
    i.id: i for i in (STUNTING, PUTUS_SEKOLAH, KEMISKINAN_EKSTREM, DRAINASE, WASTING, UNDERWEIGHT, DESIL_1_4)
}
HEADLINE: tuple[str, ...] = tuple(i for i, ind in INDICATORS.items() if ind.headline)

SOURCES: dict[str, dict[str, str]] = {
    "resmi": {"id": "Resmi (OPD)", "en": "Official (OPD)"},
    "lapangan": {"id": "Lapangan (kader, RT, lurah)", "en": "Field (cadres, RT, lurah)"},
}

DRAINASE_CONDITIONS: dict[str, dict[str, str]] = {
    "tersumbat": {"id": "Tersumbat", "en": "Clogged"},
    "tidak_berfungsi": {"id": "Tidak berfungsi", "en": "Not working"},
    "belum_ada": {"id": "Belum ada", "en": "Missing"},
}

DRAINASE_STATUSES: dict[str, dict[str, str]] = {
    "dilaporkan": {"id": "Dilaporkan", "en": "Reported"},
    "ditangani": {"id": "Ditangani", "en": "In progress"},
    "selesai": {"id": "Selesai", "en": "Fixed"},
}


# Denominators a kota can upload per kelurahan (table penyebut), one figure per year.
PENYEBUT_JENIS: dict[str, dict[str, str]] = {
    "penduduk": {"id": "Penduduk", "en": "Population"},
    "rumah_tangga": {"id": "Rumah tangga", "en": "Households"},
    "usia_sekolah": {"id": "Anak usia sekolah 7-18", "en": "School-age children 7-18"},
    "balita": {"id": "Balita 0-59 bulan", "en": "Children 0-59 months"},
}

# Free text in drainage files -> the catalog's condition and status codes.
DRAINASE_CONDITION_WORDS: dict[str, str] = {
    "tersumbat": "tersumbat", "sumbat": "tersumbat", "mampet": "tersumbat", "sedimentasi": "tersumbat",
    "sampah": "tersumbat", "dangkal": "tersumbat", "pendangkalan": "tersumbat",
    "tidak berfungsi": "tidak_berfungsi", "tidak_berfungsi": "tidak_berfungsi", "rusak": "tidak_berfungsi",
    "jebol": "tidak_berfungsi", "ambruk": "tidak_berfungsi", "patah": "tidak_berfungsi",
    "belum ada": "belum_ada", "belum_ada": "belum_ada", "tidak ada saluran": "belum_ada",
    "tidak ada": "belum_ada",
}
DRAINASE_STATUS_WORDS: dict[str, str] = {
    "dilaporkan": "dilaporkan", "lapor": "dilaporkan", "baru": "dilaporkan", "belum ditangani": "dilaporkan",
    "ditangani": "ditangani", "proses": "ditangani", "dalam penanganan": "ditangani", "dikerjakan": "ditangani",
    "selesai": "selesai", "tuntas": "selesai", "sudah diperbaiki": "selesai",
}


# The months of the rainy-season peak per kota, when blocked drains flood. Banjarbaru's mayor names
# January and February (seed 004); elsewhere the usual peak of western and central Indonesia (BMKG
# normals) until a kota sets its own.
RAINY_MONTHS: dict[str, tuple[int, ...]] = {"63.72": (1, 2)}
RAINY_MONTHS_DEFAULT: tuple[int, ...] = (11, 12, 1)


def rainy_months(kota_kode: str) -> tuple[int, ...]:
    """The rainy-season peak months of a kota (1 = January)."""
    return RAINY_MONTHS.get(kota_kode, RAINY_MONTHS_DEFAULT)


# Offices a rakor gives actions to; a kota adds its own on the Tindak lanjut page.
OPD_DEFAULT: tuple[str, ...] = (
    "Bappeda", "Dinas Kesehatan", "Dinas Pendidikan", "Dinas Sosial", "Dinas PUPR", "BPBD", "DP3AP2KB",
    "Dinas Lingkungan Hidup", "Kecamatan", "Kelurahan",
)

AKSI_STATUSES: dict[str, dict[str, str]] = {
    "belum_mulai": {"id": "Belum mulai", "en": "Not started"},
    "berjalan": {"id": "Berjalan", "en": "In progress"},
    "terhambat": {"id": "Terhambat", "en": "Blocked"},
    "selesai": {"id": "Selesai", "en": "Done"},
}

# Progress of a priority kelurahan toward its target (see pantau.prioritas.progress_status).
PROGRESS_STATUSES: dict[str, dict[str, str]] = {
    "tercapai": {"id": "Target tercapai", "en": "Target reached"},
    "sesuai": {"id": "Sesuai jalur", "en": "On track"},
    "berisiko": {"id": "Berisiko", "en": "At risk"},
    "tertinggal": {"id": "Tidak sesuai jalur", "en": "Off track"},
    "lewat": {"id": "Lewat tenggat", "en": "Past deadline"},
    "tanpa_data": {"id": "Belum ada data baru", "en": "No new data"},
}


def in_view(present) -> list[Indicator]:
    """The indicators a page lists: every headline one, then each other one the wilayah has figures of."""
    present = set(present)
    return [ind for ind in INDICATORS.values() if ind.headline or ind.id in present]


def indicator(indicator_id: str) -> Indicator:
    """The indicator with this id; KeyError when the catalog has none."""
    return INDICATORS[indicator_id]


def source_label(sumber: str, lang: str) -> str:
    """A source's short name: Resmi, Lapangan."""
    return SOURCES[sumber][lang].split(" (")[0]
