"""The monitoring commands: a monitoring run, its open alerts, and checking an audit log."""

from __future__ import annotations

import argparse
import json
import sys

from .common import (
    EXIT_CODES,
    EXIT_HIT,
    EXIT_NO_HIT,
    Parser,
    add_audit_argument,
    add_column_arguments,
    add_decisions_argument,
    add_list_arguments,
    number,
    screener_for,
)


def _cmd_monitor(args: argparse.Namespace) -> int:
    from ..monitor import run

    screener = screener_for(args)
    result = run(
        args.customers,
        screener,
        state=args.state,
        name_column=args.name_column,
        id_column=args.id_column,
        birth_date_column=args.birth_date_column,
        nationality_column=args.nationality_column,
        kind_column=args.kind_column,
        decisions=screener.decisions,
        output=args.output,
        input_format=args.format,
        output_format=args.output_format,
        audit=screener.audit,
    )
    counts = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in result.counts.items())
    print(f"sanctions-screen monitor: run {result.run} ({result.mode}): {counts}", file=sys.stderr)
    return EXIT_HIT if result.changes else EXIT_NO_HIT


def _cmd_alerts(args: argparse.Namespace) -> int:
    from ..monitor import open_alerts

    alerts = open_alerts(args.state)
    if args.json:
        print(json.dumps([a.model_dump() for a in alerts], ensure_ascii=False, indent=2))
    else:
        for a in alerts:
            print(
                f"{a.customer_id}  {a.customer_name}  {a.score:.3f}  {a.entry_id}  "
                f"{a.matched_name}  (open since run {a.opened_run})"
            )
        print(f"{len(alerts)} open alerts", file=sys.stderr)
    return EXIT_HIT if alerts else EXIT_NO_HIT


def _cmd_audit_verify(args: argparse.Namespace) -> int:
    from ..audit import verify

    verdict = verify(args.file)
    if verdict.ok:
        print(f"{args.file}: {verdict.records} records, chain intact")
        return EXIT_NO_HIT
    print(
        f"{args.file}: line {verdict.line}: {verdict.problem} ({verdict.records} records before it are intact)"
    )
    return EXIT_HIT


def _add_monitor_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "monitor",
        help="screen a customer file again as a change to the last run (new and changed "
        "customers against the lists, the others against the entries that changed)",
        epilog="Exit codes: 0 nothing changed, 1 some changes, 2 bad usage or bad input.",
    )
    p.add_argument("customers", help="the customer file: CSV, JSON lines or Parquet")
    p.add_argument("--state", required=True, metavar="DIR", help="the state folder (created)")
    add_column_arguments(p, "the column holding customer ids", id_required=True)
    p.add_argument("--format", help="input format: csv, jsonl or parquet (default: by extension)")
    p.add_argument(
        "-o", "--output", help="write the changes here (CSV, JSON lines or Parquet; - for stdout)"
    )
    p.add_argument("--output-format", help="output format (default: by extension)")
    p.add_argument(
        "--threshold",
        type=number(float, 0.0, 1.0),
        help="lowest score that alerts (default the library's; a change re-screens everyone)",
    )
    add_list_arguments(p)
    add_decisions_argument(p)
    add_audit_argument(p)
    p.set_defaults(func=_cmd_monitor)
    a = sub.add_parser("alerts", help="the open alerts of a monitoring state folder")
    a.add_argument("--state", required=True, metavar="DIR", help="the state folder")
    a.add_argument("--json", action="store_true", help="print them as JSON")
    a.set_defaults(func=_cmd_alerts)


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """The monitor, alerts and audit commands."""
    _add_monitor_parser(sub)
    audit = sub.add_parser("audit", help="check an audit log", epilog=EXIT_CODES)
    asub = audit.add_subparsers(
        dest="audit_command", required=True, parser_class=Parser, help="what to do with a log"
    )
    check = asub.add_parser(
        "verify",
        help="check an audit log's chain: names the first line edited, removed, reordered or "
        "torn; exit 0 intact, 1 not",
    )
    check.add_argument("file", help="the audit log (JSON lines)")
    check.set_defaults(func=_cmd_audit_verify)
