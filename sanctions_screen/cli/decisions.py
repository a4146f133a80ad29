"""The decision commands: record an analyst's decision on a hit, list and export decisions."""

from __future__ import annotations

import argparse
import contextlib
import csv
import sys

from ..decisions import DecisionStore
from ..models import Decision
from .common import (
    EXIT_CODES,
    EXIT_NO_HIT,
    KINDS,
    Parser,
    add_audit_argument,
    add_decisions_argument,
    add_list_arguments,
    number,
    screener_for,
)


def _cmd_decide(args: argparse.Namespace) -> int:
    screener = screener_for(args)
    assert screener.decisions is not None
    if args.audit and screener.decisions.audit is None:
        screener.decisions.audit = screener.audit
    made = screener.record_decision(
        args.name,
        subject_id=args.subject,
        entry_id=args.entry,
        decision="false_positive" if args.false_positive else "true_match",
        reason=args.reason,
        analyst=args.analyst,
        kind=args.kind,
        birth_date=args.birth_date,
        nationality=args.nationality,
    )
    print(
        f"decision #{made.id}: {made.subject_id} / {made.entry_id}: {made.decision} "
        f"by {made.analyst} at {made.time} (score {made.score})"
    )
    return EXIT_NO_HIT


def _cmd_decisions_list(args: argparse.Namespace) -> int:
    with DecisionStore(args.decisions) as store:
        for d in store.decisions():
            print(
                f"#{d.id}  {d.time}  {d.subject_id}  {d.entry_id}  {d.decision}  "
                f"{d.analyst}: {d.reason}"
            )
    return EXIT_NO_HIT


def _cmd_decisions_export(args: argparse.Namespace) -> int:
    with DecisionStore(args.decisions) as store:
        rows = store.decisions()
    target = open(args.output, "w", encoding="utf-8", newline="") if args.output else None  # noqa: SIM115
    with target or contextlib.nullcontext(sys.stdout) as out:
        if args.format == "jsonl":
            for d in rows:
                out.write(d.model_dump_json() + "\n")
        else:
            writer = csv.DictWriter(out, fieldnames=list(Decision.model_fields))
            writer.writeheader()
            writer.writerows(d.model_dump() for d in rows)
    return EXIT_NO_HIT


def _add_decide_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "decide",
        help="record an analyst's decision on one hit of one customer",
        epilog=EXIT_CODES,
    )
    add_decisions_argument(p, required=True)
    p.add_argument("--subject", required=True, metavar="ID", help="the customer's id")
    p.add_argument("--name", required=True, help="the customer's name, as screened")
    p.add_argument("--birth-date", help="the customer's birth date, as screened")
    p.add_argument("--nationality", help="the customer's nationality, as screened")
    p.add_argument("--kind", help=f"the customer's kind ({', '.join(KINDS)})")
    p.add_argument("--entry", required=True, metavar="ENTRY_ID", help="the hit's entry id")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--false-positive", action="store_true", help="clear the hit")
    how.add_argument("--true-match", action="store_true", help="confirm the hit")
    p.add_argument("--reason", required=True, help="why (kept with the decision)")
    p.add_argument("--analyst", help="who decides (default: the user running the command)")
    p.add_argument(
        "--threshold", type=number(float, 0.0, 1.0), help="the threshold the hit was found at"
    )
    add_list_arguments(p)
    add_audit_argument(p)
    p.set_defaults(func=_cmd_decide)


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """The decide command, and the decisions command with its list and export subcommands."""
    _add_decide_parser(sub)
    d = sub.add_parser("decisions", help="list or export analyst decisions", epilog=EXIT_CODES)
    dsub = d.add_subparsers(
        dest="decisions_command", required=True, parser_class=Parser, help="what to show"
    )
    show = dsub.add_parser("list", help="every decision, oldest first, one per line")
    add_decisions_argument(show, required=True)
    show.set_defaults(func=_cmd_decisions_list)
    export = dsub.add_parser("export", help="every decision as CSV or JSON lines")
    add_decisions_argument(export, required=True)
    export.add_argument("--format", choices=("csv", "jsonl"), default="csv", help="default csv")
    export.add_argument("-o", "--output", help="output file (default stdout)")
    export.set_defaults(func=_cmd_decisions_export)
