-- The status changes of one drainage point made in the app, oldest first. One row per change.
-- params: $id
select tanggal, status, catatan, diubah, pengguna
from drainase_status
where id = $id
order by tanggal, diubah
