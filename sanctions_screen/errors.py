"""Errors the library raises on bad lists and bad saved indexes."""

from __future__ import annotations


class ListFormatError(ValueError):
    """A list file could not be read: names the file and, where known, the line or element.

    >>> str(ListFormatError("bad row", path="sdn.csv", line=3))
    'sdn.csv, line 3: bad row'
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        element: str | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.element = element
        where = path or "<list>"
        if line is not None:
            where += f", line {line}"
        if element is not None:
            where += f", element {element}"
        super().__init__(f"{where}: {message}")


class IndexFormatError(ValueError):
    """A saved index could not be used: names the file and what did not match (not an index,
    truncated, corrupted, another format or library version, built from other list files).

    >>> str(IndexFormatError("checksum mismatch", path="lists.idx"))
    'lists.idx: checksum mismatch'
    """

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path or '<index>'}: {message}")
