-- The indicators a wilayah (the nation '', a province, a kab/kota or a kecamatan: every kelurahan/desa whose
-- code starts with $wilayah_kode) has any figure of, in any month, of the source $sumber ('' for any): a
-- page lists the catalog's headline indicators always and any other one only when it is here.
-- One row per indicator.
-- params: $wilayah_kode, $sumber
select distinct n.indikator
from nilai as n
where n.jumlah is not null
  and ($sumber = '' or n.sumber = $sumber)
  and ($wilayah_kode = '' or n.kelurahan_kode = $wilayah_kode or starts_with(n.kelurahan_kode, $wilayah_kode || '.'))
order by n.indikator
