"""Rules: the checks an upload must pass, by kind of file. Each kind (figures, denominators, drainage points,
floods, by-name records) takes a table parsed by pantau.ingest.tables and a Context (what the user chose and what
the lake already knows) and gives a Report: the rows that would be stored, each row's status, and a Problem per row
that names its file, row, column and value, an error that blocks the upload or a warning worth a look."""
