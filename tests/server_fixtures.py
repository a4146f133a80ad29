"""Pieces the server tests share: a free port, and a small list file in the native format that a
test rewrites to publish a new version."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

from sanctions_screen import Entry, Name


def free_port() -> int:
    """A port nothing listens on now, on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def write_list(path: Path, version: str, names: list[str]) -> None:
    """The list "live" at `version`, one person per name."""
    lines = [json.dumps({"watchlist": {"name": "live", "version": version}})]
    lines += [
        Entry(list="live", source_id=str(i), kind="person", names=[Name(full=n)]).model_dump_json()
        for i, n in enumerate(names)
    ]
    replace_file(path, "\n".join(lines) + "\n")


def replace_file(path: Path, text: str) -> None:
    """`path` replaced by a file holding `text`, at once, as `lists fetch` and any careful
    publisher do: a server polling it never reads it half-written (an empty file is its own
    failed update, and would race the test's next look at the error)."""
    part = path.with_name(path.name + ".part")
    part.write_text(text, encoding="utf-8")
    os.replace(part, path)
