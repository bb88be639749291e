"""The lake, the second stage: takes the rows ingest committed and keeps them as Delta tables on disk
(`store`, their schemas in `schema`), with one locked read-only DuckDB connection over them (`database`)
and the runner of `queries/*.sql` with bound parameters (`queries`); gives DataFrames. Its upkeep lives
here too: backups that restore (`backup`), compaction and history removal (`maintain`), the audit log's
hash chain (`audit`); and the builders that fill a lake: the demo of four cities (`demo`, calibrated by
`demo_calibration`), the national lake (`nasional`), the map geometry prepared once per kota (`geo`) and
the national list of codes (`kode`)."""
