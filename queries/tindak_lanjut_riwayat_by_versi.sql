-- Every saved version of one action, oldest first: its history. One row per version.
-- params: $aksi_id
select versi, diubah, pengguna, asal, apa, tanggal_rakor, opd, kelurahan, indikator, tenggat, status,
       catatan, catatan_tanggal
from tindak_lanjut
where aksi_id = $aksi_id
order by versi
