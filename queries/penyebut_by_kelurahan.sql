-- The latest denominator of one kind per kelurahan of a kota, up to a year. One row per kelurahan.
-- params: $kota_kode, $jenis, $tahun
select kelurahan_kode, arg_max(jumlah, tahun) as jumlah, max(tahun) as tahun
from penyebut
where kota_kode = $kota_kode and jenis = $jenis and tahun <= $tahun
group by kelurahan_kode
order by kelurahan_kode
