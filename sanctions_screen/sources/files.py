"""Reading list files: bytes, hashes, text decoding, and the error every loader raises."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import ListFormatError


def read_bytes(path: Path) -> bytes:
    """The file's bytes; ListFormatError when it is missing or empty.

    >>> read_bytes(Path("/nonexistent"))
    Traceback (most recent call last):
    ...
    sanctions_screen.errors.ListFormatError: /nonexistent: cannot read: No such file or directory
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ListFormatError(f"cannot read: {exc.strerror or exc}", path=str(path)) from exc
    if not data.strip(b" \r\n\t\x1a\x00"):
        raise ListFormatError("the file is empty", path=str(path))
    return data


def sha256(data: bytes) -> str:
    """Hex sha256 of some bytes.

    >>> sha256(b"")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(data).hexdigest()


def decode(data: bytes, path: Path, encoding: str = "utf-8-sig", what: str = "valid UTF-8") -> str:
    """Text in one encoding (UTF-8 by default, a BOM dropped); ListFormatError naming the line of
    the first bad byte.

    >>> decode(b"Ali", Path("x"))
    'Ali'
    """
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ListFormatError(f"not {what} (byte {exc.start})", path=str(path), line=line) from exc


def json_lines(data: bytes, path: Path) -> Iterator[tuple[int, Any]]:
    r"""(line number, parsed value) of each non-blank line of a UTF-8 JSON-lines file.

    >>> list(json_lines(b'{"a": 1}\n\n[2]', Path("x.jsonl")))
    [(1, {'a': 1}), (3, [2])]
    """
    for lineno, line in enumerate(decode(data, path).split("\n"), start=1):
        if not line.strip():
            continue
        try:
            yield lineno, json.loads(line)
        except json.JSONDecodeError as exc:
            raise ListFormatError(f"invalid JSON: {exc.msg}", path=str(path), line=lineno) from exc


def content_version(hashes: dict[str, str]) -> str:
    """A version for files that state no date: a hash over their content hashes.

    >>> content_version({"a.csv": "00"})[:7]
    'sha256:'
    """
    joined = "\n".join(hashes[k] for k in sorted(hashes))
    return "sha256:" + hashlib.sha256(joined.encode()).hexdigest()[:16]
