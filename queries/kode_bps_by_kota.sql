-- BPS desa codes of a kota and the Kemendagri kelurahan code each stands for, as learned from files that
-- carried both. One row per BPS code (the latest pair wins).
-- params: $kota_kode
select bps_kode, arg_max(kelurahan_kode, dibuat) as kelurahan_kode
from kode_bps
where kota_kode = $kota_kode
group by bps_kode
order by bps_kode
