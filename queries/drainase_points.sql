-- Drainage problem points of a kota still open at the end of a month, from one source. One row per point.
-- params: $kota_kode, $periode, $sumber
select d.id, d.lon, d.lat, d.kondisi, d.status, d.tanggal_lapor, d.status_tanggal, d.pelapor,
       d.kelurahan_kode, w.nama as kelurahan
from drainase as d
join wilayah as w on w.kode = d.kelurahan_kode
where w.kota_kode = $kota_kode
  and d.sumber = $sumber
  and d.tanggal_lapor <= last_day($periode::date)
  and not (d.status = 'selesai' and d.status_tanggal <= last_day($periode::date))
order by d.tanggal_lapor
