-- Flood events of a kota between two dates, placed at their own point or else at their kelurahan.
-- One row per event, or per kelurahan and month for a BPBD table (kejadian: the events of that month).
-- params: $kota_kode, $dari, $sampai
select b.id, b.tanggal, b.kelurahan_kode, k.nama as kelurahan, b.kedalaman_cm, b.rumah_terdampak,
       b.lon, b.lat, b.kejadian, b.jiwa_terdampak
from banjir as b
join wilayah as k on k.kode = b.kelurahan_kode
where b.kota_kode = $kota_kode and b.tanggal between $dari::date and $sampai::date
order by b.tanggal
