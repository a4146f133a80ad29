"""The list commands: show a list file, diff two versions, fetch the official lists."""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence

from ..cached_index import resolve_list
from ..errors import ListFormatError
from ..sources import load_list
from .common import EXIT_CODES, EXIT_HIT, EXIT_NO_HIT, Parser, cache_dir_path, warn


def _cmd_lists_show(args: argparse.Namespace) -> int:
    wl = load_list(args.path, name=args.list_name, require_aliases=args.require_aliases)
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


def _cmd_lists_diff(args: argparse.Namespace) -> int:
    older, newer = (
        load_list(resolve_list(spec, args.list_name, args.cache_dir).path, name=args.list_name)
        for spec in (args.old, args.new)
    )
    diff = newer.diff(older)
    if args.json:
        print(diff.model_dump_json(indent=2))
    else:
        print(diff.summary())
        for e in diff.added:
            print(f"+ {e.id}  {e.names[0].full if e.names else ''}")
        for e in diff.removed:
            print(f"- {e.id}  {e.names[0].full if e.names else ''}")
        for c in diff.changed:
            what = "; ".join(
                f"{f.field}: "
                + ", ".join([*(f"-{v}" for v in f.removed), *(f"+{v}" for v in f.added)])
                for f in c.changes
            )
            print(f"~ {c.id}  {what}")
    return EXIT_HIT if diff.added or diff.removed or diff.changed else EXIT_NO_HIT


def _url_overrides(values: Sequence[str] | None) -> dict[str, str]:
    from ..fetch import SOURCES

    out: dict[str, str] = {}
    for value in values or []:
        name, sep, url = value.partition("=")
        if not sep or not url.startswith(("http://", "https://", "file://")):
            raise ValueError(
                f"--url takes NAME=BASE_URL, a list name and an http(s) or file URL "
                f"(us_ofac_sdn=http://127.0.0.1:8000/), got {value!r}"
            )
        if name not in SOURCES:
            raise ValueError(f"--url {value!r}: unknown list {name!r}; known: {', '.join(SOURCES)}")
        out[name] = url
    return out


def _cmd_lists_fetch(args: argparse.Namespace) -> int:
    from ..fetch import fetch_lists

    for line in fetch_lists(args.list, args.dir, urls=_url_overrides(args.url)):
        print(line)
    _save_fetched_indexes(args.list, args.dir)
    return EXIT_NO_HIT


def _save_fetched_indexes(names: Sequence[str] | None, cache_dir: str | None) -> None:
    """Build the saved index of each cached list that lacks one (a version that just landed),
    so that the first screen after an update is as fast as the next."""
    from ..cached_index import ready_screener
    from ..fetch import SOURCES

    for name in names or list(SOURCES):
        try:
            spec = resolve_list(name, None, cache_dir)
        except ListFormatError:
            continue  # not cached: its fetch failed, and said so
        if spec.beside is not None and not spec.beside.exists():
            ready_screener(
                [spec], require_aliases=False, cache_dir=cache_dir_path(cache_dir), warn=warn
            )
            print(f"{name}: saved index built ({spec.beside})")


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """The lists command and its show, diff and fetch subcommands."""
    lists = sub.add_parser("lists", help="inspect or fetch lists", epilog=EXIT_CODES)
    lsub = lists.add_subparsers(dest="lists_command", required=True, parser_class=Parser)
    show = lsub.add_parser("show", help="counts, version, hashes and notes of a list file")
    show.add_argument("path", help="a list file or folder")
    show.add_argument("--list-name", help="the list's name (see screen --list-name)")
    show.add_argument(
        "--require-aliases", action="store_true", help="an OFAC file without aliases is an error"
    )
    show.set_defaults(func=_cmd_lists_show)
    diff = lsub.add_parser(
        "diff",
        help="entries added, removed and changed (in what screening reads) between two versions "
        "of a list; exit 0 when none, 1 when some",
    )
    diff.add_argument(
        "old", help="the older version: a list file or folder, or a fetched list name"
    )
    diff.add_argument(
        "new", help="the newer version: a list file or folder, or a fetched list name"
    )
    diff.add_argument("--list-name", help="the list's name (see screen --list-name)")
    diff.add_argument("--json", action="store_true", help="print the whole difference as JSON")
    diff.add_argument("--cache-dir", metavar="DIR", help="cache folder of 'lists fetch'")
    diff.set_defaults(func=_cmd_lists_diff)
    fetch = lsub.add_parser("fetch", help="download official lists into the cache")
    fetch.add_argument("--list", nargs="+", default=None, help="list names (default: all known)")
    fetch.add_argument(
        "--dir", default=None, help="cache folder (default ~/.cache/sanctions_screen)"
    )
    fetch.add_argument(
        "--url",
        action="append",
        metavar="NAME=BASE_URL",
        help="fetch a list from a mirror instead of its publisher (repeatable)",
    )
    fetch.set_defaults(func=_cmd_lists_fetch)
