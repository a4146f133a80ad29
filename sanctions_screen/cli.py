"""The `sanctions-screen` command line.

Exit codes: 0 no hit, 1 at least one hit (like grep), 2 bad usage or bad input,
3 (batch only) some rows had errors.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from .bundled import bundled_list
from .compare import compare
from .errors import ListFormatError
from .models import ScreenResult, Watchlist
from .screener import Screener
from .sources import load_list

EXIT_NO_HIT, EXIT_HIT, EXIT_USAGE, EXIT_ROW_ERRORS = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line on stderr, no usage dump: scripts read the exit code, people read one sentence.
        self.exit(EXIT_USAGE, f"sanctions-screen: {message} (see --help)\n")


def _load_lists(specs: Sequence[str] | None, cache_dir: str | None) -> list[Watchlist]:
    if not specs:
        return [bundled_list()]
    out = []
    for spec in specs:
        p = Path(spec)
        if p.exists():
            out.append(load_list(p))
            continue
        from .fetch import cached_list_path

        cached = cached_list_path(spec, cache_dir)
        if cached is None:
            raise ListFormatError(
                "no such file, and no cached list of that name (run 'sanctions-screen lists fetch')",
                path=spec,
            )
        out.append(load_list(cached))
    return out


def _table(result: ScreenResult) -> str:
    lists = ", ".join(f"{n} (version {v})" for n, v in result.lists)
    lines = [f"Screened {result.query!r} against {lists}; threshold {result.threshold:.2f}"]
    if not result.hits:
        lines.append("No hits.")
        return "\n".join(lines)
    rows = [("SCORE", "ENTRY", "MATCHED NAME", "LIST", "PROGRAMS")]
    rows += [
        (f"{h.score:.3f}", h.entry.id, h.matched_name, h.entry.list, ", ".join(h.entry.programs))
        for h in result.hits
    ]
    widths = [min(max(len(r[i]) for r in rows), 48) for i in range(4)]
    for r in rows:
        lines.append(
            "  ".join(c[:w].ljust(w) for c, w in zip(r[:4], widths, strict=True)) + "  " + r[4]
        )
    return "\n".join(lines)


def _cmd_screen(args: argparse.Namespace) -> int:
    screener = Screener(_load_lists(args.list, args.cache_dir), threshold=args.threshold)
    result = screener.screen(
        args.name,
        limit=args.limit,
        kind=args.kind,
        birth_date=args.birth_date,
        nationality=args.nationality,
    )
    print(result.model_dump_json(indent=2) if args.json else _table(result))
    return EXIT_HIT if result.hits else EXIT_NO_HIT


def _cmd_compare(args: argparse.Namespace) -> int:
    print(f"{compare(args.a, args.b):.4f}")
    return EXIT_NO_HIT


def _cmd_lists_show(args: argparse.Namespace) -> int:
    wl = load_list(args.path)
    kinds = Counter(e.kind for e in wl.entries)
    names = Counter(n.kind for e in wl.entries for n in e.names)
    print(f"list: {wl.name}\nversion: {wl.version}\nentries: {len(wl.entries)}")
    print("entries by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    print("names by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(names.items())))
    for path, digest in sorted(wl.sources.items()):
        print(f"sha256 {digest}  {path}")
    for note in wl.notes:
        print(f"note: {note}")
    return EXIT_NO_HIT


def _cmd_lists_fetch(args: argparse.Namespace) -> int:
    from .fetch import fetch_lists

    for line in fetch_lists(
        args.list, args.dir, urls=dict(u.split("=", 1) for u in args.url or [])
    ):
        print(line)
    return EXIT_NO_HIT


def _cmd_batch(args: argparse.Namespace) -> int:
    from .batch import run_batch_cli

    return run_batch_cli(args, _load_lists(args.list, args.cache_dir))


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests)."""
    p = _Parser(
        prog="sanctions-screen",
        description="Screen names against sanctions lists.",
        epilog="Exit codes: 0 no hit, 1 at least one hit, 2 bad usage or input, 3 batch rows with errors.",
    )
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    s = sub.add_parser("screen", help="screen one name")
    s.add_argument("name")
    s.add_argument(
        "--list",
        action="append",
        help="a list file or folder, or a cached list name (repeatable); default: the bundled sample",
    )
    s.add_argument(
        "--cache-dir", help="cache folder of 'lists fetch' (default ~/.cache/sanctions_screen)"
    )
    s.add_argument("--threshold", type=float)
    s.add_argument("--limit", type=int, default=10)
    s.add_argument("--kind", choices=["person", "organization", "vessel", "aircraft"])
    s.add_argument("--birth-date", help="YYYY-MM-DD, YYYY-MM or YYYY")
    s.add_argument("--nationality")
    s.add_argument("--json", action="store_true", help="print the full result as JSON")
    s.set_defaults(func=_cmd_screen)

    c = sub.add_parser("compare", help="score two names against each other")
    c.add_argument("a")
    c.add_argument("b")
    c.set_defaults(func=_cmd_compare)

    lists = sub.add_parser("lists", help="inspect or fetch lists")
    lsub = lists.add_subparsers(dest="lists_command", required=True, parser_class=_Parser)
    show = lsub.add_parser("show", help="counts, version and hashes of a list file")
    show.add_argument("path")
    show.set_defaults(func=_cmd_lists_show)
    fetch = lsub.add_parser("fetch", help="download official lists into the cache")
    fetch.add_argument("--list", nargs="+", default=None, help="list names (default: all known)")
    fetch.add_argument(
        "--dir", default=None, help="cache folder (default ~/.cache/sanctions_screen)"
    )
    fetch.add_argument(
        "--url", action="append", help="override a source: NAME=URL (for mirrors and tests)"
    )
    fetch.set_defaults(func=_cmd_lists_fetch)

    b = sub.add_parser("batch", help="screen a file of names")
    from .batch import add_batch_arguments

    add_batch_arguments(b)
    b.set_defaults(func=_cmd_batch)
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
