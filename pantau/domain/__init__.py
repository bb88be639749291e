"""The domain rules that are neither ingest nor screen: takes DataFrames from the queries and gives
decisions in data, never layout. The indicator catalog (`catalog`), map classes (`classes`), how far to
trust a number (`quality`), the priority score (`prioritas`), official vs field figures (`rekonsiliasi`),
drains and floods (`drainase`) and what each office promised (`tindak_lanjut`)."""
