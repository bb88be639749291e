-- The actions of a kota's rakor as they stand now (the newest version of each). One row per action.
-- An action is overdue when it is not done and its deadline is before today.
-- params: $kota_kode, $hari_ini
with versions as (
    select *, row_number() over (partition by aksi_id order by versi desc) as urutan
    from tindak_lanjut
    where kota_kode = $kota_kode
)
select aksi_id, versi, apa, tanggal_rakor, opd, kelurahan, indikator, tenggat, status, catatan,
       catatan_tanggal, diubah, pengguna, asal,
       status <> 'selesai' and tenggat < $hari_ini::date as terlambat,
       case when status <> 'selesai' and tenggat < $hari_ini::date
            then date_diff('day', tenggat, $hari_ini::date) end as hari_terlambat
from versions
where urutan = 1
order by terlambat desc, tenggat, tanggal_rakor, apa
