-- One indicator and source of a wilayah month by month: the wilayah itself (the nation when
-- $wilayah_kode = '', a province, a kab/kota or a kecamatan), each of its parts one level down ($panjang:
-- the code length of that level, 2, 5 or 8; 13 leaves the middle level out) and, for a kab/kota or a
-- kecamatan, each kelurahan/desa (a province's or the nation's desa lines would be millions of rows).
-- One row per wilayah x month; `tingkat` is the row's own level ('nasional' for the nation). Rates are
-- sum of counts over sum of denominators of the kelurahan that reported; `reporting` says how many did,
-- `expected` how many should have. A month nobody reported has null values (a gap, never zero).
-- Drainage counts points open at the end of the month; a kelurahan without one has a real zero.
-- `tidak_mungkin` counts the figures under a row that cannot be true (a count below zero or above its
-- denominator): the chart marks that month.
-- params: $wilayah_kode, $panjang, $indikator, $sumber, $dari, $sampai
with kelurahan as (
    select kode, left(kode, $panjang) as bagian
    from wilayah
    where tingkat = 'kelurahan'
      and ($wilayah_kode = '' or kode = $wilayah_kode or starts_with(kode, $wilayah_kode || '.'))
),
months as (
    select cast(unnest(generate_series($dari::date, $sampai::date, interval 1 month)) as date) as periode
),
nilai_pick as (
    select n.kelurahan_kode, n.periode, n.jumlah, n.penyebut,
           cast(n.jumlah < 0 or n.jumlah > coalesce(n.penyebut, n.jumlah) as bigint) as salah
    from nilai as n
    join kelurahan as k on k.kode = n.kelurahan_kode
    where n.indikator = $indikator and n.sumber = $sumber and n.jumlah is not null
      and n.periode between $dari::date and $sampai::date
),
drainase_open as (
    select d.kelurahan_kode, m.periode, count(*) as jumlah, cast(null as bigint) as penyebut, cast(0 as bigint) as salah
    from drainase as d
    join kelurahan as k on k.kode = d.kelurahan_kode
    cross join months as m
    where $indikator = 'drainase' and d.sumber = $sumber
      and d.tanggal_lapor <= last_day(m.periode)
      and not (d.status = 'selesai' and d.status_tanggal <= last_day(m.periode))
    group by d.kelurahan_kode, m.periode
),
vals as (
    select * from nilai_pick
    union all
    select * from drainase_open
),
expected as (
    select bagian, count(*) as n from kelurahan group by bagian
),
part_month as (
    select k.bagian, v.periode, sum(v.jumlah) as jumlah, sum(v.penyebut) as penyebut, count(*) as reporting,
           sum(v.salah) as tidak_mungkin
    from vals as v
    join kelurahan as k on k.kode = v.kelurahan_kode
    group by k.bagian, v.periode
),
parts as (
    select 1 as lapis, e.bagian as kode, m.periode, p.jumlah, p.penyebut,
           coalesce(p.reporting, 0) as reporting, e.n as expected, coalesce(p.tidak_mungkin, 0) as tidak_mungkin
    from expected as e
    cross join months as m
    left join part_month as p on p.bagian = e.bagian and p.periode = m.periode
),
top as (
    select 0 as lapis, $wilayah_kode as kode, periode, sum(jumlah) as jumlah, sum(penyebut) as penyebut,
           sum(reporting) as reporting, sum(expected) as expected, sum(tidak_mungkin) as tidak_mungkin
    from parts
    group by periode
),
desa as (
    select 2 as lapis, k.kode, m.periode, v.jumlah, v.penyebut,
           cast(v.jumlah is not null as bigint) as reporting, 1 as expected, coalesce(v.salah, 0) as tidak_mungkin
    from kelurahan as k
    cross join months as m
    left join vals as v on v.kelurahan_kode = k.kode and v.periode = m.periode
    where length($wilayah_kode) >= 5
),
rolled as (
    select * from top
    union all
    select * from parts where $panjang < 13
    union all
    select * from desa
),
shown as (
    -- Drainage: no open point is a real zero, and every kelurahan counts as reporting.
    select lapis, kode, periode,
           case when $indikator = 'drainase' then coalesce(jumlah, 0)
                when reporting = 0 then null else jumlah end as jumlah,
           case when reporting = 0 then null else penyebut end as penyebut,
           case when $indikator = 'drainase' then expected else reporting end as reporting,
           expected, tidak_mungkin
    from rolled
)
select coalesce(w.tingkat, 'nasional') as tingkat, s.kode, coalesce(w.nama, 'Indonesia') as nama, s.periode,
       cast(s.jumlah as bigint) as jumlah,
       cast(s.penyebut as bigint) as penyebut,
       100.0 * s.jumlah / nullif(s.penyebut, 0) as rate,
       cast(s.reporting as bigint) as reporting, cast(s.expected as bigint) as expected,
       cast(coalesce(s.tidak_mungkin, 0) as bigint) as tidak_mungkin
from shown as s
left join wilayah as w on w.kode = s.kode
order by s.lapis, s.kode, s.periode
