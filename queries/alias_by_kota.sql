-- Names a kota's files use for its kelurahan, as confirmed by users. One row per name (latest wins).
-- params: $kota_kode
select nama, arg_max(kelurahan_kode, dibuat) as kelurahan_kode
from alias
where kota_kode = $kota_kode
group by nama
order by nama
