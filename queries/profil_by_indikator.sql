-- Every indicator and source of one kelurahan for one month. One row per indicator x source found.
-- params: $kelurahan_kode, $periode
with nilai_month as (
    select indikator, sumber, jumlah, penyebut
    from nilai
    where kelurahan_kode = $kelurahan_kode and periode = $periode::date
),
drainase_open as (
    select 'drainase' as indikator, sumber, count(*) as jumlah, cast(null as bigint) as penyebut
    from drainase
    where kelurahan_kode = $kelurahan_kode
      and tanggal_lapor <= last_day($periode::date)
      and not (status = 'selesai' and status_tanggal <= last_day($periode::date))
    group by sumber
)
select indikator, sumber, jumlah, penyebut, 100.0 * jumlah / nullif(penyebut, 0) as rate,
       coalesce(jumlah < 0 or jumlah > penyebut, false) as tidak_mungkin
from (select * from nilai_month union all select * from drainase_open)
order by indikator, sumber
