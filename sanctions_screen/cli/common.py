"""What the commands share: the parser class, exit codes, warnings, and the options that name
lists, scoring and the audit log, with the screener they give."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from ..bundled import bundled_list
from ..query import SECONDARY
from ..screener import DEFAULT_THRESHOLD, Screener

if TYPE_CHECKING:
    pass

EXIT_NO_HIT, EXIT_HIT, EXIT_USAGE, EXIT_ROW_ERRORS = 0, 1, 2, 3
EXIT_CODES = (
    "Exit codes: 0 no hit, 1 at least one hit, 2 bad usage or bad input (one line on stderr), "
    "3 (batch) some rows had errors."
)
KINDS = ("person", "organization", "vessel", "aircraft")


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line on stderr, no usage dump: scripts read the exit code, people read one sentence.
        self.exit(EXIT_USAGE, f"sanctions-screen: {message} (see --help)\n")


def number(kind: Callable[[str], float], low: float, high: float | None = None) -> Callable:
    """An argparse type: a number of `kind` in [low, high]; the message names the bounds."""

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a {kind.__name__}") from None
        if value < low or (high is not None and value > high):
            bounds = f"from {low} to {high}" if high is not None else f"at least {low}"
            raise argparse.ArgumentTypeError(f"{text} is out of range: {bounds}")
        return value

    return parse


def warn(message: str) -> None:
    print(f"sanctions-screen: warning: {message}", file=sys.stderr)


def screener_for(args: argparse.Namespace) -> Screener:
    """See `_lists_screener`; with --decisions, the decision store applied to screenings that
    name their subject."""
    from ..decisions import decision_store

    screener = _lists_screener(args)
    screener.decisions = decision_store(getattr(args, "decisions", None))
    return screener


def _lists_screener(args: argparse.Namespace) -> Screener:
    """A screener over the lists named by --list (each with its --list-name, by position), else
    the bundled sample, with a warning on every run. A saved index of the lists is used when it
    matches their files, else built and saved (`cached_index`). Every list's notes go to stderr
    as warnings, whether the index was built now or saved earlier."""
    from ..cached_index import ready_screener, resolve_lists

    specs = resolve_lists(args.list or [], args.list_name or [], args.cache_dir)
    if not specs:
        sample = bundled_list()
        warn(
            f"screened against the bundled sample list ({len(sample.entries)} entries), which is "
            "not a sanctions list: give --list with a list file or a fetched list name"
        )
        return Screener(sample, threshold=args.threshold, audit=args.audit)
    screener = ready_screener(
        specs,
        require_aliases=args.require_aliases,
        cache_dir=cache_dir_path(args.cache_dir),
        threshold=args.threshold,
        audit=args.audit,
        warn=warn,
    )
    for info in screener.list_info:
        for note in info.notes:
            warn(f"{info.name}: {note}")
    return screener


def cache_dir_path(option: str | None) -> Path:
    from ..fetch import default_cache_dir

    return Path(option) if option else default_cache_dir()


def add_list_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--list",
        action="append",
        metavar="PATH_OR_NAME",
        help="a list file or folder, or a list name fetched by 'lists fetch' (repeatable); "
        "default: the bundled sample list, which is not a sanctions list (a warning says so)",
    )
    p.add_argument(
        "--list-name",
        action="append",
        metavar="NAME",
        help="the name of the list given by the --list at the same place (repeatable); needed "
        "for an OFAC CSV file not named sdn*.csv or cons*.csv (us_ofac_sdn or us_ofac_cons)",
    )
    p.add_argument(
        "--require-aliases",
        action="store_true",
        help="make an OFAC primary file loaded without its alias file an error (default: a warning)",
    )
    p.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="cache folder of 'lists fetch' (default $SANCTIONS_SCREEN_CACHE or ~/.cache/sanctions_screen)",
    )


def add_audit_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--audit",
        metavar="FILE",
        help="append a record of every screening to this audit log (JSON lines, each record "
        "chained to the one before by sha256; check it with 'sanctions-screen audit verify')",
    )


def add_scoring_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--threshold",
        type=number(float, 0.0, 1.0),
        help=f"lowest score reported, 0 to 1 (default {DEFAULT_THRESHOLD})",
    )
    p.add_argument(
        "--limit",
        type=number(int, 1),
        default=10,
        help="most hits reported per name (default %(default)s); the hit count is never cut",
    )
    p.add_argument(
        "--secondary",
        choices=SECONDARY,
        default="keep",
        help="a name that reaches the threshold but whose birth date or nationality contradicts: "
        "keep it, scored lower and marked (default), or exclude it",
    )


def add_decisions_argument(p: argparse.ArgumentParser, required: bool = False) -> None:
    p.add_argument(
        "--decisions" if not required else "--db",
        dest="decisions",
        metavar="DB",
        required=required,
        help="the analyst decisions database (SQLite, created when missing)"
        + (
            "" if required else ": hits cleared for a subject are suppressed while they still apply"
        ),
    )


def add_column_arguments(p: argparse.ArgumentParser, id_help: str, id_required: bool) -> None:
    """The options naming a customer file's columns (batch, monitor)."""
    p.add_argument("--name-column", required=True, help="the column holding the name to screen")
    p.add_argument("--id-column", required=id_required, help=id_help)
    p.add_argument("--birth-date-column", help="the column holding birth dates (ISO forms)")
    p.add_argument("--nationality-column", help="the column holding nationalities (codes or names)")
    p.add_argument("--kind-column", help="the column holding entity kinds (Individual, Entity ...)")
