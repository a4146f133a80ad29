"""Batch screening of name files: CSV, JSON lines or Parquet in, one result row per input row out.

Streams (memory stays flat), keeps input order, writes output in chunks so an interrupted run
leaves a readable file, and `resume` continues one: rows already written are skipped, none twice.
A bad row (no name, a name over 1,000 characters, bad encoding, wrong number of fields, a quote
left open) is written with its error and counted; the run goes on.
"""

from __future__ import annotations

from .reader import FORMATS, Columns, InputFile, detect_format
from .rows import OUTPUT_COLUMNS, OUTPUT_SCHEMA, InputRow, screen_rows
from .run import BatchSummary, screen_file
from .writer import CHUNK_ROWS, Tally, Writer, tally_output

__all__ = [
    "CHUNK_ROWS",
    "FORMATS",
    "OUTPUT_COLUMNS",
    "OUTPUT_SCHEMA",
    "BatchSummary",
    "Columns",
    "InputFile",
    "InputRow",
    "Tally",
    "Writer",
    "detect_format",
    "screen_file",
    "screen_rows",
    "tally_output",
]
