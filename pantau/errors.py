"""Errors a user can act on; pages show them and the command line prints them."""

from __future__ import annotations


class PantauError(Exception):
    """Something the user can fix."""

    def message(self, lang: str = "id") -> str:
        """The message in the user's language."""
        return str(self)


class LakeError(PantauError):
    """A table of the lake is missing or cannot be read."""

    def __init__(self, table: str, reason: str, path: str, detail: str = ""):
        super().__init__(f"{reason}: {table} ({path}) {detail}".strip())
        self.table, self.reason, self.path, self.detail = table, reason, path, detail

    def message(self, lang: str = "id") -> str:
        from pantau.i18n import t

        return t(f"error.lake.{self.reason}", lang, table=self.table, path=self.path, detail=self.detail)


class UnknownParameter(PantauError):
    """A kota, indicator or period that the lake does not hold."""


class QueryError(PantauError):
    """A query file was called with the wrong parameters."""



class KeyedError(PantauError):
    """An error whose message is an i18n key with parameters."""

    def __init__(self, key: str, **params):
        super().__init__(f"{key}: {params}")
        self.key, self.params = key, params

    def message(self, lang: str = "id") -> str:
        from pantau.i18n import t

        return t(self.key, lang, **self.params)


class IngestError(KeyedError):
    """A file that cannot be taken as a whole: unreadable, too large, no header, another kota."""


class UndoRefused(KeyedError):
    """An upload that cannot be undone now (a later upload replaced the same figures, or it is undone)."""


class LakeBusy(KeyedError):
    """Another ingest or undo holds the lake."""


class EditConflict(KeyedError):
    """A record someone else saved since it was opened; nothing was written."""


class InputError(KeyedError):
    """A value typed on a page that cannot be saved as it is (a target, a date, an empty field)."""


class UsageError(KeyedError):
    """Options of the command line that do not fit together, or a kota, indicator or period the lake does not hold."""
