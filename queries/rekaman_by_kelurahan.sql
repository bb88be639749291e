-- People in the official and the field list of one indicator and month, per kelurahan, matched on
-- keyed hashes only. One row per kelurahan (zero where nobody is listed).
-- A person is counted once per list; duplicates are the extra rows of a person listed twice.
-- params: $kota_kode, $indikator, $periode
with rows_ as (
    select sumber, kelurahan_kode, kunci, aturan
    from rekaman
    where kota_kode = $kota_kode and indikator = $indikator and periode = $periode::date
),
people as (
    select kunci, min(kelurahan_kode) as kelurahan_kode,
           bool_or(sumber = 'resmi') as di_resmi, bool_or(sumber = 'lapangan') as di_lapangan
    from rows_
    group by kunci
),
per_kel as (
    select kelurahan_kode,
           count(*) filter (where di_resmi and di_lapangan) as keduanya,
           count(*) filter (where di_resmi and not di_lapangan) as hanya_resmi,
           count(*) filter (where di_lapangan and not di_resmi) as hanya_lapangan
    from people
    group by kelurahan_kode
),
quality as (
    select kelurahan_kode,
           count(*) filter (where sumber = 'resmi') - count(distinct kunci) filter (where sumber = 'resmi') as ganda_resmi,
           count(*) filter (where sumber = 'lapangan') - count(distinct kunci) filter (where sumber = 'lapangan') as ganda_lapangan,
           count(*) filter (where sumber = 'resmi' and aturan = 'nama') as nik_buruk_resmi,
           count(*) filter (where sumber = 'lapangan' and aturan = 'nama') as nik_buruk_lapangan
    from rows_
    group by kelurahan_kode
)
select k.kode, k.nama,
       coalesce(p.keduanya, 0) as keduanya, coalesce(p.hanya_resmi, 0) as hanya_resmi,
       coalesce(p.hanya_lapangan, 0) as hanya_lapangan,
       coalesce(q.ganda_resmi, 0) as ganda_resmi, coalesce(q.ganda_lapangan, 0) as ganda_lapangan,
       coalesce(q.nik_buruk_resmi, 0) as nik_buruk_resmi, coalesce(q.nik_buruk_lapangan, 0) as nik_buruk_lapangan
from wilayah as k
left join per_kel as p on p.kelurahan_kode = k.kode
left join quality as q on q.kelurahan_kode = k.kode
where k.tingkat = 'kelurahan' and k.kota_kode = $kota_kode
order by k.kode
