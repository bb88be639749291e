-- Totals of every indicator and source for one month over one wilayah: the nation (''), a province, a kab/kota or a
-- kecamatan (every kelurahan/desa whose code starts with $wilayah_kode). One row per indicator x source,
-- and one row with a null indicator when nothing was reported (it still carries the kelurahan total).
-- Rates are the sum of counts over the sum of denominators, never an average of rates.
-- Drainage counts the problem points still open at the end of the month (no denominator).
-- params: $wilayah_kode, $periode
with kelurahan as (
    select kode, luas_km2 from wilayah
    where tingkat = 'kelurahan'
      and ($wilayah_kode = '' or kode = $wilayah_kode or starts_with(kode, $wilayah_kode || '.'))
),
kelurahan_total as (
    select count(*) as n, sum(luas_km2) as luas_km2 from kelurahan
),
nilai_month as (
    select n.indikator, n.sumber,
           sum(n.jumlah) as jumlah,
           sum(n.penyebut) as penyebut,
           count(distinct n.kelurahan_kode) as reporting
    from nilai as n
    join kelurahan as k on k.kode = n.kelurahan_kode
    where n.periode = $periode::date and n.jumlah is not null
    group by n.indikator, n.sumber
),
drainase_open as (
    select 'drainase' as indikator, d.sumber,
           count(*) as jumlah,
           cast(null as hugeint) as penyebut,
           cast(null as bigint) as reporting
    from drainase as d
    join kelurahan as k on k.kode = d.kelurahan_kode
    where d.tanggal_lapor <= last_day($periode::date)
      and not (d.status = 'selesai' and d.status_tanggal <= last_day($periode::date))
    group by d.sumber
),
totals as (
    select * from nilai_month
    union all
    select * from drainase_open
)
select t.indikator, t.sumber,
       cast(t.jumlah as bigint) as jumlah,
       cast(t.penyebut as bigint) as penyebut,
       100.0 * t.jumlah / nullif(t.penyebut, 0) as rate,
       t.reporting,
       kt.n as kelurahan_total,
       kt.luas_km2
from kelurahan_total as kt
left join totals as t on true
order by t.indikator, t.sumber
