"""What every request passes first (one ASGI middleware, cheap on the hot path): an API key when
keys are configured, a body size limit (413), a bound on the requests at work (429 with
Retry-After instead of an ever longer queue), and one JSON log line per request, without the
names screened."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from pathlib import Path
from typing import Any

log = logging.getLogger("sanctions_screen.server")
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Answered without a key: probes, the version a client checks for compatibility, the API's docs.
PUBLIC = frozenset({"/healthz", "/readyz", "/-/version", "/openapi.json", "/docs", "/redoc"})
# The requests that screen: counted against the bound on work in progress.
WORK = ("/screen", "/match", "/compare", "/decisions")


def read_key_file(path: str | Path) -> frozenset[str]:
    """The sha256 hex digests of the accepted keys: one per line (an optional "sha256:" prefix;
    blank lines and # comments skipped). A key itself is never stored.

    >>> import tempfile; p = Path(tempfile.mkdtemp()) / "keys"; _ = p.write_text("# ops\\n" + "ab" * 32 + "\\n")
    >>> len(read_key_file(p))
    1
    """
    keys = set()
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        text = line.strip().removeprefix("sha256:")
        if not text or text.startswith("#"):
            continue
        if len(text) != 64 or any(c not in "0123456789abcdef" for c in text.lower()):
            raise ValueError(f"{path}, line {number}: not a sha256 hex digest of a key")
        keys.add(text.lower())
    if not keys:
        raise ValueError(f"{path}: no key digests")
    return frozenset(keys)


def hash_key(key: str) -> str:
    """The digest a key file holds for a key.

    >>> hash_key("secret")[:12]
    '2bb80d537b1d'
    """
    return hashlib.sha256(key.encode()).hexdigest()


def _presented_key(headers: dict[bytes, bytes]) -> str | None:
    auth = headers.get(b"authorization", b"").decode("latin-1").strip()
    scheme, _, value = auth.partition(" ")
    if scheme.lower() in ("apikey", "bearer") and value.strip():
        return value.strip()
    key = headers.get(b"x-api-key", b"").decode("latin-1").strip()
    return key or None


async def _answer(
    send: Send, status: int, detail: str, headers: Sequence[tuple[bytes, bytes]] = ()
) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class Guard:
    """The middleware. `keys`: accepted key digests (None: no keys asked); `max_body`: bytes;
    `max_at_work`: screening requests in this process, at work or waiting, before a 429."""

    def __init__(
        self, app: ASGIApp, *, keys: frozenset[str] | None, max_body: int, max_at_work: int
    ) -> None:
        self.app, self.keys, self.max_body, self.max_at_work = app, keys, max_body, max_at_work
        self.at_work = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = {"code": 0}

        async def logged_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self._guarded(scope, receive, logged_send)
        finally:
            log.info(
                "request",
                extra={
                    "event": "request",
                    "request_id": uuid.uuid4().hex[:16],
                    "method": scope.get("method"),
                    "path": scope.get("path"),
                    "status": status["code"],
                    "ms": round((time.perf_counter() - start) * 1000, 2),
                },
            )

    async def _guarded(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        headers = dict(scope.get("headers") or [])
        if self.keys is not None and path not in PUBLIC:
            key = _presented_key(headers)
            if key is None or hash_key(key) not in self.keys:
                await _answer(
                    send,
                    401,
                    "an API key is required (Authorization: ApiKey <key>)",
                    [(b"www-authenticate", b"ApiKey")],
                )
                return
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await _answer(send, 413, f"the request body is over {self.max_body} bytes")
            return
        if length is None and scope.get("method") in ("POST", "PUT", "PATCH"):
            # A body sent without a length (chunked): read it here, up to the limit, so that
            # going over it is a 413 rather than a parse error later.
            body = await self._read_bounded(receive)
            if body is None:
                await _answer(send, 413, f"the request body is over {self.max_body} bytes")
                return
            receive = _replay(body, receive)
        if not path.startswith(WORK):
            await self.app(scope, receive, send)
            return
        # A request's place in the queue: how many arrived before it and are not answered yet.
        # One name is screened on the event loop without a pause, so without the yield below
        # each request would run to its end before the next one is even seen, and a queue
        # of any length would never show; the requests that arrived together are counted first.
        ahead = self.at_work
        self.at_work += 1
        try:
            await asyncio.sleep(0)
            if ahead >= self.max_at_work:
                await _answer(
                    send, 429, "too many requests at work; retry shortly", [(b"retry-after", b"1")]
                )
                return
            await self.app(scope, receive, send)
        finally:
            self.at_work -= 1

    async def _read_bounded(self, receive: Receive) -> bytes | None:
        """The whole body, or None once it goes over the limit."""
        parts: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return b"".join(parts)
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return None
            parts.append(chunk)
            if not message.get("more_body"):
                return b"".join(parts)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that hands over a body read already, then the connection's own messages."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class JsonFormatter(logging.Formatter):
    """One JSON object per log line: time, level, message and the record's extra fields."""

    _PLAIN = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "message": record.getMessage(),
        }
        out.update({k: v for k, v in record.__dict__.items() if k not in self._PLAIN})
        return json.dumps(out, default=str, ensure_ascii=False)


def setup_logging(level: int = logging.INFO) -> None:
    """JSON lines on stderr for the server's logger."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    log.handlers[:] = [handler]
    log.setLevel(level)
    log.propagate = False


__all__ = [
    "PUBLIC",
    "Guard",
    "JsonFormatter",
    "hash_key",
    "read_key_file",
    "setup_logging",
]
