"""The screening commands: screen one name, compare two, screen a file (batch)."""

from __future__ import annotations

import argparse
import sys

from ..compare import compare
from ..models import ScreenResult
from .common import (
    EXIT_CODES,
    EXIT_HIT,
    EXIT_NO_HIT,
    EXIT_ROW_ERRORS,
    KINDS,
    add_audit_argument,
    add_column_arguments,
    add_decisions_argument,
    add_list_arguments,
    add_scoring_arguments,
    number,
    screener_for,
)


def _decision_lines(result: ScreenResult) -> list[str]:
    lines = []
    for h in result.suppressed:
        assert h.decision is not None
        d = h.decision.decision
        lines.append(
            f"suppressed: {h.entry.id} {h.score:.3f} cleared by decision #{d.id} "
            f"({d.analyst}, {d.time}: {d.reason})"
        )
    for h in result.hits:
        if h.decision is not None and h.decision.decision.decision == "false_positive":
            d = h.decision.decision
            lines.append(
                f"note: {h.entry.id} was cleared by decision #{d.id}, but the "
                f"{' and the '.join(h.decision.changed)} changed since"
            )
    return lines


def _table(result: ScreenResult) -> str:
    lists = ", ".join(f"{n} (version {v})" for n, v in result.lists)
    lines = [f"Screened {result.query!r} against {lists}; threshold {result.threshold:.2f}"]
    if not result.hits:
        lines.append("No hits.")
        return "\n".join(lines + _decision_lines(result))
    rows = [("SCORE", "ENTRY", "MATCHED NAME", "LIST", "PROGRAMS")]
    rows += [
        (
            f"{h.score:.3f}" + ("!" if h.contradictions else ""),
            h.entry.id,
            h.matched_name,
            h.entry.list,
            ", ".join(h.entry.programs),
        )
        for h in result.hits
    ]
    widths = [min(max(len(r[i]) for r in rows), 48) for i in range(4)]
    for r in rows:
        lines.append(
            "  ".join(c[:w].ljust(w) for c, w in zip(r[:4], widths, strict=True)) + "  " + r[4]
        )
    if any(h.contradictions for h in result.hits):
        lines.append(
            "! the name matches, but secondary data contradicts: "
            + "; ".join(
                f"{h.entry.id}: {', '.join(h.contradictions)}"
                for h in result.hits
                if h.contradictions
            )
        )
    lines += _decision_lines(result)
    if result.truncated:
        lines.append(
            f"{len(result.hits)} of {result.hit_count} hits shown (--limit {result.options.limit})"
        )
    return "\n".join(lines)


def _cmd_screen(args: argparse.Namespace) -> int:
    screener = screener_for(args)
    result = screener.screen(
        args.name,
        limit=args.limit,
        kind=args.kind,
        birth_date=args.birth_date,
        nationality=args.nationality,
        secondary=args.secondary,
        subject_id=args.subject,
    )
    print(result.model_dump_json(indent=2) if args.json else _table(result))
    return EXIT_HIT if result.hits else EXIT_NO_HIT


def _cmd_compare(args: argparse.Namespace) -> int:
    print(f"{compare(args.a, args.b):.4f}")
    return EXIT_NO_HIT


def _cmd_batch(args: argparse.Namespace) -> int:
    from ..batch import screen_file

    screener = screener_for(args)
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
        secondary=args.secondary,
        workers=args.workers,
        resume=args.resume,
        input_format=args.format,
        output_format=args.output_format,
        progress=sys.stderr.isatty(),
        chunk_rows=args.chunk_rows,
    )
    print(f"sanctions-screen batch: {summary}", file=sys.stderr)
    if summary.errors:
        return EXIT_ROW_ERRORS
    return EXIT_HIT if summary.rows_with_hits else EXIT_NO_HIT


def _add_screen_parser(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("screen", help="screen one name", epilog=EXIT_CODES)
    s.add_argument("name", help="the name to screen, in any script")
    add_list_arguments(s)
    add_scoring_arguments(s)
    s.add_argument("--kind", help=f"the entity kind ({', '.join(KINDS)}; Individual, Entity ...)")
    s.add_argument(
        "--birth-date",
        help="YYYY-MM-DD, YYYY-MM, YYYY, ~YYYY (circa), YYYY/YYYY (range) or an ISO date-time",
    )
    s.add_argument("--nationality", help="a country: ISO 3166 code (IR, IRN) or name (Iran)")
    s.add_argument(
        "--subject", metavar="ID", help="the customer's id (recorded; decisions apply to it)"
    )
    add_decisions_argument(s)
    s.add_argument(
        "--json",
        action="store_true",
        help="print the full result as JSON (its schema_version field names the layout)",
    )
    add_audit_argument(s)
    s.set_defaults(func=_cmd_screen)


def _add_batch_parser(sub: argparse._SubParsersAction) -> None:
    from ..batch import CHUNK_ROWS

    p = sub.add_parser("batch", help="screen a file of names", epilog=EXIT_CODES)
    p.add_argument("input", help="CSV, JSON lines or Parquet file, or - for stdin")
    p.add_argument(
        "-o",
        "--output",
        default="-",
        help="output file (default stdout); a manifest OUTPUT.manifest.json is kept beside it",
    )
    add_column_arguments(
        p,
        "the column holding the customer's id, copied to the output (the subject id that "
        "--decisions apply to)",
        id_required=False,
    )
    add_decisions_argument(p)
    add_list_arguments(p)
    add_scoring_arguments(p)
    p.add_argument(
        "--workers",
        type=number(int, 0),
        default=1,
        help="processes to screen on; 0 means all cores (default %(default)s)",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="continue an interrupted run into the same output (refused unless its manifest "
        "names the same input, options and lists)",
    )
    p.add_argument("--format", help="input format: csv, jsonl or parquet (default: by extension)")
    p.add_argument(
        "--output-format", help="output format: csv, jsonl or parquet (default: by extension)"
    )
    p.add_argument(
        "--chunk-rows",
        type=number(int, 1),
        default=CHUNK_ROWS,
        help="rows per output write (default %(default)s)",
    )
    add_audit_argument(p)
    p.set_defaults(func=_cmd_batch)


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """The screen, compare and batch commands."""
    _add_screen_parser(sub)
    c = sub.add_parser("compare", help="score two names against each other", epilog=EXIT_CODES)
    c.add_argument("a", help="the first name (read as the query)")
    c.add_argument("b", help="the second name")
    c.set_defaults(func=_cmd_compare)
    _add_batch_parser(sub)
