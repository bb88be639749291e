-- Every kota in the lake with its number of kelurahan. One row per kota.
-- params: (none)
with kelurahan as (
    select kota_kode, count(*) as kelurahan_total, count(geometry) as kelurahan_with_boundary
    from wilayah
    where tingkat = 'kelurahan'
    group by kota_kode
)
select w.kode, w.nama, k.kelurahan_total, k.kelurahan_with_boundary
from wilayah as w
join kelurahan as k on k.kota_kode = w.kode
where w.tingkat = 'kota'
order by w.kode
