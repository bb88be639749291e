import datetime as dt
import os

import duckdb
import pyarrow as pa
import pytest

from pantau import settings
from pantau.errors import LakeError, UndoRefused
from pantau.lake.schema import SCHEMAS
from pantau.lake.store import Lake


def test_an_empty_folder_is_an_empty_lake(tmp_path):
    lake = Lake(tmp_path / "none")
    assert lake.is_empty()
    with pytest.raises(LakeError) as err:
        lake.connect()
    assert err.value.reason == "missing"
    assert "python -m pantau demo" in err.value.message("id")


def test_write_casts_to_the_schema_and_reads_back(small_lake):
    table = small_lake.read("nilai")
    assert table.schema == SCHEMAS["nilai"]
    assert table.num_rows == 5


def test_stamp_changes_with_every_commit(small_lake):
    before = small_lake.stamp()
    extra = small_lake.read("uploads").slice(0, 1)
    small_lake.write("uploads", extra)
    assert small_lake.stamp() != before


def test_connection_is_locked_down(small_lake):
    cur = small_lake.connect().cursor()
    assert cur.execute("select count(*) from wilayah").fetchone()[0] == 5
    for statement in (
        "select * from read_csv('/etc/passwd')",
        "copy nilai to '/tmp/pantau-leak.csv'",
        "attach '/tmp/pantau-other.db'",
        "set enable_external_access = true",
        "set allowed_directories = ['/']",
        f"select * from read_parquet('{settings.ROOT}/tests/data/nasional/desa_kelurahan.parquet')",
    ):
        with pytest.raises(duckdb.Error):
            cur.execute(statement)
    assert not os.path.exists("/tmp/pantau-leak.csv")


def test_each_thread_gets_its_own_cursor_seeing_every_table(small_lake):
    import threading

    db = small_lake.connect()
    seen = {}

    def count():
        seen[threading.get_ident()] = (db.cursor(), db.cursor().execute("select count(*) from nilai").fetchone()[0])

    threads = [threading.Thread(target=count) for _ in range(3)]
    [th.start() for th in threads]
    [th.join() for th in threads]
    cursors = [c for c, _ in seen.values()]
    assert len({id(c) for c in cursors}) == 3
    assert {n for _, n in seen.values()} == {5}


def test_a_lost_data_file_names_the_table(small_lake):
    for parquet in small_lake.table_path("drainase").glob("*.parquet"):
        parquet.unlink()
    with pytest.raises(LakeError) as err:
        small_lake.connect()
    assert err.value.table == "drainase" and err.value.reason == "unreadable"
    assert "drainase" in err.value.message("en")


def test_a_damaged_log_names_the_table(small_lake):
    for log in (small_lake.table_path("nilai") / "_delta_log").glob("*.json"):
        log.write_text("{not json", encoding="utf-8")
    with pytest.raises(LakeError) as err:
        small_lake.connect()
    assert err.value.table == "nilai"


def test_tables_are_read_from_the_current_files_and_a_newer_column_reads_as_null(small_lake):
    from pantau.lake.database import Database
    from pantau.lake.schema import SCHEMAS

    files = small_lake.files("nilai")
    assert files and all(f.startswith(str(small_lake.path.resolve())) for f in files)
    # A lake written before the schema gained a column: the view still has it, as nulls.
    schema = SCHEMAS["nilai"]
    try:
        SCHEMAS["nilai"] = schema.append(pa.field("catatan_baru", pa.string()))
        cur = Database({"nilai": files}, small_lake.path).cursor()
        rows = cur.execute("select count(*), count(catatan_baru) from nilai").fetchone()
    finally:
        SCHEMAS["nilai"] = schema
    assert rows[0] > 0 and rows[1] == 0


def _nilai(kodes, jumlah, penyebut, periode):
    return pa.table({"kelurahan_kode": kodes, "kota_kode": ["99.01"] * len(kodes), "indikator": ["stunting"] * len(kodes),
                     "periode": [periode] * len(kodes), "sumber": ["resmi"] * len(kodes),
                     "jumlah": jumlah, "penyebut": penyebut})


def test_a_file_of_two_months_is_one_commit_one_upload_and_one_undo(small_lake):

    jul, aug = dt.date(2025, 7, 1), dt.date(2025, 8, 1)
    before = small_lake.read("nilai").sort_by([("periode", "ascending"), ("kelurahan_kode", "ascending")]).to_pylist()
    version = small_lake._delta("nilai")[0].version()
    rows = pa.concat_tables([_nilai(["99.01.01.1001"], [3], [12], jul),
                             _nilai(["99.01.01.1001", "99.01.01.1002"], [4, 8], [12, 80], aug)])
    keys = [{"kota_kode": "99.01", "indikator": "stunting", "sumber": "resmi", "periode": p} for p in (jul, aug)]
    record = {"jenis": "nilai", "nama_berkas": "sigizi.xlsx", "sha256": "x", "kota_kode": "99.01",
              "indikator": "stunting", "sumber": "resmi", "periode": None, "baris": 3, "demo": False}
    done = small_lake.commit("nilai", keys, rows, record)
    assert small_lake._delta("nilai")[0].version() == version + 1  # one Delta commit for both months
    stored = small_lake.read("nilai").to_pylist()
    assert sorted((r["periode"], r["kelurahan_kode"], r["jumlah"]) for r in stored) == [
        (jul, "99.01.01.1001", 3), (aug, "99.01.01.1001", 4), (aug, "99.01.01.1002", 8)]
    assert {(r["periode"], r["kelurahan_kode"]) for r in stored} == {
        (jul, "99.01.01.1001"), (aug, "99.01.01.1001"), (aug, "99.01.01.1002")}  # both slices replaced whole
    log = [r for r in small_lake.uploads().to_pylist() if r["upload_id"] == done["upload_id"]]
    assert sorted((r["periode"], r["baris"]) for r in log) == [(jul, 1), (aug, 2)]
    assert done["baris"] == 3 and [p["baris"] for p in done["irisan"]] == [1, 2]

    undone = small_lake.undo(done["upload_id"])
    assert undone["baris"] == len(before) and small_lake._delta("nilai")[0].version() == version + 2
    after = small_lake.read("nilai").sort_by([("periode", "ascending"), ("kelurahan_kode", "ascending")]).to_pylist()
    assert after == before  # both months as they were, rows with their own upload ids
    with pytest.raises(UndoRefused):
        small_lake.undo(done["upload_id"])


def test_a_log_lost_after_a_commit_of_many_slices_is_rebuilt_a_row_per_slice(small_lake):

    jul, aug = dt.date(2025, 7, 1), dt.date(2025, 8, 1)
    keys = [{"kota_kode": "99.01", "indikator": "stunting", "sumber": "resmi", "periode": p} for p in (jul, aug)]
    done = small_lake.commit("nilai", keys, pa.concat_tables([_nilai(["99.01.01.1001"], [3], [12], jul),
                                                              _nilai(["99.01.01.1002"], [8], [80], aug)]),
                             {"jenis": "nilai", "nama_berkas": "f.xlsx", "sha256": "y", "kota_kode": "99.01",
                              "indikator": "stunting", "sumber": "resmi", "demo": False})
    kept = [r for r in small_lake.uploads().to_pylist() if r["upload_id"] != done["upload_id"]]
    small_lake.write("uploads", pa.Table.from_pylist(kept, schema=small_lake.uploads().schema), mode="overwrite")
    assert small_lake.recover() == 2
    assert sorted(r["periode"] for r in small_lake.uploads().to_pylist() if r["upload_id"] == done["upload_id"]) == [jul, aug]
