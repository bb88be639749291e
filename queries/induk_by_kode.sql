-- The wilayah a code lies in, from its province down to the code itself, for a breadcrumb.
-- One row per level; none for the nation ($kode = '').
-- params: $kode
select kode, nama, tingkat
from wilayah
where $kode <> '' and kode in (left($kode, 2), left($kode, 5), left($kode, 8), $kode)
order by length(kode)
