-- Every drainage point of a kota as it stands now, with its kelurahan, kecamatan, reporter and age.
-- One row per point; a point is never deleted, only closed (status 'selesai').
-- params: $kota_kode, $hari_ini
select d.id, d.lon, d.lat, d.kondisi, d.status, d.tanggal_lapor, d.status_tanggal, d.sumber, d.pelapor,
       d.kelurahan_kode, k.nama as kelurahan, k.parent_kode as kecamatan_kode, kc.nama as kecamatan,
       date_diff('day', d.tanggal_lapor, $hari_ini::date) as umur_hari
from drainase as d
join wilayah as k on k.kode = d.kelurahan_kode
left join wilayah as kc on kc.kode = k.parent_kode
where k.kota_kode = $kota_kode
order by d.tanggal_lapor, d.id
