-- When each indicator and source of a wilayah (province, kab/kota or kecamatan: every kelurahan/desa
-- whose code starts with $wilayah_kode) last sent figures, and how many days ago that was.
-- One row per indicator x source.
-- params: $wilayah_kode, $hari_ini
with kelurahan as (
    select kode, luas_km2 from wilayah
    where tingkat = 'kelurahan'
      and ($wilayah_kode = '' or kode = $wilayah_kode or starts_with(kode, $wilayah_kode || '.'))
)
select n.indikator, n.sumber,
       max(u.diunggah) as terakhir_diunggah,
       max(n.periode) as periode_terakhir,
       date_diff('day', cast(max(u.diunggah) as date), $hari_ini::date) as hari_sejak,
       bool_or(u.demo) as demo
from nilai as n
join kelurahan as k on k.kode = n.kelurahan_kode
join uploads as u on u.upload_id = n.upload_id
group by n.indikator, n.sumber
order by n.indikator, n.sumber
