-- Every upload and undo, newest first, with whether it still stands. One row per log entry.
-- params: $kota_kode (null for every kota)
with undone as (
    select membatalkan as upload_id, max(diunggah) as dibatalkan
    from uploads
    where membatalkan is not null
    group by membatalkan
)
select u.upload_id, u.diunggah, u.jenis, u.tabel, u.nama_berkas, u.sha256, u.kota_kode, u.indikator,
       u.sumber, u.periode, u.tahun, u.baris, u.pengguna, u.versi, u.membatalkan, u.demo,
       d.dibatalkan
from uploads as u
left join undone as d on d.upload_id = u.upload_id
where ($kota_kode is null or u.kota_kode = $kota_kode) and not u.demo
order by u.diunggah desc, u.versi desc
