"""Every text a user reads, in Bahasa Indonesia first and English second."""

from __future__ import annotations

LANGS = ("id", "en")

TEXTS: dict[str, tuple[str, str]] = {
    "app.title": ("Pantau Kota", "Pantau Kota"),
    "app.tagline": ("Indikator sosial per kelurahan", "Social indicators per kelurahan"),
    "lang.label": ("Bahasa", "Language"),
    "nav.ringkasan": ("Ringkasan", "Summary"),
    "nav.peta": ("Peta", "Map"),
    "filter.kota": ("Kota", "City"),
    "filter.indikator": ("Indikator", "Indicator"),
    "filter.periode": ("Periode", "Period"),
    "filter.sumber": ("Sumber data", "Data source"),
    "filter.ukuran": ("Tampilkan", "Show"),
    "ukuran.rate": ("Persentase", "Rate"),
    "ukuran.jumlah": ("Jumlah", "Count"),
    "ukuran.per_km2": ("Per km²", "Per km²"),
    "notice.demo": (
        "DATA DEMO: batas wilayah dan kode asli, tetapi semua angka adalah buatan untuk percobaan, "
        "bukan data resmi. Ganti dengan data OPD melalui halaman Data atau `python -m pantau ingest`.",
        "DEMO DATA: real boundaries and codes, but every figure is generated for trying the app, "
        "not official data. Replace it with the OPDs' data through the Data page or `python -m pantau ingest`.",
    ),
    "notice.fallback": (
        "{kind} “{value}” tidak dikenal; ditampilkan {fallback}.",
        "Unknown {kind} “{value}”; showing {fallback}.",
    ),
    "notice.demo_built": (
        "Lake masih kosong: data demo empat kota dibuat otomatis.",
        "The lake was empty: the demo of four cities was built.",
    ),
    "kind.kota": ("Kota", "City"),
    "kind.indikator": ("Indikator", "Indicator"),
    "kind.periode": ("Periode", "Period"),
    "kind.sumber": ("Sumber", "Source"),
    "kind.ukuran": ("Ukuran", "Measure"),
    "error.lake.missing": (
        "Tabel `{table}` tidak ada di lake ({path}). Jalankan `python -m pantau demo --force` "
        "untuk membuat data demo, atau muat ulang data melalui halaman Data.",
        "Table `{table}` is missing from the lake ({path}). Run `python -m pantau demo --force` "
        "to build the demo, or load the data again through the Data page.",
    ),
    "error.lake.unreadable": (
        "Tabel `{table}` di lake ({path}) tidak dapat dibaca ({detail}). Pulihkan folder tabel itu dari "
        "cadangan, atau jalankan `python -m pantau demo --force` untuk memulai dari data demo.",
        "Table `{table}` in the lake ({path}) cannot be read ({detail}). Restore that table's folder from "
        "a backup, or run `python -m pantau demo --force` to start again from the demo.",
    ),
    "error.no_data": (
        "Belum ada data untuk {kota}. Muat data melalui halaman Data.",
        "There is no data for {kota} yet. Load data through the Data page.",
    ),
    "cli.unknown_kota": ("Kota tidak dikenal: {value} (yang ada: {known})", "Unknown kota: {value} (known: {known})"),
    "cli.unknown_indicator": ("Indikator tidak dikenal: {value} (yang ada: {known})", "Unknown indicator: {value} (known: {known})"),
    "cli.unknown_period": ("Periode tidak ada: {value} (tersedia: {known})", "No such period: {value} (available: {known})"),
    "cli.demo_built": ("Data demo dibuat di {path}", "Demo built in {path}"),
    "cli.demo_skipped": ("Lake {path} sudah berisi data; pakai --force untuk menimpanya.",
                         "Lake {path} already holds data; use --force to overwrite it."),
    "ringkasan.title": ("Ringkasan {kota}", "Summary of {kota}"),
    "ringkasan.subtitle": ("{periode} · sumber: {sumber}", "{periode} · source: {sumber}"),
    "tile.rate": ("{rate} dari {penyebut} {denominator}", "{rate} of {penyebut} {denominator}"),
    "tile.open_points": ("titik masih terbuka, {density} per km²", "points still open, {density} per km²"),
    "tile.vs_prev": ("vs {periode}", "vs {periode}"),
    "tile.vs_target": ("vs target {target}: {delta}", "vs target {target}: {delta}"),
    "tile.no_target": ("Belum ada target nasional", "No national target"),
    "tile.completeness": ("Lengkap: {reporting} dari {total} kelurahan melapor", "Complete: {reporting} of {total} kelurahan reported"),
    "tile.completeness_na": ("Laporan titik, bukan laporan bulanan per kelurahan", "Point reports, not monthly kelurahan reports"),
    "tile.other_source": ("{sumber}: {jumlah}", "{sumber}: {jumlah}"),
    "tile.no_data": ("Tidak ada laporan bulan ini", "No report this month"),
    "delta.points": ("{delta} poin", "{delta} pts"),
    "delta.worse": ("memburuk", "worse"),
    "delta.better": ("membaik", "better"),
    "delta.same": ("tetap", "unchanged"),
    "ringkasan.changes": ("Paling berubah: {indikator}", "Changed most: {indikator}"),
    "ringkasan.changes_caption": (
        "Dibandingkan dengan {periode_lalu}; hanya kelurahan yang melapor di kedua bulan.",
        "Compared with {periode_lalu}; only kelurahan that reported in both months.",
    ),
    "ringkasan.highest": ("Kelurahan tertinggi: {indikator}", "Highest kelurahan: {indikator}"),
    "ringkasan.highest_caption": ("{periode}; kelurahan yang tidak melapor tidak ikut diurutkan.",
                                  "{periode}; kelurahan that did not report are not ranked."),
    "ringkasan.no_changes": ("Tidak ada kelurahan yang melapor di kedua bulan.", "No kelurahan reported in both months."),
    "ringkasan.freshness": ("Kesegaran data", "Data freshness"),
    "ringkasan.freshness_row": (
        "{sumber}: terakhir diunggah {tanggal}, data sampai {periode}",
        "{sumber}: last uploaded {tanggal}, data up to {periode}",
    ),
    "col.kelurahan": ("Kelurahan", "Kelurahan"),
    "col.kecamatan": ("Kecamatan", "Kecamatan"),
    "col.kode": ("Kode", "Code"),
    "col.jumlah": ("Jumlah", "Count"),
    "col.penyebut": ("Penyebut", "Denominator"),
    "col.rate": ("Persentase", "Rate"),
    "col.per_km2": ("Per km²", "Per km²"),
    "col.sebelum": ("Bulan lalu", "Previous month"),
    "col.perubahan": ("Perubahan", "Change"),
    "col.batas": ("Batas wilayah", "Boundary"),
    "col.sumber": ("Sumber", "Source"),
    "col.indikator": ("Indikator", "Indicator"),
    "batas.ada": ("ada", "yes"),
    "batas.tidak_ada": ("belum ada", "missing"),
    "peta.title": ("Peta {indikator}", "Map of {indikator}"),
    "peta.legend": ("Legenda", "Legend"),
    "peta.no_report": ("Tidak ada laporan", "No report"),
    "peta.classes.who": ("Kelas prevalensi WHO/UNICEF", "WHO/UNICEF prevalence classes"),
    "peta.classes.quantile": ("Kelas kuantil (jumlah kelurahan sama per kelas)", "Quantile classes (equal number of kelurahan per class)"),
    "peta.classes.jenks": ("Kelas alami (Fisher-Jenks: kelompok yang dibentuk nilainya sendiri)",
                           "Natural breaks (Fisher-Jenks: the groups the values form)"),
    "filter.kelas": ("Kelas peta", "Map classes"),
    "kind.kelas": ("Kelas peta", "Map classes"),
    "kelas.who": ("WHO", "WHO"),
    "kelas.quantile": ("Kuantil", "Quantile"),
    "kelas.jenks": ("Alami", "Natural"),
    "peta.drainase_layer": ("Titik drainase terbuka", "Open drainage points"),
    "peta.show_drainase": ("Tampilkan titik drainase", "Show drainage points"),
    "peta.show_values": ("Angka di peta", "Values on the map"),
    "peta.tooltip_hint": ("Klik untuk profil kelurahan", "Click for the kelurahan profile"),
    "peta.kecamatan_prefix": ("Kec. {nama}", "Kec. {nama}"),
    "peta.missing_boundary": (
        "{n} kelurahan belum punya batas wilayah di peta; datanya tetap dihitung:",
        "{n} kelurahan have no boundary on the map yet; their data is still counted:",
    ),
    "peta.table": ("Nilai per kelurahan", "Values per kelurahan"),
    "peta.download": ("Unduh CSV", "Download CSV"),
    "peta.pick": ("Pilih kelurahan", "Choose a kelurahan"),
    "profil.title": ("Profil {nama}", "Profile of {nama}"),
    "profil.kecamatan": ("Kecamatan {nama} · kode {kode}", "Kecamatan {nama} · code {kode}"),
    "profil.no_boundary": ("Batas wilayah belum ada di peta.", "Boundary not yet on the map."),
    "profil.trend": ("{indikator}, 24 bulan terakhir", "{indikator}, last 24 months"),
    "profil.hint": ("Klik sebuah kelurahan di peta, atau pilih di bawah.", "Click a kelurahan on the map, or choose below."),
    "drainase.point": ("Drainase {kondisi}", "Drainage {kondisi}"),
    "drainase.detail": ("Dilaporkan {tanggal} · {status}", "Reported {tanggal} · {status}"),
}


def t(key: str, lang: str = "id", **values) -> str:
    """The text for key in the language, with values filled in."""
    pair = TEXTS[key]
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**values) if values else text
