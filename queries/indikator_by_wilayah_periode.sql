-- Totals of every indicator for one source over one wilayah (province, kab/kota or kecamatan: every
-- kelurahan/desa whose code starts with $wilayah_kode), month by month over a range.
-- One row per indicator x month; a month nobody reported has null counts (a gap, never zero).
-- params: $wilayah_kode, $sumber, $dari, $sampai
with kelurahan as (
    select kode, luas_km2 from wilayah
    where tingkat = 'kelurahan'
      and ($wilayah_kode = '' or kode = $wilayah_kode or starts_with(kode, $wilayah_kode || '.'))
),
months as (
    select cast(unnest(generate_series($dari::date, $sampai::date, interval 1 month)) as date) as periode
),
nilai_month as (
    select n.indikator, n.periode,
           sum(n.jumlah) as jumlah,
           sum(n.penyebut) as penyebut,
           count(distinct n.kelurahan_kode) as reporting
    from nilai as n
    join kelurahan as k on k.kode = n.kelurahan_kode
    where n.sumber = $sumber and n.periode between $dari::date and $sampai::date
    group by n.indikator, n.periode
),
drainase_open as (
    select 'drainase' as indikator, m.periode,
           count(d.id) as jumlah,
           cast(null as hugeint) as penyebut,
           cast(null as bigint) as reporting
    from months as m
    left join drainase as d
      on d.sumber = $sumber
     and d.kelurahan_kode in (select kode from kelurahan)
     and d.tanggal_lapor <= last_day(m.periode)
     and not (d.status = 'selesai' and d.status_tanggal <= last_day(m.periode))
    group by m.periode
),
indikator as (
    select distinct indikator from nilai_month
),
grid as (
    select i.indikator, m.periode from indikator as i cross join months as m
),
nilai_full as (
    select g.indikator, g.periode, n.jumlah, n.penyebut, n.reporting
    from grid as g
    left join nilai_month as n on n.indikator = g.indikator and n.periode = g.periode
)
select indikator, periode,
       cast(jumlah as bigint) as jumlah,
       cast(penyebut as bigint) as penyebut,
       100.0 * jumlah / nullif(penyebut, 0) as rate,
       reporting
from (select * from nilai_full union all select * from drainase_open)
order by indikator, periode
