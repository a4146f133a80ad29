"""Writing batch output in chunks (CSV, JSON lines, or Parquet part files joined at the end), and
reading back what an interrupted run already wrote."""

from __future__ import annotations

import csv
import json
import shutil
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any, NamedTuple

from .rows import OUTPUT_SCHEMA

CHUNK_ROWS = 1000


class Tally(NamedTuple):
    """What an output file holds: rows, rows with hits, rows with errors."""

    rows: int
    with_hits: int
    errors: int


def _parts_dir(p: Path) -> Path:
    return p.with_name(p.name + ".parts")


def _cut_torn_line(p: Path, block: int = 1 << 16) -> None:
    """Cut a torn last line (a run killed mid-write) off the file, reading back from its end."""
    with open(p, "r+b") as f:
        end = f.seek(0, 2)
        pos = end
        while pos > 0:
            start = max(0, pos - block)
            f.seek(start)
            chunk = f.read(pos - start)
            if pos == end and chunk.endswith(b"\n"):
                return  # whole
            cut = chunk.rfind(b"\n")
            if cut != -1:
                f.truncate(start + cut + 1)
                return
            pos = start
        f.truncate(0)


def _records(p: Path, fmt: str) -> Iterator[dict[str, Any]]:
    """The rows of an output, streamed, as dicts with at least `hit_count` and `error`."""
    if fmt == "parquet":
        import pyarrow.parquet as pq

        parts = sorted(_parts_dir(p).glob("part-*.parquet")) or ([p] if p.exists() else [])
        for part in parts:
            yield from pq.read_table(part, columns=["hit_count", "error"]).to_pylist()
        return
    if not p.exists():
        return
    _cut_torn_line(p)
    with open(p, encoding="utf-8", errors="replace", newline="") as f:
        if fmt == "jsonl":
            yield from (json.loads(line) for line in f if line.strip())
        else:
            yield from csv.DictReader(f)


def tally_output(path: str, fmt: str) -> Tally:
    """Rows already written to an output file, with how many had hits or errors (streamed: an
    output of millions of rows is counted in flat memory).

    >>> tally_output("/nonexistent.csv", "csv")
    Tally(rows=0, with_hits=0, errors=0)
    """
    rows = with_hits = errors = 0
    for r in _records(Path(path), fmt):
        rows += 1
        with_hits += int(r["hit_count"] or 0) > 0
        errors += bool(r["error"])
    return Tally(rows, with_hits, errors)


def _csv_cell(v: Any) -> str:
    return "" if v is None else str(v)


def _parquet_schema(schema: Sequence[tuple[str, str]]) -> Any:
    import pyarrow as pa

    types = {"int": pa.int64(), "str": pa.string(), "float": pa.float64(), "bool": pa.bool_()}
    return pa.schema([(name, types[kind]) for name, kind in schema])


class Writer:
    """Writes output rows in chunks of `chunk_rows`, so an interrupted run leaves whole rows.
    `schema` names the columns and their types (the batch output's unless told)."""

    def __init__(
        self,
        path: str,
        fmt: str,
        append: bool,
        chunk_rows: int = CHUNK_ROWS,
        schema: Sequence[tuple[str, str]] = OUTPUT_SCHEMA,
    ) -> None:
        self.path, self.fmt, self.chunk_rows = path, fmt, chunk_rows
        self.schema = tuple(schema)
        self.columns = tuple(name for name, _ in self.schema)
        self.buffer: list[dict[str, Any]] = []
        self.part = 0
        self.stream: IO[str] | None = None
        if fmt == "parquet":
            parts = _parts_dir(Path(path))
            if not append and parts.exists():
                shutil.rmtree(parts)
            parts.mkdir(parents=True, exist_ok=True)
            self.part = len(list(parts.glob("part-*.parquet")))
        elif path == "-":
            self.stream = sys.stdout
        else:
            self.stream = open(path, "a" if append else "w", encoding="utf-8", newline="")  # noqa: SIM115
        if fmt == "csv" and self.stream is not None and not append:
            csv.writer(self.stream).writerow(self.columns)

    def write(self, row: dict[str, Any]) -> None:
        """Add one row; a full chunk is written out."""
        self.buffer.append(row)
        if len(self.buffer) >= self.chunk_rows:
            self.flush()

    def flush(self) -> None:
        """Write out the buffered rows (a Parquet part is either whole or absent)."""
        if not self.buffer:
            return
        if self.fmt == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pylist(self.buffer, schema=_parquet_schema(self.schema))
            target = _parts_dir(Path(self.path)) / f"part-{self.part:06d}.parquet"
            tmp = target.with_suffix(".tmp")
            pq.write_table(table, tmp)
            tmp.rename(target)
            self.part += 1
        else:
            assert self.stream is not None
            if self.fmt == "csv":
                w = csv.writer(self.stream)
                for r in self.buffer:
                    w.writerow([_csv_cell(r[c]) for c in self.columns])
            else:
                for r in self.buffer:
                    self.stream.write(
                        json.dumps({c: r[c] for c in self.columns}, ensure_ascii=False) + "\n"
                    )
            self.stream.flush()
        self.buffer.clear()

    def close(self) -> None:
        """Write what is left; Parquet parts are joined into the output file (an interrupted run
        too, so it leaves a readable file; the parts stay for --resume until the run completes)."""
        self.flush()
        if self.fmt == "parquet":
            self._join_parts()
        elif self.stream is not None and self.stream is not sys.stdout:
            self.stream.close()

    def _join_parts(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        parts_dir = _parts_dir(Path(self.path))
        tables = [pq.read_table(f) for f in sorted(parts_dir.glob("part-*.parquet"))]
        table = pa.concat_tables(tables) if tables else _parquet_schema(self.schema).empty_table()
        tmp = Path(self.path).with_name(Path(self.path).name + ".tmp")
        pq.write_table(table, tmp)
        tmp.replace(self.path)


def has_output(path: str, fmt: str) -> bool:
    """Whether an earlier run left output (or Parquet parts) at `path`."""
    return Path(path).exists() or (fmt == "parquet" and _parts_dir(Path(path)).exists())


def remove_parts(path: str, fmt: str) -> None:
    """Remove the Parquet part files once the run is recorded as complete."""
    if fmt == "parquet":
        shutil.rmtree(_parts_dir(Path(path)), ignore_errors=True)
