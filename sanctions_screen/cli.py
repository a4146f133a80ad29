"""The `sanctions-screen` command line.

Exit codes: 0 no hit, 1 at least one hit (like grep), 2 bad usage or bad input,
3 (batch only) some rows had errors.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from . import __version__
from .bundled import bundled_list
from .compare import compare
from .errors import ListFormatError
from .models import ScreenResult
from .query import SECONDARY
from .screener import DEFAULT_THRESHOLD, Screener
from .sources import load_list

if TYPE_CHECKING:
    from .cached_index import ListSpec

EXIT_NO_HIT, EXIT_HIT, EXIT_USAGE, EXIT_ROW_ERRORS = 0, 1, 2, 3
EXIT_CODES = (
    "Exit codes: 0 no hit, 1 at least one hit, 2 bad usage or bad input (one line on stderr), "
    "3 (batch) some rows had errors."
)
KINDS = ("person", "organization", "vessel", "aircraft")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line on stderr, no usage dump: scripts read the exit code, people read one sentence.
        self.exit(EXIT_USAGE, f"sanctions-screen: {message} (see --help)\n")


def _number(kind: Callable[[str], float], low: float, high: float | None = None) -> Callable:
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


def _warn(message: str) -> None:
    print(f"sanctions-screen: warning: {message}", file=sys.stderr)


def _screener(args: argparse.Namespace) -> Screener:
    """A screener over the lists named by --list (each with its --list-name, by position), else
    the bundled sample, with a warning on every run. A saved index of the lists is used when it
    matches their files, else built and saved (`cached_index`). Every list's notes go to stderr
    as warnings, whether the index was built now or saved earlier."""
    specs: list[str] = args.list or []
    names: list[str] = args.list_name or []
    if len(names) > len(specs):
        raise ValueError("more --list-name than --list options: each names the --list at its place")
    if not specs:
        sample = bundled_list()
        _warn(
            f"screened against the bundled sample list ({len(sample.entries)} entries), which is "
            "not a sanctions list: give --list with a list file or a fetched list name"
        )
        return Screener(sample, threshold=args.threshold, audit=args.audit)
    from .cached_index import ready_screener

    screener = ready_screener(
        [
            _list_spec(spec, names[i] if i < len(names) else None, args.cache_dir)
            for i, spec in enumerate(specs)
        ],
        require_aliases=args.require_aliases,
        cache_dir=_cache_dir(args.cache_dir),
        threshold=args.threshold,
        audit=args.audit,
        warn=_warn,
    )
    for info in screener.list_info:
        for note in info.notes:
            _warn(f"{info.name}: {note}")
    return screener


def _cache_dir(option: str | None) -> Path:
    from .fetch import default_cache_dir

    return Path(option) if option else default_cache_dir()


def _list_spec(spec: str, name: str | None, cache_dir: str | None) -> ListSpec:
    from .cached_index import ListSpec

    p = Path(spec)
    if p.exists():
        return ListSpec(p, name)
    from .fetch import cached_index_path, cached_list_path

    cached = cached_list_path(spec, cache_dir)
    if cached is None:
        raise ListFormatError(
            "no such file, and no cached list of that name (run 'sanctions-screen lists fetch')",
            path=spec,
        )
    return ListSpec(Path(cached), name, None if name else cached_index_path(spec, cache_dir))


def _table(result: ScreenResult) -> str:
    lists = ", ".join(f"{n} (version {v})" for n, v in result.lists)
    lines = [f"Screened {result.query!r} against {lists}; threshold {result.threshold:.2f}"]
    if not result.hits:
        lines.append("No hits.")
        return "\n".join(lines)
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
    if result.truncated:
        lines.append(
            f"{len(result.hits)} of {result.hit_count} hits shown (--limit {result.options.limit})"
        )
    return "\n".join(lines)


def _cmd_screen(args: argparse.Namespace) -> int:
    screener = _screener(args)
    result = screener.screen(
        args.name,
        limit=args.limit,
        kind=args.kind,
        birth_date=args.birth_date,
        nationality=args.nationality,
        secondary=args.secondary,
    )
    print(result.model_dump_json(indent=2) if args.json else _table(result))
    return EXIT_HIT if result.hits else EXIT_NO_HIT


def _cmd_compare(args: argparse.Namespace) -> int:
    print(f"{compare(args.a, args.b):.4f}")
    return EXIT_NO_HIT


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
        load_list(_list_spec(spec, args.list_name, args.cache_dir).path, name=args.list_name)
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
    from .fetch import SOURCES

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
    from .fetch import fetch_lists

    for line in fetch_lists(args.list, args.dir, urls=_url_overrides(args.url)):
        print(line)
    _save_fetched_indexes(args.list, args.dir)
    return EXIT_NO_HIT


def _save_fetched_indexes(names: Sequence[str] | None, cache_dir: str | None) -> None:
    """Build the saved index of each cached list that lacks one (a version that just landed),
    so that the first screen after an update is as fast as the next."""
    from .cached_index import ready_screener
    from .fetch import SOURCES

    for name in names or list(SOURCES):
        try:
            spec = _list_spec(name, None, cache_dir)
        except ListFormatError:
            continue  # not cached: its fetch failed, and said so
        if spec.beside is not None and not spec.beside.exists():
            ready_screener(
                [spec], require_aliases=False, cache_dir=_cache_dir(cache_dir), warn=_warn
            )
            print(f"{name}: saved index built ({spec.beside})")


def _cmd_batch(args: argparse.Namespace) -> int:
    from .batch import screen_file

    screener = _screener(args)
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


def _add_list_arguments(p: argparse.ArgumentParser) -> None:
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


def _add_audit_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--audit",
        metavar="FILE",
        help="append a record of every screening to this audit log (JSON lines, each record "
        "chained to the one before by sha256; check it with 'sanctions-screen audit verify')",
    )


def _cmd_audit_verify(args: argparse.Namespace) -> int:
    from .audit import verify

    verdict = verify(args.file)
    if verdict.ok:
        print(f"{args.file}: {verdict.records} records, chain intact")
        return EXIT_NO_HIT
    print(
        f"{args.file}: line {verdict.line}: {verdict.problem} ({verdict.records} records before it are intact)"
    )
    return EXIT_HIT


def _add_scoring_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--threshold",
        type=_number(float, 0.0, 1.0),
        help=f"lowest score reported, 0 to 1 (default {DEFAULT_THRESHOLD})",
    )
    p.add_argument(
        "--limit",
        type=_number(int, 1),
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


def _add_screen_parser(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser("screen", help="screen one name", epilog=EXIT_CODES)
    s.add_argument("name", help="the name to screen, in any script")
    _add_list_arguments(s)
    _add_scoring_arguments(s)
    s.add_argument("--kind", help=f"the entity kind ({', '.join(KINDS)}; Individual, Entity ...)")
    s.add_argument(
        "--birth-date",
        help="YYYY-MM-DD, YYYY-MM, YYYY, ~YYYY (circa), YYYY/YYYY (range) or an ISO date-time",
    )
    s.add_argument("--nationality", help="a country: ISO 3166 code (IR, IRN) or name (Iran)")
    s.add_argument(
        "--json",
        action="store_true",
        help="print the full result as JSON (its schema_version field names the layout)",
    )
    _add_audit_argument(s)
    s.set_defaults(func=_cmd_screen)


def _add_batch_parser(sub: argparse._SubParsersAction) -> None:
    from .batch import CHUNK_ROWS

    p = sub.add_parser("batch", help="screen a file of names", epilog=EXIT_CODES)
    p.add_argument("input", help="CSV, JSON lines or Parquet file, or - for stdin")
    p.add_argument(
        "-o",
        "--output",
        default="-",
        help="output file (default stdout); a manifest OUTPUT.manifest.json is kept beside it",
    )
    p.add_argument("--name-column", required=True, help="the column holding the name to screen")
    p.add_argument("--id-column", help="the column holding the customer's id, copied to the output")
    p.add_argument("--birth-date-column", help="the column holding birth dates (ISO forms)")
    p.add_argument("--nationality-column", help="the column holding nationalities (codes or names)")
    p.add_argument("--kind-column", help="the column holding entity kinds (Individual, Entity ...)")
    _add_list_arguments(p)
    _add_scoring_arguments(p)
    p.add_argument(
        "--workers",
        type=_number(int, 0),
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
        type=_number(int, 1),
        default=CHUNK_ROWS,
        help="rows per output write (default %(default)s)",
    )
    _add_audit_argument(p)
    p.set_defaults(func=_cmd_batch)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests)."""
    p = _Parser(
        prog="sanctions-screen",
        description="Screen names against sanctions lists.",
        epilog=EXIT_CODES,
    )
    p.add_argument("--version", action="version", version=f"sanctions-screen {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    _add_screen_parser(sub)

    c = sub.add_parser("compare", help="score two names against each other", epilog=EXIT_CODES)
    c.add_argument("a", help="the first name (read as the query)")
    c.add_argument("b", help="the second name")
    c.set_defaults(func=_cmd_compare)

    lists = sub.add_parser("lists", help="inspect or fetch lists", epilog=EXIT_CODES)
    lsub = lists.add_subparsers(dest="lists_command", required=True, parser_class=_Parser)
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

    _add_batch_parser(sub)

    audit = sub.add_parser("audit", help="check an audit log", epilog=EXIT_CODES)
    asub = audit.add_subparsers(
        dest="audit_command", required=True, parser_class=_Parser, help="what to do with a log"
    )
    check = asub.add_parser(
        "verify",
        help="check an audit log's chain: names the first line edited, removed, reordered or "
        "torn; exit 0 intact, 1 not",
    )
    check.add_argument("file", help="the audit log (JSON lines)")
    check.set_defaults(func=_cmd_audit_verify)
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
