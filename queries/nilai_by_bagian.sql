-- Indicators ($indikator: a list, one or more) of one source and one month (and the month before)
-- summed over each part of a wilayah at one level: the provinces of the nation ($wilayah_kode = ''), the kab/kota of a province, the kecamatan
-- of a kab/kota, or the desa/kelurahan of any of them. $panjang is the code length of that level
-- (2 province, 5 kab/kota, 8 kecamatan, 13 desa/kelurahan). One row per part and indicator, also for a
-- part that did not report (null values, a gap, never zero). Rates are sum of counts over sum of denominators;
-- `reporting` says how many desa/kelurahan reported, `expected` how many there are; `induk` is the
-- part's parent (the kecamatan of a kelurahan, the province of a kab/kota). Drainage counts the points
-- open at the end of the month, and a part without an open point has a real zero.
-- `tidak_mungkin` (and `tidak_mungkin_lalu`) counts the desa/kelurahan figures inside the part that
-- cannot be true: a count below zero or above its denominator; a page marks such a value and leaves it
-- out of rankings.
-- A boundary is known where the area is (luas_km2 is computed from it): reading the small area
-- column instead of the geometry keeps this fast for 83,246 desa.
-- params: $wilayah_kode, $panjang, $indikator, $sumber, $periode, $periode_lalu
with desa as (
    select kode, left(kode, $panjang) as bagian
    from wilayah
    where tingkat = 'kelurahan'
      and ($wilayah_kode = '' or kode = $wilayah_kode or starts_with(kode, $wilayah_kode || '.'))
),
bagian as (
    select bagian, count(*) as expected
    from desa
    group by bagian
),
indikator as (
    select unnest($indikator) as indikator
),
nilai_pick as (
    select d.bagian, n.indikator, n.periode,
           sum(n.jumlah) as jumlah, sum(n.penyebut) as penyebut, count(*) as reporting,
           count(*) filter (where n.jumlah < 0 or n.jumlah > n.penyebut) as tidak_mungkin
    from nilai as n
    join desa as d on d.kode = n.kelurahan_kode
    where list_contains($indikator, n.indikator) and n.sumber = $sumber and n.jumlah is not null
      and n.periode in ($periode::date, $periode_lalu::date)
    group by d.bagian, n.indikator, n.periode
),
months as (
    select unnest([$periode::date, $periode_lalu::date]) as periode
),
drainase_open as (
    select d.bagian, 'drainase' as indikator, m.periode, count(*) as jumlah, cast(null as hugeint) as penyebut,
           cast(null as bigint) as reporting, cast(0 as bigint) as tidak_mungkin
    from drainase as dr
    join desa as d on d.kode = dr.kelurahan_kode
    cross join months as m
    where list_contains($indikator, 'drainase') and dr.sumber = $sumber
      and dr.tanggal_lapor <= last_day(m.periode)
      and not (dr.status = 'selesai' and dr.status_tanggal <= last_day(m.periode))
    group by d.bagian, m.periode
),
vals as (
    select * from nilai_pick
    union all
    select * from drainase_open
),
now as (select * from vals where periode = $periode::date),
before as (select * from vals where periode = $periode_lalu::date)
select b.bagian as kode, k.indikator, w.nama, w.tingkat, w.parent_kode as induk_kode, i.nama as induk,
       w.luas_km2 is not null as has_boundary, w.luas_km2,
       cast(case when k.indikator = 'drainase' then coalesce(n.jumlah, 0) else n.jumlah end as bigint) as jumlah,
       cast(n.penyebut as bigint) as penyebut,
       100.0 * n.jumlah / nullif(n.penyebut, 0) as rate,
       cast(case when k.indikator = 'drainase' then coalesce(p.jumlah, 0) else p.jumlah end as bigint) as jumlah_lalu,
       cast(p.penyebut as bigint) as penyebut_lalu,
       100.0 * p.jumlah / nullif(p.penyebut, 0) as rate_lalu,
       case when k.indikator = 'drainase' then coalesce(n.jumlah, 0) else n.jumlah end / nullif(w.luas_km2, 0) as per_km2,
       case when k.indikator = 'drainase' then coalesce(p.jumlah, 0) else p.jumlah end / nullif(w.luas_km2, 0) as per_km2_lalu,
       coalesce(n.reporting, 0) as reporting,
       b.expected,
       coalesce(n.tidak_mungkin, 0) as tidak_mungkin,
       coalesce(p.tidak_mungkin, 0) as tidak_mungkin_lalu
from bagian as b
cross join indikator as k
join wilayah as w on w.kode = b.bagian
left join wilayah as i on i.kode = w.parent_kode
left join now as n on n.bagian = b.bagian and n.indikator = k.indikator
left join before as p on p.bagian = b.bagian and p.indikator = k.indikator
order by k.indikator, b.bagian
