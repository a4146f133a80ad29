"""The serve command: the HTTP screening service (the `server` extra: FastAPI and uvicorn)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..screener import Screener

from .common import EXIT_CODES, EXIT_NO_HIT, add_decisions_argument, add_list_arguments, number


def _cmd_serve(args: argparse.Namespace) -> int:
    try:
        import uvicorn  # noqa: F401
    except ImportError:
        raise ValueError(
            "serving needs the server extra: pip install 'sanctions-screen[server]'"
        ) from None
    from ..server import ServerConfig, read_key_file
    from ..server.app import create_app
    from ..server.guard import setup_logging
    from ..server.prefork import bind, preload, serve

    config = ServerConfig(
        lists=args.list or [],
        list_names=args.list_name or [],
        cache_dir=args.cache_dir,
        require_aliases=args.require_aliases,
        threshold=args.threshold,
        decisions=args.decisions,
        api_key_file=args.api_key_file,
        max_body=args.max_body,
        max_at_work=args.max_at_work,
        timeout=args.timeout,
        reload_interval=args.reload_interval,
        log_queries=args.log_queries,
    )
    if config.api_key_file:
        read_key_file(config.api_key_file)  # a bad key file stops here, before any worker
    sock = bind(args.host, args.port)  # a busy port fails now, not after the lists load
    screener: Screener | None = None
    signature: tuple[tuple[str, int, int], ...] = ()
    if config.lists:
        # The saved index is built (or checked against the list files) once, here, before the
        # workers are forked: they inherit it, ready.
        from ..cached_index import resolve_lists
        from ..server.holder import files_signature
        from .common import screener_for

        paths = [s.path for s in resolve_lists(config.lists, config.list_names, config.cache_dir)]
        signature = files_signature(paths)  # before the check: a change after it is seen
        screener = screener_for(args)
    setup_logging()
    app = create_app(config)
    preload(app, screener, signature)
    serve(app, sock, args.workers)
    return EXIT_NO_HIT


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """The serve command."""
    p = sub.add_parser(
        "serve",
        help="an HTTP screening service with yente-compatible /match (the server extra)",
        epilog=EXIT_CODES,
    )
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default %(default)s)")
    p.add_argument("--port", type=number(int, 1, 65535), default=8000, help="default %(default)s")
    p.add_argument("--workers", type=number(int, 1), default=1, help="uvicorn worker processes")
    p.add_argument(
        "--api-key-file", metavar="F", help="sha256 digests of the accepted API keys, one per line"
    )
    p.add_argument("--threshold", type=number(float, 0.0, 1.0), help="the default threshold")
    p.add_argument(
        "--max-body",
        type=number(int, 1),
        default=1 << 20,
        help="largest request body in bytes (413 above)",
    )
    p.add_argument(
        "--max-at-work",
        type=number(int, 1),
        default=64,
        help="screening requests in a worker (at work or waiting their turn) before a 429",
    )
    p.add_argument(
        "--timeout", type=number(float, 0.01), default=10.0, help="seconds a request may take"
    )
    p.add_argument(
        "--reload-interval",
        type=number(float, 0.1),
        default=30.0,
        help="seconds between checks for new list versions",
    )
    p.add_argument(
        "--log-queries",
        action="store_true",
        help="log the names screened (off: logs hold no customer names)",
    )
    add_list_arguments(p)
    add_decisions_argument(p)
    p.set_defaults(func=_cmd_serve, audit=None)
