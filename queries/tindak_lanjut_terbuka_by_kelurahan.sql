-- Open (not done) actions per kelurahan of a kota, and how many of them are overdue.
-- One row per kelurahan, zero when none; actions for the whole kota are not spread over kelurahan.
-- params: $kota_kode, $hari_ini
with versions as (
    select *, row_number() over (partition by aksi_id order by versi desc) as urutan
    from tindak_lanjut
    where kota_kode = $kota_kode
),
open_actions as (
    select unnest(kelurahan) as kode, tenggat < $hari_ini::date as terlambat
    from versions
    where urutan = 1 and status <> 'selesai'
)
select k.kode, k.nama, count(a.kode) as terbuka, count(a.kode) filter (where a.terlambat) as terlambat
from wilayah as k
left join open_actions as a on a.kode = k.kode
where k.tingkat = 'kelurahan' and k.kota_kode = $kota_kode
group by k.kode, k.nama
order by k.kode
