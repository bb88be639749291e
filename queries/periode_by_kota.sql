-- The months for which a kota has figures, newest first: one row per month x indicator x source,
-- so that a page can open on the newest month of the indicator and source it shows.
-- params: $kota_kode
with kelurahan as (
    select kode from wilayah where tingkat = 'kelurahan' and kota_kode = $kota_kode
)
select distinct n.periode, n.indikator, n.sumber
from nilai as n
join kelurahan as k on k.kode = n.kelurahan_kode
order by n.periode desc, n.indikator, n.sumber
