-- One indicator and source of a kota month by month: the kota, each kecamatan and each kelurahan.
-- One row per wilayah x month. Rates are sum of counts over sum of denominators of the kelurahan
-- that reported; `reporting` says how many did, `expected` how many should have. A month nobody
-- reported has null values (a gap, never zero). Drainage counts points open at the end of the month.
-- params: $kota_kode, $indikator, $sumber, $dari, $sampai
with kelurahan as (
    select kode, nama, parent_kode as kecamatan_kode
    from wilayah
    where tingkat = 'kelurahan' and kota_kode = $kota_kode
),
months as (
    select cast(unnest(generate_series($dari::date, $sampai::date, interval 1 month)) as date) as periode
),
nilai_pick as (
    select n.kelurahan_kode, n.periode, n.jumlah, n.penyebut
    from nilai as n
    join kelurahan as k on k.kode = n.kelurahan_kode
    where n.indikator = $indikator and n.sumber = $sumber
      and n.periode between $dari::date and $sampai::date
),
drainase_open as (
    select k.kode as kelurahan_kode, m.periode, count(d.id) as jumlah, cast(null as bigint) as penyebut
    from kelurahan as k
    cross join months as m
    left join drainase as d
      on d.kelurahan_kode = k.kode and d.sumber = $sumber
     and d.tanggal_lapor <= last_day(m.periode)
     and not (d.status = 'selesai' and d.status_tanggal <= last_day(m.periode))
    where $indikator = 'drainase'
    group by k.kode, m.periode
),
vals as (
    select * from nilai_pick
    union all
    select * from drainase_open
),
grid as (
    select k.kode, k.kecamatan_kode, m.periode
    from kelurahan as k cross join months as m
),
cells as (
    select g.kode, g.kecamatan_kode, g.periode, v.jumlah, v.penyebut
    from grid as g
    left join vals as v on v.kelurahan_kode = g.kode and v.periode = g.periode
),
rolled as (
    select case when grouping(kecamatan_kode) = 1 then 'kota'
                when grouping(kode) = 1 then 'kecamatan'
                else 'kelurahan' end as tingkat,
           case when grouping(kecamatan_kode) = 1 then $kota_kode
                when grouping(kode) = 1 then kecamatan_kode
                else kode end as kode,
           periode,
           sum(jumlah) as jumlah,
           sum(penyebut) as penyebut,
           count(jumlah) as reporting,
           count(*) as expected
    from cells
    group by grouping sets ((periode), (kecamatan_kode, periode), (kecamatan_kode, kode, periode))
)
select r.tingkat, r.kode, w.nama, r.periode,
       cast(case when r.reporting = 0 then null else r.jumlah end as bigint) as jumlah,
       cast(case when r.reporting = 0 then null else r.penyebut end as bigint) as penyebut,
       100.0 * r.jumlah / nullif(r.penyebut, 0) as rate,
       r.reporting, r.expected
from rolled as r
join wilayah as w on w.kode = r.kode
order by case r.tingkat when 'kota' then 0 when 'kecamatan' then 1 else 2 end, r.kode, r.periode
