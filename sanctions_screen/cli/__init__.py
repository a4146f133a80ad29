"""The `sanctions-screen` command line.

Exit codes: 0 no hit, 1 at least one hit (like grep), 2 bad usage or bad input,
3 (batch only) some rows had errors.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from .. import __version__
from ..errors import ListFormatError
from . import decisions, lists, monitoring, report, screening, serve
from .common import EXIT_CODES, EXIT_NO_HIT, EXIT_USAGE, Parser

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests)."""
    p = Parser(
        prog="sanctions-screen",
        description="Screen names against sanctions lists.",
        epilog=EXIT_CODES,
    )
    p.add_argument("--version", action="version", version=f"sanctions-screen {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=Parser)
    screening.add_parsers(sub)
    lists.add_parsers(sub)
    decisions.add_parsers(sub)
    monitoring.add_parsers(sub)
    report.add_parsers(sub)
    serve.add_parsers(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    >>> main(["compare", "Abd al-Rahman", "Abdurrahman"])
    1.0000
    0
    """
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (| head): not an error of ours. Stop quietly, and keep Python from
        # complaining about the closed pipe at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_NO_HIT
    except (ValueError, ListFormatError, OSError) as exc:
        print(f"sanctions-screen: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("sanctions-screen: interrupted", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
