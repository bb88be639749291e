-- One indicator and source of a wilayah month by month: the wilayah itself (the nation when
-- $wilayah_kode = '', a province, a kab/kota or a kecamatan), each of its parts one level down ($panjang:
-- the code length of that level, 2, 5 or 8; 13 leaves the middle level out) and each kelurahan/desa.
-- One row per wilayah x month; `tingkat` is the row's own level ('nasional' for the nation). Rates are sum of counts over sum of denominators of the kelurahan
-- that reported; `reporting` says how many did, `expected` how many should have. A month nobody
-- reported has null values (a gap, never zero). Drainage counts points open at the end of the month.
-- params: $wilayah_kode, $panjang, $indikator, $sumber, $dari, $sampai
with kelurahan as (
    select kode, nama, left(kode, $panjang) as bagian
    from wilayah
    where tingkat = 'kelurahan'
      and ($wilayah_kode = '' or kode = $wilayah_kode or starts_with(kode, $wilayah_kode || '.'))
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
    select k.kode, k.bagian, m.periode
    from kelurahan as k cross join months as m
),
cells as (
    select g.kode, g.bagian, g.periode, v.jumlah, v.penyebut
    from grid as g
    left join vals as v on v.kelurahan_kode = g.kode and v.periode = g.periode
),
rolled as (
    select case when grouping(bagian) = 1 then 0 when grouping(kode) = 1 then 1 else 2 end as lapis,
           case when grouping(bagian) = 1 then $wilayah_kode
                when grouping(kode) = 1 then bagian
                else kode end as kode,
           periode,
           sum(jumlah) as jumlah,
           sum(penyebut) as penyebut,
           count(jumlah) as reporting,
           count(*) as expected
    from cells
    group by grouping sets ((periode), (bagian, periode), (bagian, kode, periode))
)
select coalesce(w.tingkat, 'nasional') as tingkat, r.kode, coalesce(w.nama, 'Indonesia') as nama, r.periode,
       cast(case when r.reporting = 0 then null else r.jumlah end as bigint) as jumlah,
       cast(case when r.reporting = 0 then null else r.penyebut end as bigint) as penyebut,
       100.0 * r.jumlah / nullif(r.penyebut, 0) as rate,
       r.reporting, r.expected
from rolled as r
left join wilayah as w on w.kode = r.kode
where not (r.lapis = 1 and $panjang = 13)
order by r.lapis, r.kode, r.periode
