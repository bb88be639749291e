-- The rows of one source's uploaded list whose person is not in the other source's list, with the file
-- they came from, so the officer can find them in the file they hold. One row per such file row.
-- params: $kota_kode, $indikator, $periode, $sumber
with mine as (
    select kunci, baris, kelurahan_kode, upload_id
    from rekaman
    where kota_kode = $kota_kode and indikator = $indikator and periode = $periode::date and sumber = $sumber
),
theirs as (
    select distinct kunci
    from rekaman
    where kota_kode = $kota_kode and indikator = $indikator and periode = $periode::date and sumber <> $sumber
)
select u.nama_berkas, m.baris, k.nama as kelurahan
from mine as m
left join theirs as o on o.kunci = m.kunci
left join wilayah as k on k.kode = m.kelurahan_kode
left join (select distinct upload_id, nama_berkas from uploads) as u on u.upload_id = m.upload_id
where o.kunci is null
order by k.nama, m.baris
