"""Run the application in pre-forked uvicorn workers: the parent loads the index once, binds the
socket, then forks the workers, which inherit both. uvicorn's own `--workers` spawns fresh
interpreters that import everything and load the index again (4 s to ready with the four lists,
each worker holding its own copy); forked workers are ready as soon as they run, and share the
index's pages with the parent."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import time
from collections.abc import Callable

from fastapi import FastAPI

from ..screener import Screener

log = logging.getLogger("sanctions_screen.server")
RESTART_PAUSE = 1.0  # seconds before replacing a worker that died within this long of its start


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket the workers share (the kernel hands each connection to one).

    >>> s = bind("127.0.0.1", 0); s.getsockname()[0]; s.close()
    '127.0.0.1'
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ValueError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def preload(
    app: FastAPI,
    screener: Screener | None = None,
    signature: tuple[tuple[str, int, int], ...] = (),
) -> None:
    """Before any worker exists, give the application its screener: `screener` (made from the
    list files as `signature` saw them), else the lists loaded now. Every worker then starts
    ready with it, and its background thread only watches for updates.

    >>> # preload(create_app(ServerConfig()))
    """
    service = app.state.service
    if screener is None:
        service.holder.check()
    else:
        screener.decisions = service.decisions
        service.holder.adopt(screener, signature)
    if service.holder.screener is None:
        raise ValueError(f"the lists could not be loaded: {service.holder.status.update_error}")
    service.holder.screener.prepare_workers()


def serve(app: FastAPI, sock: socket.socket, workers: int, log_level: str = "warning") -> None:
    """Serve `app` on `sock`: in this process for one worker, else in `workers` forked processes,
    each replaced if it dies, all stopped by SIGTERM or SIGINT to this one.

    >>> # serve(app, bind("127.0.0.1", 8000), workers=2)
    """
    run = _runner(app, sock, log_level)
    if workers == 1 or not hasattr(os, "fork"):
        run()
        return
    _supervise(run, workers)


def _runner(app: FastAPI, sock: socket.socket, log_level: str) -> Callable[[], None]:
    import uvicorn

    def run() -> None:
        config = uvicorn.Config(app, log_level=log_level, access_log=False, lifespan="on")
        uvicorn.Server(config).run(sockets=[sock])

    return run


def _start(run: Callable[[], None]) -> int:
    pid = os.fork()
    if pid:
        return pid
    # The worker: its own process group, so that a terminal's Ctrl-C reaches only the parent,
    # which stops each worker once (a second signal would make uvicorn skip its graceful stop).
    code = 0
    try:
        os.setpgid(0, 0)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        run()
    except BaseException:
        log.exception("worker failed", extra={"event": "worker_failed"})
        code = 1
    finally:
        os._exit(code)  # never return into the parent's code


def _supervise(run: Callable[[], None], workers: int) -> None:
    started = {_start(run): time.monotonic() for _ in range(workers)}
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True
        for pid in started:
            _kill(pid)

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        while started:
            pid, status = os.wait()
            began = started.pop(pid, None)
            if began is None or stopping:
                continue
            log.error(
                "worker exited, starting another",
                extra={"event": "worker_exited", "status": os.waitstatus_to_exitcode(status)},
            )
            if time.monotonic() - began < RESTART_PAUSE:
                time.sleep(RESTART_PAUSE)  # a worker that dies at start: no busy loop
            if not stopping:
                started[_start(run)] = time.monotonic()
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # already gone: os.wait collects it
        os.kill(pid, signal.SIGTERM)


__all__ = ["bind", "preload", "serve"]
