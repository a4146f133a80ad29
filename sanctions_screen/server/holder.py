"""The screener a server uses, replaced while it serves: a background thread watches the list
files (and the `lists fetch` cache), and when they change builds or loads the new index, then
swaps it in with one reference assignment. A request takes the screener once, at its start, so
requests in flight finish on the one they began with. A failed update keeps the previous one and
says so (`Holder.status`, /readyz, the log)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..screener import Screener

log = logging.getLogger("sanctions_screen.server")


def files_signature(paths: list[Path]) -> tuple[tuple[str, int, int], ...]:
    """What changes when a list file is replaced or edited: each file's path, size and
    modification time (the files of a folder, one level down). Cheap enough to poll; the
    saved index then checks the files' sha256 before any of it is used.

    >>> files_signature([])
    ()
    """
    out = []
    for p in paths:
        files = sorted(x for x in p.iterdir() if x.is_file()) if p.is_dir() else [p]
        for f in files:
            try:
                st = f.stat()
            except OSError:
                continue  # a file being replaced: the next poll sees the new one
            out.append((str(f), st.st_size, st.st_mtime_ns))
    return tuple(out)


@dataclass
class Status:
    """What the holder reports: ready or not, the versions in use, the last update and error."""

    ready: bool = False
    lists: list[tuple[str, str]] = field(default_factory=list)
    loaded_at: str | None = None
    update_error: str | None = None
    updates: int = 0


class Holder:
    """Holds the current screener. `load` makes a screener from the lists as they are now;
    `watch` returns the paths whose change means the lists changed (read again at every poll, so
    a newly fetched version is seen)."""

    def __init__(
        self,
        load: Callable[[], Screener],
        watch: Callable[[], list[Path]],
        interval: float = 30.0,
    ) -> None:
        self._load, self._watch, self.interval = load, watch, interval
        self.screener: Screener | None = None
        self.status = Status()
        self._signature: tuple[tuple[str, int, int], ...] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Load the lists now (in a thread: the server answers /healthz meanwhile), then poll."""
        self._thread = threading.Thread(target=self._run, name="list-updates", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop polling."""
        self._stop.set()

    def wait_ready(self, timeout: float) -> bool:
        """Wait until a screener is loaded (tests, benchmarks)."""
        end = time.monotonic() + timeout
        while self.screener is None and time.monotonic() < end and not self._stop.is_set():
            time.sleep(0.01)
        return self.screener is not None

    def _run(self) -> None:
        while not self._stop.is_set():
            self.check()
            self._stop.wait(self.interval)

    def check(self) -> None:
        """Load the lists if they changed since the last load (or were never loaded)."""
        try:
            signature = files_signature(self._watch())
        except Exception as exc:  # a list that vanished: keep serving, say so
            self._failed(exc)
            return
        if signature == self._signature and self.screener is not None:
            return
        try:
            screener = self._load()
        except Exception as exc:  # a corrupt or half-written update: keep the previous lists
            self._failed(exc)
            self._signature = signature  # tried: wait for the next change before trying again
            return
        self.adopt(screener, signature)

    def adopt(self, screener: Screener, signature: tuple[tuple[str, int, int], ...]) -> None:
        """Serve `screener`, made from the list files as `signature` saw them (taken before the
        screener was made, so that a change during its making is seen at the next poll)."""
        self.screener = screener  # the swap: one reference assignment
        self._signature = signature
        self.status = Status(
            ready=True,
            lists=list(screener.lists),
            loaded_at=datetime.now(UTC).isoformat(timespec="seconds"),
            update_error=None,
            updates=self.status.updates + 1,
        )
        log.info("lists loaded", extra={"event": "lists_loaded", "lists": screener.lists})

    def _failed(self, exc: Exception) -> None:
        message = f"{type(exc).__name__}: {exc}"
        self.status.update_error = message
        log.error(
            "list update failed, serving the previous lists",
            extra={"event": "update_failed", "error": message},
        )


__all__ = ["Holder", "Status", "files_signature"]
