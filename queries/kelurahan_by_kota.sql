-- The kecamatan and kelurahan of one kota, without geometry. One row per wilayah.
-- params: $kota_kode
select kode, nama, tingkat, parent_kode, luas_km2, geometry is not null as has_boundary
from wilayah
where kota_kode = $kota_kode and tingkat in ('kecamatan', 'kelurahan')
order by kode
