-- Boundaries (WKB) of the kecamatan and kelurahan of one kota, for the map files. One row per wilayah.
-- params: $kota_kode
select kode, nama, tingkat, parent_kode, luas_km2, geometry
from wilayah
where kota_kode = $kota_kode and tingkat in ('kecamatan', 'kelurahan')
order by kode
