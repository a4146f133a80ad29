"""Reading batch input: CSV, JSON lines or Parquet, one `InputRow` per physical input line.

Every physical line of a CSV or JSON-lines file is one row, so nothing can swallow rows: a quoted
CSV field that runs over a line end is an error row for its line (customer files hold no
multi-line names; a stray quote would otherwise merge every row up to the next quote into one
field), and the lines after it are read as usual.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..sources.files import looks_utf16
from .rows import InputRow

FORMATS = ("csv", "jsonl", "parquet")
_EXTENSIONS = {
    "csv": "csv",
    "jsonl": "jsonl",
    "ndjson": "jsonl",
    "json": "jsonl",
    "parquet": "parquet",
    "pq": "parquet",
}


def detect_format(path: str, given: str | None) -> str:
    """The file format from `--format` or the extension (`-` means CSV unless told).

    >>> detect_format("out.jsonl", None), detect_format("-", None)
    ('jsonl', 'csv')
    """
    if given:
        if given not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {given!r}")
        return given
    return _EXTENSIONS.get(Path(path).suffix.lower().lstrip("."), "csv")


@dataclass
class Columns:
    """Which input columns hold what."""

    name: str
    id: str | None = None
    birth_date: str | None = None
    nationality: str | None = None
    kind: str | None = None

    def named(self) -> list[str]:
        """The columns the options name, the name column first."""
        return [c for c in (self.name, self.id, self.birth_date, self.nationality, self.kind) if c]

    def check_header(self, header: list[str], path: str) -> None:
        """ValueError when a named column is missing, or stands twice (which one is meant?)."""
        counts = Counter(header)
        for col in self.named():
            if col not in counts:
                raise ValueError(f"{path}: no column {col!r} (columns: {', '.join(header)})")
            if counts[col] > 1:
                raise ValueError(
                    f"{path}: column {col!r} appears {counts[col]} times in the header; "
                    "rename the others so that it is clear which one to screen"
                )

    def row(self, number: int, line: int | None, record: dict[str, Any]) -> InputRow:
        """An InputRow from one record (a dict of column -> value)."""

        def get(col: str | None) -> str | None:
            if col is None:
                return None
            v = record.get(col)
            return None if v is None or v == "" else str(v)

        name = record.get(self.name)
        return InputRow(
            number,
            id=get(self.id),
            name=name,
            birth_date=get(self.birth_date),
            nationality=get(self.nationality),
            kind=get(self.kind),
            error=f"no name: column {self.name!r} is empty" if name is None else None,
            line=line,
        )


def _decode(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError:
        return None


class InputFile:
    """An open batch input, its header (or schema) checked on opening, so a missing or
    duplicated column is an error before any output exists. Iterating yields every row."""

    def __init__(self, path: str, fmt: str, cols: Columns) -> None:
        self.path, self.fmt, self.cols = path, fmt, cols
        self.size = 0 if path == "-" else os.path.getsize(path)
        self.header: list[str] = []
        self.total_rows: int | None = None
        self._read = 0
        self._parquet: Any = None
        self._stream: IO[bytes] | None = None
        self._first: bytes | None = None
        try:
            if fmt == "parquet":
                self._open_parquet()
            else:
                self._open_text()
        except BaseException:
            self.close()
            raise

    def _open_text(self) -> None:
        stream: IO[bytes] = sys.stdin.buffer if self.path == "-" else open(self.path, "rb")  # noqa: SIM115
        self._stream = stream
        first = stream.readline()
        self._read = len(first)
        if not first or (self.fmt == "csv" and not first.strip(b" \r\n\t\xef\xbb\xbf")):
            raise ValueError(f"{self.path}: the input is empty (no header, no rows)")
        if looks_utf16(first):
            raise ValueError(f"{self.path}: the file is UTF-16, not UTF-8: save it as UTF-8")
        if b"\r" in first.rstrip(b"\r\n"):
            # Lines ended by a bare carriage return (classic Mac): the whole file reads as one
            # line, so every row would be lost in the header.
            raise ValueError(
                f"{self.path}: lines end with a bare carriage return (CR): save the file with "
                "LF or CRLF line ends"
            )
        if self.fmt == "jsonl":
            self._first = first  # a JSON line is a row: read again by the iterator
            return
        text = _decode(first)
        if text is None:
            raise ValueError(f"{self.path}, line 1: the header is not UTF-8")
        try:
            self.header = next(csv.reader([text.lstrip("\ufeff")], strict=True))
        except csv.Error as exc:
            raise ValueError(f"{self.path}, line 1: malformed CSV header: {exc}") from exc
        self.cols.check_header(self.header, self.path)

    def _open_parquet(self) -> None:
        import pyarrow.parquet as pq  # the parquet extra

        source: Any = io.BytesIO(sys.stdin.buffer.read()) if self.path == "-" else self.path
        self._parquet = pq.ParquetFile(source)
        self.header = list(self._parquet.schema_arrow.names)
        self.total_rows = self._parquet.metadata.num_rows
        self.cols.check_header(self.header, self.path)

    def fraction_done(self) -> float | None:
        """How much of the input has been read (0 to 1), when its size is known."""
        if self.total_rows:
            return min(1.0, self._read / self.total_rows)
        if self.size:
            return min(1.0, self._read / self.size)
        return None

    def __iter__(self) -> Iterator[InputRow]:
        if self._parquet is not None:
            yield from self._parquet_rows()
        elif self.fmt == "jsonl":
            yield from self._jsonl_rows()
        else:
            yield from self._csv_rows()

    def _lines(self) -> Iterator[tuple[int, bytes]]:
        assert self._stream is not None
        number = 0
        if self._first is not None:
            number += 1
            yield number, self._first
        for raw in self._stream:
            number += 1
            self._read += len(raw)
            yield number, raw

    def _csv_rows(self) -> Iterator[InputRow]:
        width = len(self.header)
        for number, raw in self._lines():
            line = number + 1  # the header is line 1
            text = _decode(raw)
            if text is None:
                yield InputRow(number, error="bad encoding: not UTF-8", line=line)
                continue
            try:
                values = next(csv.reader([text], strict=True), [])
            except csv.Error as exc:
                yield self._malformed(number, line, text, exc)
                continue
            if not values:
                yield InputRow(number, error="empty line", line=line)
            elif len(values) != width:
                yield InputRow(
                    number, error=f"expected {width} fields, found {len(values)}", line=line
                )
            else:
                yield self.cols.row(number, line, dict(zip(self.header, values, strict=True)))

    def _malformed(self, number: int, line: int, text: str, exc: csv.Error) -> InputRow:
        """An error row for a line strict CSV cannot read, with its id and name as a lenient
        reading sees them, so the analyst knows which customer was not screened."""
        why = (
            "a quoted field runs over the line end (an unclosed quote?)"
            if "unexpected end of data" in str(exc)
            else str(exc)
        )
        try:
            values = next(csv.reader([text]), [])
        except csv.Error:  # a bare carriage return inside the line: nothing to salvage
            values = []
        row = (
            self.cols.row(number, line, dict(zip(self.header, values, strict=True)))
            if len(values) == len(self.header)
            else InputRow(number, line=line)
        )
        row.error = f"malformed CSV, not screened: {why}"
        return row

    def _jsonl_rows(self) -> Iterator[InputRow]:
        for number, raw in self._lines():
            text = _decode(raw)
            if text is None:
                yield InputRow(number, error="bad encoding: not UTF-8", line=number)
                continue
            if not text.strip():
                yield InputRow(number, error="empty line", line=number)
                continue
            try:
                record = json.loads(text)
            except json.JSONDecodeError as exc:
                yield InputRow(number, error=f"invalid JSON: {exc.msg}", line=number)
                continue
            if not isinstance(record, dict):
                yield InputRow(number, error="a JSON line must be an object", line=number)
                continue
            yield self.cols.row(number, number, record)

    def _parquet_rows(self) -> Iterator[InputRow]:
        number = 0
        for batch in self._parquet.iter_batches(batch_size=1000):
            for record in batch.to_pylist():
                number += 1
                self._read = number
                yield self.cols.row(number, None, record)

    def close(self) -> None:
        """Close the input (never stdin)."""
        if self._stream is not None and self._stream is not sys.stdin.buffer:
            self._stream.close()
