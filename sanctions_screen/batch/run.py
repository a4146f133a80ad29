"""`screen_file`: a whole input file screened into an output file, one row out per row in."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ..parallel import ordered_map, resolve_workers
from ..query import Secondary, check_limit, check_secondary, check_threshold
from ..screener import Screener
from .manifest import check_same_run, describe_run, read_manifest, write_manifest
from .reader import Columns, InputFile, detect_format
from .rows import InputRow, screen_rows
from .writer import CHUNK_ROWS, Tally, Writer, has_output, remove_parts, tally_output


@dataclass
class BatchSummary:
    """What a batch output holds: `rows` counts the whole output, `skipped` the rows an earlier
    run had written (`--resume`); `seconds` is this run's time."""

    rows: int = 0
    rows_with_hits: int = 0
    errors: int = 0
    skipped: int = 0
    seconds: float = 0.0
    lists: list[tuple[str, str]] = field(default_factory=list)

    @property
    def screened(self) -> int:
        """Rows screened by this run."""
        return self.rows - self.skipped

    @property
    def rows_per_second(self) -> float:
        """Rows screened per second in this run."""
        return self.screened / self.seconds if self.seconds > 0 else 0.0

    def __str__(self) -> str:
        lists = ", ".join(f"{n} {v}" for n, v in self.lists)
        resumed = f" ({self.screened} screened now, {self.skipped} by an earlier run)"
        return (
            f"rows {self.rows}{resumed if self.skipped else ''}, with hits {self.rows_with_hits}, "
            f"errors {self.errors}, {self.rows_per_second:.0f} rows/s; lists: {lists}"
        )


class _Worker:
    """The per-chunk work; forked workers inherit it with the screener inside."""

    def __init__(
        self, screener: Screener, threshold: float | None, limit: int, secondary: Secondary
    ) -> None:
        self.screener, self.threshold, self.limit = screener, threshold, limit
        self.secondary = secondary

    def __call__(self, items: list[InputRow]) -> list[dict[str, Any]]:
        return screen_rows(self.screener, self.threshold, self.limit, items, self.secondary)


def _same_file(a: str, b: str) -> bool:
    if a == "-" or b == "-":
        return False
    if Path(a).resolve() == Path(b).resolve():
        return True
    return os.path.exists(b) and os.path.samefile(a, b)


def _check_paths(input_path: str, output_path: str, out_fmt: str, resume: bool) -> None:
    if out_fmt == "parquet" and output_path == "-":
        raise ValueError("Parquet output needs a file, not stdout")
    if _same_file(input_path, output_path):
        raise ValueError(f"the output {output_path} is the input file: it would be overwritten")
    if resume and "-" in (input_path, output_path):
        raise ValueError("--resume needs an input file and an output file, not stdin or stdout")


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
    secondary: Secondary = "keep",
    workers: int = 1,
    resume: bool = False,
    input_format: str | None = None,
    output_format: str | None = None,
    progress: bool = False,
    chunk_rows: int = CHUNK_ROWS,
) -> BatchSummary:
    """Screen every row of a file into an output file; exactly one output row per input row.

    Every argument, the input's header and the paths are checked before the output is created.
    A screener with a decision store (`Screener(decisions=...)`) applies each row's decisions,
    the row's id (`id_column`, then required) being the subject id.
    A file output gets a manifest beside it (`OUTPUT.manifest.json`); `resume=True` continues an
    interrupted output only when its manifest names the same input, options and lists.

    >>> # screen_file(screener, "customers.csv", "results.csv", name_column="full_name", workers=0)
    """
    in_fmt = detect_format(input_path, input_format)
    out_fmt = detect_format(output_path, output_format)
    thr = screener.threshold if threshold is None else check_threshold(threshold)
    check_limit(limit)
    check_secondary(secondary)
    if resolve_workers(workers) > 1:
        screener.prepare_workers()
    if isinstance(chunk_rows, bool) or not isinstance(chunk_rows, int) or chunk_rows < 1:
        raise ValueError(f"chunk_rows must be a whole number of at least 1, got {chunk_rows!r}")
    _check_paths(input_path, output_path, out_fmt, resume)
    if screener.decisions is not None and id_column is None:
        raise ValueError(
            "screening with analyst decisions needs the customers' ids: give an id column "
            "(--id-column), the subject id each decision was taken for"
        )
    cols = Columns(name_column, id_column, birth_date_column, nationality_column, kind_column)
    source = InputFile(input_path, in_fmt, cols)
    try:
        manifest = _start_manifest(
            source, out_fmt, output_path, screener, thr, limit, secondary, resume
        )
        done = Tally(0, 0, 0)
        if manifest is not None and resume:
            done = tally_output(output_path, out_fmt)
        summary = BatchSummary(
            rows=done.rows,
            rows_with_hits=done.with_hits,
            errors=done.errors,
            skipped=done.rows,
            lists=list(screener.lists),
        )
        if manifest is not None and manifest["complete"]:
            return summary  # a finished output: nothing to add
        if manifest is not None:
            write_manifest(output_path, manifest)
        work = _Worker(screener, threshold, limit, secondary)
        _run(source, work, output_path, out_fmt, workers, chunk_rows, summary, progress)
    finally:
        source.close()
    if manifest is not None:
        manifest.update(complete=True, rows=summary.rows)
        write_manifest(output_path, manifest)
        remove_parts(output_path, out_fmt)
    return summary


def _start_manifest(
    source: InputFile,
    out_fmt: str,
    output_path: str,
    screener: Screener,
    thr: float,
    limit: int,
    secondary: Secondary,
    resume: bool,
) -> dict[str, Any] | None:
    """This run's manifest (None for stdout); with `resume`, the earlier run's, checked to be the
    same run. A resumed output without a manifest is refused: nothing says what made it."""
    if output_path == "-":
        return None
    cols = source.cols
    options = {
        "name_column": cols.name,
        "id_column": cols.id,
        "birth_date_column": cols.birth_date,
        "nationality_column": cols.nationality,
        "kind_column": cols.kind,
        "threshold": thr,
        "limit": limit,
        "secondary": secondary,
        "decisions": None if screener.decisions is None else str(screener.decisions.path),
    }
    new = describe_run(
        source.path,
        source.fmt,
        out_fmt,
        options,
        screener.lists,
        screener.algorithm,
        [i.brief() for i in screener.list_info],
    )
    if not resume:
        return new
    old = read_manifest(output_path)
    if old is None:
        if has_output(output_path, out_fmt):
            raise ValueError(
                f"--resume: {output_path} has no run manifest beside it, so nothing says which "
                "input, options and lists made it; start afresh without --resume"
            )
        return new
    check_same_run(old, new, output_path)
    return old


def _run(
    source: InputFile,
    work: _Worker,
    output_path: str,
    out_fmt: str,
    workers: int,
    chunk_rows: int,
    summary: BatchSummary,
    progress: bool,
) -> None:
    skip = summary.skipped
    rows = (r for r in source if r.row > skip)
    writer = Writer(output_path, out_fmt, append=skip > 0, chunk_rows=chunk_rows)
    bar = _Progress(sys.stderr) if progress else None
    start = time.perf_counter()
    try:
        for out in ordered_map(work, rows, workers):
            writer.write(out)
            summary.rows += 1
            summary.rows_with_hits += out["hit_count"] > 0
            summary.errors += out["error"] is not None
            if bar:
                bar.update(summary.rows, time.perf_counter() - start, source.fraction_done())
    finally:
        writer.close()
        if bar:
            bar.finish()
        summary.seconds = time.perf_counter() - start


class _Progress:
    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.last = 0.0

    def update(self, rows: int, elapsed: float, fraction: float | None) -> None:
        if elapsed - self.last < 0.5:
            return
        self.last = elapsed
        rate = rows / elapsed if elapsed else 0.0
        line = f"\r{rows} rows, {rate:.0f} rows/s, {elapsed:.0f}s elapsed"
        if fraction:
            eta = elapsed * (1 - fraction) / fraction
            line += f", {fraction:.0%} read, about {eta:.0f}s left"
        self.stream.write(line)
        self.stream.flush()

    def finish(self) -> None:
        self.stream.write("\n")
