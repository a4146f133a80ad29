"""Batch screening of name files: CSV, JSON lines or Parquet in, one result row per input row out.

Streams (memory stays flat), keeps input order, writes output in chunks so an interrupted run
leaves a readable file, and `resume` continues one: rows already written are skipped, none twice.
A bad row (no name, a name over 1,000 characters, bad encoding, wrong number of fields) is written
with its error and counted; the run goes on.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .models import ScreenResult, Watchlist
from .parallel import ordered_map
from .screener import Request, Screener

OUTPUT_COLUMNS = (
    "row",
    "id",
    "name",
    "hit_count",
    "best_score",
    "best_entry_id",
    "best_matched_name",
    "hits",
    "error",
)
FORMATS = ("csv", "jsonl", "parquet")
CHUNK_ROWS = 1000


@dataclass
class InputRow:
    """One input row: its 1-based number, the fields the screen needs, or why it is bad."""

    row: int
    id: str | None = None
    name: Any = None
    birth_date: str | None = None
    nationality: str | None = None
    kind: str | None = None
    error: str | None = None


@dataclass
class BatchSummary:
    """What a batch run did."""

    rows: int = 0
    rows_with_hits: int = 0
    errors: int = 0
    skipped: int = 0
    seconds: float = 0.0
    lists: list[tuple[str, str]] = field(default_factory=list)

    @property
    def rows_per_second(self) -> float:
        """Rows screened per second in this run."""
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    def __str__(self) -> str:
        lists = ", ".join(f"{n} {v}" for n, v in self.lists)
        return (
            f"rows {self.rows} (resumed after {self.skipped}), with hits {self.rows_with_hits}, "
            f"errors {self.errors}, {self.rows_per_second:.0f} rows/s; lists: {lists}"
        )


def detect_format(path: str, given: str | None) -> str:
    """The file format from `--format` or the extension (`-` means CSV unless told).

    >>> detect_format("out.jsonl", None), detect_format("-", None)
    ('jsonl', 'csv')
    """
    if given:
        if given not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {given!r}")
        return given
    suffix = Path(path).suffix.lower().lstrip(".")
    return {
        "csv": "csv",
        "jsonl": "jsonl",
        "ndjson": "jsonl",
        "json": "jsonl",
        "parquet": "parquet",
        "pq": "parquet",
    }.get(suffix, "csv")


@dataclass
class Columns:
    """Which input columns hold what."""

    name: str
    id: str | None = None
    birth_date: str | None = None
    nationality: str | None = None
    kind: str | None = None

    def row(self, number: int, record: dict[str, Any]) -> InputRow:
        """An InputRow from one record (a dict of column -> value)."""

        def get(col: str | None) -> str | None:
            if col is None:
                return None
            v = record.get(col)
            return None if v is None or v == "" else str(v)

        return InputRow(
            number,
            id=get(self.id),
            name=record.get(self.name),
            birth_date=get(self.birth_date),
            nationality=get(self.nationality),
            kind=get(self.kind),
        )


def _has_surrogates(values: list[str]) -> bool:
    return any(any("\udc80" <= ch <= "\udcff" for ch in v) for v in values)


def read_rows(path: str, fmt: str, cols: Columns) -> Iterator[InputRow]:
    """Stream input rows; a row that cannot be read comes back with its error set."""
    if fmt == "parquet":
        yield from _read_parquet(path, cols)
        return
    raw: IO[bytes] = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
    try:
        text = io.TextIOWrapper(raw, encoding="utf-8", errors="surrogateescape", newline="")
        if fmt == "jsonl":
            for number, line in enumerate(text, start=1):
                if not line.strip():
                    yield InputRow(number, error="empty line")
                    continue
                if _has_surrogates([line]):
                    yield InputRow(number, error="bad encoding: not UTF-8")
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield InputRow(number, error=f"invalid JSON: {exc.msg}")
                    continue
                if not isinstance(record, dict):
                    yield InputRow(number, error="a JSON line must be an object")
                    continue
                yield cols.row(number, record)
            return
        reader = csv.reader(text)
        header = next(reader, None)
        if header is None:
            return
        header = [h.lstrip("\ufeff") for h in header]
        for needed in (
            c for c in (cols.name, cols.id, cols.birth_date, cols.nationality, cols.kind) if c
        ):
            if needed not in header:
                raise ValueError(f"{path}: no column {needed!r} (columns: {', '.join(header)})")
        number = 0
        while True:
            try:
                values = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                number += 1
                yield InputRow(number, error=f"malformed CSV: {exc}")
                continue
            number += 1
            if len(values) != len(header):
                yield InputRow(number, error=f"expected {len(header)} fields, found {len(values)}")
            elif _has_surrogates(values):
                yield InputRow(number, error="bad encoding: not UTF-8")
            else:
                yield cols.row(number, dict(zip(header, values, strict=True)))
    finally:
        if raw is not sys.stdin.buffer:
            raw.close()


def _read_parquet(path: str, cols: Columns) -> Iterator[InputRow]:
    import pyarrow.parquet as pq  # the parquet extra

    source: Any = io.BytesIO(sys.stdin.buffer.read()) if path == "-" else path
    pf = pq.ParquetFile(source)
    if cols.name not in pf.schema_arrow.names:
        raise ValueError(
            f"{path}: no column {cols.name!r} (columns: {', '.join(pf.schema_arrow.names)})"
        )
    number = 0
    for batch in pf.iter_batches(batch_size=CHUNK_ROWS):
        for record in batch.to_pylist():
            number += 1
            yield cols.row(number, record)


def screen_rows(
    screener: Screener, threshold: float | None, limit: int, items: Sequence[InputRow]
) -> list[dict[str, Any]]:
    """One output row (the OUTPUT_COLUMNS) per input row; a bad row gets its error, never raises.

    >>> # screen_rows(screener, None, 10, [InputRow(1, name="Abu Zainab al-Lami")])[0]["hit_count"]
    """
    outs: list[dict[str, Any]] = []
    requests: list[Request] = []
    asked: list[dict[str, Any]] = []
    for item in items:
        out: dict[str, Any] = {
            "row": item.row,
            "id": item.id,
            "name": item.name if isinstance(item.name, str) else None,
            "hit_count": 0,
            "best_score": None,
            "best_entry_id": None,
            "best_matched_name": None,
            "hits": "[]",
            "error": item.error,
        }
        outs.append(out)
        if item.error:
            continue
        if item.name is None or (isinstance(item.name, str) and not item.name.strip()):
            out["error"] = "missing or empty name"
            continue
        requests.append(Request(item.name, item.kind, item.birth_date, item.nationality))
        asked.append(out)
    try:
        results: list[ScreenResult | ValueError] = screener._screen_batch(
            requests, threshold, limit
        )
    except ValueError as exc:  # a threshold or limit no row can be screened with
        results = [exc] * len(requests)
    for out, result in zip(asked, results, strict=True):
        if isinstance(result, ValueError):
            out["error"] = str(result)
            continue
        hits = result.hits
        out["hit_count"] = len(hits)
        if hits:
            out["best_score"] = hits[0].score
            out["best_entry_id"] = hits[0].entry.id
            out["best_matched_name"] = hits[0].matched_name
        out["hits"] = json.dumps(
            [
                {
                    "entry_id": h.entry.id,
                    "score": h.score,
                    "matched_name": h.matched_name,
                    "list": h.entry.list,
                    "programs": h.entry.programs,
                }
                for h in hits
            ],
            ensure_ascii=False,
        )
    return outs


class _Worker:
    """A picklable-free callable: forked workers inherit it with the screener inside."""

    def __init__(self, screener: Screener, threshold: float | None, limit: int) -> None:
        self.screener, self.threshold, self.limit = screener, threshold, limit

    def __call__(self, items: list[InputRow]) -> list[dict[str, Any]]:
        return screen_rows(self.screener, self.threshold, self.limit, items)


# -- output ----------------------------------------------------------------------------------------


def _csv_cell(v: Any) -> str:
    return "" if v is None else str(v)


def count_done(path: str, fmt: str) -> int:
    """Rows already written to an output file (a torn last line is cut off first).

    >>> count_done("/nonexistent.csv", "csv")
    0
    """
    p = Path(path)
    if fmt == "parquet":
        parts = _parts_dir(p)
        if not parts.exists():
            return 0
        import pyarrow.parquet as pq

        return sum(
            pq.ParquetFile(f).metadata.num_rows for f in sorted(parts.glob("part-*.parquet"))
        )
    if not p.exists():
        return 0
    data = p.read_bytes()
    if data and not data.endswith(b"\n"):
        data = data[: data.rfind(b"\n") + 1]
        p.write_bytes(data)
    if fmt == "jsonl":
        return data.count(b"\n")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8", errors="replace"))))
    return max(0, len(rows) - 1)


def _parts_dir(p: Path) -> Path:
    return p.with_name(p.name + ".parts")


class _Writer:
    def __init__(self, path: str, fmt: str, append: bool, chunk_rows: int = CHUNK_ROWS) -> None:
        self.path, self.fmt, self.chunk_rows = path, fmt, chunk_rows
        self.buffer: list[dict[str, Any]] = []
        self.part = 0
        self.stream: IO[str] | None = None
        if fmt == "parquet":
            parts = _parts_dir(Path(path))
            parts.mkdir(parents=True, exist_ok=True)
            self.part = len(list(parts.glob("part-*.parquet")))
        elif path == "-":
            self.stream = sys.stdout
        else:
            self.stream = open(path, "a" if append else "w", encoding="utf-8", newline="")  # noqa: SIM115
        if fmt == "csv" and self.stream is not None and not append:
            csv.writer(self.stream).writerow(OUTPUT_COLUMNS)

    def write(self, row: dict[str, Any]) -> None:
        self.buffer.append(row)
        if len(self.buffer) >= self.chunk_rows:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        if self.fmt == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pylist(self.buffer, schema=_parquet_schema())
            target = _parts_dir(Path(self.path)) / f"part-{self.part:06d}.parquet"
            tmp = target.with_suffix(".tmp")
            pq.write_table(table, tmp)
            tmp.rename(target)  # a part is either whole or absent
            self.part += 1
        else:
            assert self.stream is not None
            if self.fmt == "csv":
                w = csv.writer(self.stream)
                for r in self.buffer:
                    w.writerow([_csv_cell(r[c]) for c in OUTPUT_COLUMNS])
            else:
                for r in self.buffer:
                    self.stream.write(
                        json.dumps({c: r[c] for c in OUTPUT_COLUMNS}, ensure_ascii=False) + "\n"
                    )
            self.stream.flush()
        self.buffer.clear()

    def close(self) -> None:
        self.flush()
        if self.fmt == "parquet":
            import pyarrow.parquet as pq

            parts = sorted(_parts_dir(Path(self.path)).glob("part-*.parquet"))
            tables = [pq.read_table(f) for f in parts]
            import pyarrow as pa

            table = (
                pa.concat_tables(tables)
                if tables
                else pa.Table.from_pylist([], schema=_parquet_schema())
            )
            pq.write_table(table, self.path)
        elif self.stream is not None and self.stream is not sys.stdout:
            self.stream.close()


def _parquet_schema() -> Any:
    import pyarrow as pa

    return pa.schema(
        [
            ("row", pa.int64()),
            ("id", pa.string()),
            ("name", pa.string()),
            ("hit_count", pa.int64()),
            ("best_score", pa.float64()),
            ("best_entry_id", pa.string()),
            ("best_matched_name", pa.string()),
            ("hits", pa.string()),
            ("error", pa.string()),
        ]
    )


def screen_file(
    screener: Screener,
    input_path: str,
    output_path: str,
    *,
    name_column: str,
    id_column: str | None = None,
    birth_date_column: str | None = None,
    nationality_column: str | None = None,
    kind_column: str | None = None,
    threshold: float | None = None,
    limit: int = 10,
    workers: int = 1,
    resume: bool = False,
    input_format: str | None = None,
    output_format: str | None = None,
    progress: bool = False,
    chunk_rows: int = CHUNK_ROWS,
) -> BatchSummary:
    """Screen every row of a file into an output file; exactly one output row per input row.

    >>> # screen_file(screener, "customers.csv", "results.csv", name_column="full_name", workers=0)
    """
    in_fmt = detect_format(input_path, input_format)
    out_fmt = detect_format(output_path, output_format)
    if out_fmt == "parquet" and output_path == "-":
        raise ValueError("Parquet output needs a file, not stdout")
    cols = Columns(name_column, id_column, birth_date_column, nationality_column, kind_column)
    done = count_done(output_path, out_fmt) if resume and output_path != "-" else 0
    if not resume and out_fmt == "parquet":
        for old in _parts_dir(Path(output_path)).glob("part-*.parquet"):
            old.unlink()
    summary = BatchSummary(skipped=done, lists=list(screener.lists))
    start = time.perf_counter()
    rows = (r for r in read_rows(input_path, in_fmt, cols) if r.row > done)
    if chunk_rows < 1:
        raise ValueError(f"chunk_rows must be at least 1, got {chunk_rows}")
    writer = _Writer(output_path, out_fmt, append=done > 0, chunk_rows=chunk_rows)
    bar = _Progress(sys.stderr) if progress else None
    try:
        for out in ordered_map(_Worker(screener, threshold, limit), rows, workers):
            writer.write(out)
            summary.rows += 1
            summary.rows_with_hits += out["hit_count"] > 0
            summary.errors += out["error"] is not None
            if bar:
                bar.update(summary.rows, time.perf_counter() - start)
    finally:
        writer.close()
        if bar:
            bar.finish()
    summary.seconds = time.perf_counter() - start
    return summary


class _Progress:
    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.last = 0.0

    def update(self, rows: int, elapsed: float) -> None:
        if elapsed - self.last < 0.5:
            return
        self.last = elapsed
        rate = rows / elapsed if elapsed else 0.0
        self.stream.write(f"\r{rows} rows, {rate:.0f} rows/s, {elapsed:.0f}s elapsed")
        self.stream.flush()

    def finish(self) -> None:
        self.stream.write("\n")


def add_batch_arguments(p: argparse.ArgumentParser) -> None:
    """The `batch` command's options."""
    p.add_argument("input", help="CSV, JSON lines or Parquet file, or - for stdin")
    p.add_argument("-o", "--output", default="-", help="output file (default stdout)")
    p.add_argument("--name-column", required=True)
    p.add_argument("--id-column")
    p.add_argument("--birth-date-column")
    p.add_argument("--nationality-column")
    p.add_argument("--kind-column")
    p.add_argument("--list", action="append", help="list file or cached list name (repeatable)")
    p.add_argument("--cache-dir")
    p.add_argument("--threshold", type=float)
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--workers", type=int, default=1, help="processes; 0 means all cores")
    p.add_argument(
        "--resume", action="store_true", help="continue an interrupted run into the same output"
    )
    p.add_argument("--format", help="input format: csv, jsonl or parquet (default: by extension)")
    p.add_argument("--output-format", help="output format (default: by extension, csv for stdout)")
    p.add_argument(
        "--chunk-rows",
        type=int,
        default=CHUNK_ROWS,
        help="rows per output write (default %(default)s)",
    )


def run_batch_cli(args: argparse.Namespace, lists: list[Watchlist]) -> int:
    """Run `sanctions-screen batch`; exit 0 no hit, 1 hits, 3 when some rows had errors."""
    screener = Screener(lists, threshold=args.threshold)
    summary = screen_file(
        screener,
        args.input,
        args.output,
        name_column=args.name_column,
        id_column=args.id_column,
        birth_date_column=args.birth_date_column,
        nationality_column=args.nationality_column,
        kind_column=args.kind_column,
        threshold=args.threshold,
        limit=args.limit,
        workers=args.workers,
        resume=args.resume,
        input_format=args.format,
        output_format=args.output_format,
        progress=sys.stderr.isatty(),
        chunk_rows=args.chunk_rows,
    )
    print(f"sanctions-screen batch: {summary}", file=sys.stderr)
    if summary.errors:
        return 3
    return 1 if summary.rows_with_hits else 0
