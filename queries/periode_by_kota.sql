-- The months for which a kota has any figure, newest first. One row per month.
-- params: $kota_kode
with kelurahan as (
    select kode from wilayah where tingkat = 'kelurahan' and kota_kode = $kota_kode
)
select distinct n.periode
from nilai as n
join kelurahan as k on k.kode = n.kelurahan_kode
order by n.periode desc
