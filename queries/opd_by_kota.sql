-- Offices a kota added to the catalog's list. One row per office name.
-- params: $kota_kode
select distinct nama
from opd
where kota_kode = $kota_kode
order by nama
