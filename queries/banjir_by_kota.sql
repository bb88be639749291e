-- Flood events of a kota between two dates, placed at their own point or else at their kelurahan.
-- One row per event.
-- params: $kota_kode, $dari, $sampai
select b.id, b.tanggal, b.kelurahan_kode, k.nama as kelurahan, b.kedalaman_cm, b.rumah_terdampak,
       b.lon, b.lat
from banjir as b
join wilayah as k on k.kode = b.kelurahan_kode
where b.kota_kode = $kota_kode and b.tanggal between $dari::date and $sampai::date
order by b.tanggal
