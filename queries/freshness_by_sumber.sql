-- When each source of a kota last sent figures, and whether they are demo data. One row per source.
-- params: $kota_kode
with kelurahan as (
    select kode from wilayah where tingkat = 'kelurahan' and kota_kode = $kota_kode
)
select n.sumber,
       max(u.diunggah) as terakhir_diunggah,
       max(n.periode) as periode_terakhir,
       bool_or(u.demo) as demo
from nilai as n
join kelurahan as k on k.kode = n.kelurahan_kode
join uploads as u on u.upload_id = n.upload_id
group by n.sumber
order by n.sumber
