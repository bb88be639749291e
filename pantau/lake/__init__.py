"""The lake, the second stage: takes the rows ingest committed and keeps them as Delta tables on disk
(`store`), with one locked read-only DuckDB connection over them and the runner of `queries/*.sql` with
bound parameters (`queries`); gives DataFrames. The builders that fill a lake live here too: the demo of
four cities (`demo`, calibrated by `demo_calibration`), the national lake (`nasional`), the map geometry
prepared once per kota (`geo`) and the national list of codes (`kode`)."""
