"""Load a query from queries/*.sql, bind its documented parameters, return a DataFrame."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import pandas as pd

from pantau import settings
from pantau.errors import QueryError

_PARAMS_LINE = re.compile(r"^--\s*params:\s*(.*)$", re.MULTILINE)


@dataclass(frozen=True)
class Query:
    name: str
    sql: str
    params: frozenset[str]


@functools.cache
def load(name: str) -> Query:
    """The query file queries/<name>.sql with the parameters its header lists."""
    path = settings.QUERIES_DIR / f"{name}.sql"
    if not path.is_file():
        raise QueryError(f"no query file {path.name}")
    sql = path.read_text(encoding="utf-8")
    match = _PARAMS_LINE.search(sql)
    names = re.findall(r"\$(\w+)", match.group(1)) if match else []
    return Query(name, sql, frozenset(names))


def run(cursor, name: str, **params) -> pd.DataFrame:
    """Run a query with exactly its documented parameters, every value bound."""
    query = load(name)
    given = set(params)
    if given != query.params:
        raise QueryError(
            f"{name}.sql takes {sorted(query.params)}, got {sorted(given)}"
        )
    return cursor.execute(query.sql, params).df()
