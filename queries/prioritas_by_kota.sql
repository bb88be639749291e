-- The priority kelurahan of a kota as they stand now (the newest version of each, still active),
-- with the latest value of their indicator and source up to a month. One row per priority.
-- Drainage is the count of points open at the end of that month; other indicators take the newest
-- month that has a report (null when none since marking: missing, never zero).
-- params: $kota_kode, $sampai
with versions as (
    select *, row_number() over (partition by prioritas_id order by versi desc) as urutan
    from prioritas
    where kota_kode = $kota_kode
),
current as (
    select * from versions where urutan = 1 and aktif
),
reported as (
    select c.prioritas_id, n.periode, n.jumlah, n.penyebut,
           row_number() over (partition by c.prioritas_id order by n.periode desc) as urutan
    from current as c
    join nilai as n
      on n.kelurahan_kode = c.kelurahan_kode and n.indikator = c.indikator and n.sumber = c.sumber
    where n.jumlah is not null and n.periode <= $sampai::date
),
drainase_open as (
    select c.prioritas_id, $sampai::date as periode, count(d.id) as jumlah, cast(null as bigint) as penyebut
    from current as c
    left join drainase as d
      on d.kelurahan_kode = c.kelurahan_kode and d.sumber = c.sumber
     and d.tanggal_lapor <= last_day($sampai::date)
     and not (d.status = 'selesai' and d.status_tanggal <= last_day($sampai::date))
    where c.indikator = 'drainase'
    group by c.prioritas_id
),
latest as (
    select prioritas_id, periode, jumlah, penyebut from reported where urutan = 1
    union all
    select prioritas_id, periode, jumlah, penyebut from drainase_open
)
select c.prioritas_id, c.versi, c.kota_kode, c.kelurahan_kode, k.nama, kc.nama as kecamatan, c.indikator, c.sumber,
       c.ukuran, c.baseline, c.baseline_periode, c.target, c.ditandai, c.tenggat, c.diubah, c.pengguna,
       l.periode as terakhir_periode,
       case c.ukuran
           when 'rate' then 100.0 * l.jumlah / nullif(l.penyebut, 0)
           when 'per_km2' then l.jumlah / nullif(k.luas_km2, 0)
           else cast(l.jumlah as double)
       end as terakhir
from current as c
join wilayah as k on k.kode = c.kelurahan_kode
left join wilayah as kc on kc.kode = k.parent_kode
left join latest as l on l.prioritas_id = c.prioritas_id
order by c.tenggat, k.nama
