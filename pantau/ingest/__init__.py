"""Ingest, the first stage: takes a file an office sends (CSV, XLSX, XLS, ODS, or a boundary file),
reads it into a grid with the row numbers a person sees (`sheets`), finds its table (`tables`), matches
kelurahan names to Kemendagri codes (`matching`), checks every rule per row (`rules`), and commits it to
the lake as one upload or not at all (`pipeline`); gives a report per row and, when clean, a commit.
Readers of the national systems' own exports live in `formats`, one module per format."""
