"""The report command: a batch or monitoring output as an HTML page for analysts."""

from __future__ import annotations

import argparse
import sys

from .common import EXIT_CODES, EXIT_HIT, EXIT_NO_HIT, add_decisions_argument


def _cmd_report(args: argparse.Namespace) -> int:
    from ..report import write_report

    summary = write_report(
        args.input, args.output, decisions=args.decisions, input_format=args.format
    )
    print(
        f"sanctions-screen report: {args.output}: {summary.alerted_rows} alerted rows, "
        f"{summary.alerts} alerts, {summary.errors} rows with errors, of {summary.rows} rows",
        file=sys.stderr,
    )
    return EXIT_HIT if summary.alerts else EXIT_NO_HIT


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """The report command."""
    p = sub.add_parser(
        "report",
        help="an HTML page of the alerts of a batch or monitoring output (self-contained, offline)",
        epilog=EXIT_CODES,
    )
    p.add_argument("input", help="a batch or monitoring output: CSV, JSON lines or Parquet")
    p.add_argument("-o", "--output", required=True, help="the HTML file to write")
    p.add_argument("--format", help="input format: csv, jsonl or parquet (default: by extension)")
    add_decisions_argument(p)
    p.set_defaults(func=_cmd_report)
