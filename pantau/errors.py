"""Errors a user can act on; pages show them and the command line prints them."""

from __future__ import annotations


class PantauError(Exception):
    """Something the user can fix, with a message in the user's language."""


class LakeError(PantauError):
    """A table of the lake is missing or cannot be read."""

    def __init__(self, table: str, message: str):
        super().__init__(message)
        self.table = table


class UnknownParameter(PantauError):
    """A kota, indicator, source or period that the lake does not hold."""

    def __init__(self, kind: str, value: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.value = value


class QueryError(PantauError):
    """A query file was called with the wrong parameters."""
