-- How far to trust one month of every indicator and source of a kota, per kelurahan and rolled up
-- to kecamatan and kota. One row per level x wilayah x indicator x source.
--   reporting / expected : completeness of the month;
--   heaping_n / heaping_of : values ending in 0 or 5 among the last 12 months' counts of 10 or more
--                            (about 20 % by chance); heaping_kelurahan counts kelurahan with 8 such
--                            values or more of which at least 60 % end in 0 or 5;
--   z : modified z-score of the month's rate (count where there is no denominator) against the
--       kelurahan's previous 24 months, 0.6745 (x - median) / MAD (needs 6 months and MAD > 0);
--       z is the kelurahan's own score, z_max the largest |z| below a kecamatan or kota, and
--       outliers counts |z| > 3.5;
--   impossible : counts above their denominator this month.
-- params: $kota_kode, $periode
with kelurahan as (
    select kode, parent_kode as kecamatan_kode
    from wilayah
    where tingkat = 'kelurahan' and kota_kode = $kota_kode
),
history as (
    select n.kelurahan_kode, k.kecamatan_kode, n.indikator, n.sumber, n.periode, n.jumlah, n.penyebut,
           coalesce(100.0 * n.jumlah / nullif(n.penyebut, 0), n.jumlah) as nilai
    from nilai as n
    join kelurahan as k on k.kode = n.kelurahan_kode
    where n.periode between $periode::date - interval 24 month and $periode::date
),
pairs as (
    select distinct h.indikator, h.sumber, k.kode as kelurahan_kode, k.kecamatan_kode
    from (select distinct indikator, sumber from history) as h
    cross join kelurahan as k
),
month_now as (
    select * from history where periode = $periode::date
),
baseline as (
    select kelurahan_kode, indikator, sumber,
           median(nilai) as med,
           count(*) as n_past
    from history
    where periode < $periode::date
    group by kelurahan_kode, indikator, sumber
),
spread as (
    select h.kelurahan_kode, h.indikator, h.sumber, median(abs(h.nilai - b.med)) as mad
    from history as h
    join baseline as b using (kelurahan_kode, indikator, sumber)
    where h.periode < $periode::date
    group by h.kelurahan_kode, h.indikator, h.sumber
),
heaping as (
    select kelurahan_kode, indikator, sumber,
           count(*) filter (where jumlah % 5 = 0) as heaping_n,
           count(*) as heaping_of
    from history
    where periode > $periode::date - interval 12 month and jumlah >= 10
    group by kelurahan_kode, indikator, sumber
),
per_kelurahan as (
    select p.indikator, p.sumber, p.kelurahan_kode, p.kecamatan_kode,
           (m.jumlah is not null)::int as reported,
           coalesce(hp.heaping_n, 0) as heaping_n,
           coalesce(hp.heaping_of, 0) as heaping_of,
           case when b.n_past >= 6 and s.mad > 0 then 0.6745 * (m.nilai - b.med) / s.mad end as z,
           (m.jumlah > m.penyebut)::int as impossible
    from pairs as p
    left join month_now as m using (kelurahan_kode, indikator, sumber)
    left join baseline as b using (kelurahan_kode, indikator, sumber)
    left join spread as s using (kelurahan_kode, indikator, sumber)
    left join heaping as hp using (kelurahan_kode, indikator, sumber)
)
select case when grouping(kecamatan_kode) = 1 then 'kota'
            when grouping(kelurahan_kode) = 1 then 'kecamatan'
            else 'kelurahan' end as tingkat,
       case when grouping(kecamatan_kode) = 1 then $kota_kode
            when grouping(kelurahan_kode) = 1 then kecamatan_kode
            else kelurahan_kode end as kode,
       indikator, sumber,
       sum(reported) as reporting,
       count(*) as expected,
       sum(heaping_n) as heaping_n,
       sum(heaping_of) as heaping_of,
       count(*) filter (where heaping_of >= 8 and heaping_n >= 0.6 * heaping_of) as heaping_kelurahan,
       max(z) as z,
       max(abs(z)) as z_max,
       count(*) filter (where abs(z) > 3.5) as outliers,
       coalesce(sum(impossible), 0) as impossible
from per_kelurahan
group by grouping sets ((indikator, sumber), (indikator, sumber, kecamatan_kode),
                        (indikator, sumber, kecamatan_kode, kelurahan_kode))
order by indikator, sumber, tingkat, kode
