-- Every kota in the lake with its number of kelurahan. One row per kota.
-- A boundary is known where the area is (luas_km2 is computed from it): reading the small area
-- column instead of the geometry keeps this fast for 83,246 desa.
-- params: (none)
with kelurahan as (
    select kota_kode, count(*) as kelurahan_total, count(luas_km2) as kelurahan_with_boundary
    from wilayah
    where tingkat = 'kelurahan'
    group by kota_kode
)
select w.kode, w.nama, k.kelurahan_total, k.kelurahan_with_boundary
from wilayah as w
join kelurahan as k on k.kota_kode = w.kode
where w.tingkat = 'kota'
order by w.kode
