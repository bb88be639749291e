import os

import duckdb
import pyarrow as pa
import pytest

from pantau import settings
from pantau.errors import LakeError
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
