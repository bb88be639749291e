-- Boundaries (WKB) of every part of a wilayah at one level, for the map files: the provinces of the
-- nation ($wilayah_kode = ''), the kab/kota of a province, the kecamatan of a kab/kota, or the
-- desa/kelurahan of any of them ($panjang: 2, 5, 8 or 13, the code length of the level).
-- One row per part that has a boundary.
-- params: $wilayah_kode, $panjang
select kode, nama, parent_kode, geometry
from wilayah
where length(kode) = $panjang and geometry is not null
  and ($wilayah_kode = '' or kode = $wilayah_kode or starts_with(kode, $wilayah_kode || '.'))
order by kode
