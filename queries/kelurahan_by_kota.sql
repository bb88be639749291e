-- The kecamatan and kelurahan of one kota, without geometry. One row per wilayah.
-- A boundary is known where the area is (luas_km2 is computed from it): reading the small area
-- column instead of the geometry keeps this fast for 83,246 desa.
-- params: $kota_kode
select kode, nama, tingkat, parent_kode, luas_km2, luas_km2 is not null as has_boundary
from wilayah
where kota_kode = $kota_kode and tingkat in ('kecamatan', 'kelurahan')
order by kode
