"""The serve command: the HTTP screening service (the `server` extra: FastAPI and uvicorn)."""

from __future__ import annotations

import argparse

from .common import EXIT_CODES, EXIT_NO_HIT, add_decisions_argument, add_list_arguments, number


def _cmd_serve(args: argparse.Namespace) -> int:
    try:
        import uvicorn
    except ImportError:
        raise ValueError(
            "serving needs the server extra: pip install 'sanctions-screen[server]'"
        ) from None
    import os

    from ..server import ServerConfig, read_key_file

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
    if config.lists:
        # Build (or check against the list files) the saved index once, here: the workers then
        # only load it.
        from ..cached_index import resolve_list
        from ..server.holder import files_signature
        from .common import screener_for

        names = config.list_names
        paths = [
            resolve_list(s, names[i] if i < len(names) else None, config.cache_dir).path
            for i, s in enumerate(config.lists)
        ]
        signature = files_signature(paths)  # before the check: a change after it is seen
        saved = screener_for(args).saved_path
        if saved is not None:
            config = config.model_copy(
                update={"index": str(saved), "index_signature": [list(x) for x in signature]}
            )
    os.environ.update(config.to_env())
    uvicorn.run(
        "sanctions_screen.server.app:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level="warning",
        access_log=False,
    )
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
        help="screening requests in progress per worker before a 429",
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
