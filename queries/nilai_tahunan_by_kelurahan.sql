-- A year's figures of one indicator and source per kelurahan of a kota (a province's Satu Data), every
-- year the lake holds up to $tahun. One row per kelurahan x year that has a figure; the rate is the count
-- over its denominator where the file gave one.
-- params: $kota_kode, $indikator, $sumber, $tahun
select n.kelurahan_kode as kode, w.nama, n.tahun, n.jumlah, n.penyebut,
       100.0 * n.jumlah / nullif(n.penyebut, 0) as rate
from nilai_tahunan as n
left join wilayah as w on w.kode = n.kelurahan_kode
where n.kota_kode = $kota_kode and n.indikator = $indikator and n.sumber = $sumber and n.tahun <= $tahun
  and n.jumlah is not null
order by n.tahun, n.kelurahan_kode
