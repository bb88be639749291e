-- One indicator and source per kelurahan of a kota, this month and the month compared against.
-- One row per kelurahan (those with no report have null values: missing, not zero).
-- Drainage counts open problem points at the end of each month; no point is a real zero.
-- params: $kota_kode, $indikator, $sumber, $periode, $periode_lalu
with kelurahan as (
    select kode, nama, parent_kode, luas_km2, geometry is not null as has_boundary
    from wilayah
    where tingkat = 'kelurahan' and kota_kode = $kota_kode
),
kecamatan as (
    select kode, nama from wilayah where tingkat = 'kecamatan' and kota_kode = $kota_kode
),
nilai_pick as (
    select kelurahan_kode, periode, jumlah, penyebut
    from nilai
    where indikator = $indikator and sumber = $sumber
      and periode in ($periode::date, $periode_lalu::date)
),
drainase_open as (
    select d.kelurahan_kode, p.periode, count(*) as jumlah, cast(null as bigint) as penyebut
    from drainase as d
    cross join (select unnest([$periode::date, $periode_lalu::date]) as periode) as p
    where $indikator = 'drainase' and d.sumber = $sumber
      and d.tanggal_lapor <= last_day(p.periode)
      and not (d.status = 'selesai' and d.status_tanggal <= last_day(p.periode))
    group by d.kelurahan_kode, p.periode
),
vals as (
    select * from nilai_pick
    union all
    select * from drainase_open
),
now_and_before as (
    select k.kode,
           max(v.jumlah) filter (where v.periode = $periode::date) as jumlah,
           max(v.penyebut) filter (where v.periode = $periode::date) as penyebut,
           max(v.jumlah) filter (where v.periode = $periode_lalu::date) as jumlah_lalu,
           max(v.penyebut) filter (where v.periode = $periode_lalu::date) as penyebut_lalu
    from kelurahan as k
    left join vals as v on v.kelurahan_kode = k.kode
    group by k.kode
),
filled as (
    select kode,
           case when $indikator = 'drainase' then coalesce(jumlah, 0) else jumlah end as jumlah,
           penyebut,
           case when $indikator = 'drainase' then coalesce(jumlah_lalu, 0) else jumlah_lalu end as jumlah_lalu,
           penyebut_lalu
    from now_and_before
)
select k.kode, k.nama, k.parent_kode as kecamatan_kode, kc.nama as kecamatan,
       k.has_boundary, k.luas_km2,
       f.jumlah, f.penyebut,
       100.0 * f.jumlah / nullif(f.penyebut, 0) as rate,
       f.jumlah_lalu, f.penyebut_lalu,
       100.0 * f.jumlah_lalu / nullif(f.penyebut_lalu, 0) as rate_lalu,
       f.jumlah / nullif(k.luas_km2, 0) as per_km2,
       f.jumlah_lalu / nullif(k.luas_km2, 0) as per_km2_lalu
from kelurahan as k
join filled as f on f.kode = k.kode
left join kecamatan as kc on kc.kode = k.parent_kode
order by k.kode
