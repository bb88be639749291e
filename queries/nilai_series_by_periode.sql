-- Monthly series of one indicator for one kelurahan, both sources, every month of the range.
-- One row per month x source; a month with no report has null values (a gap, never zero).
-- params: $kelurahan_kode, $indikator, $dari, $sampai
with months as (
    select cast(unnest(generate_series($dari::date, $sampai::date, interval 1 month)) as date) as periode
),
sources as (
    select unnest(['resmi', 'lapangan']) as sumber
),
grid as (
    select m.periode, s.sumber from months as m cross join sources as s
),
picked as (
    -- The filter on the table itself, so DuckDB skips every row group without this kelurahan.
    select periode, sumber, jumlah, penyebut
    from nilai
    where kelurahan_kode = $kelurahan_kode and indikator = $indikator
      and periode between $dari::date and $sampai::date
)
select g.periode, g.sumber, n.jumlah, n.penyebut,
       100.0 * n.jumlah / nullif(n.penyebut, 0) as rate
from grid as g
left join picked as n on n.periode = g.periode and n.sumber = g.sumber
order by g.sumber, g.periode
