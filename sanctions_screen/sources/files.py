"""Reading list files: bytes, hashes, text decoding, and the error every loader raises."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import ListFormatError

# A zip member may unpack to at most this many bytes, and to at most this many times its packed
# size once it is over a megabyte: real list files pack 3 to 20 times (OFAC's enhanced XML 16.5x,
# OFSI's workbook sheets 5-10x); a zip bomb packs hundreds or thousands of times.
MAX_UNZIPPED_BYTES = 1 << 30
MAX_ZIP_RATIO = 100


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


def looks_utf16(data: bytes) -> bool:
    """True when bytes are UTF-16 text: a UTF-16 byte-order mark, or a NUL beside every ASCII
    letter (what spreadsheet programs write when asked for "Unicode text").

    >>> looks_utf16("id,name".encode("utf-16")), looks_utf16(b"id,name")
    (True, False)
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    head = data[:64]
    if len(head) < 8 or len(head) % 2:
        head = head[: len(head) - len(head) % 2]
    return len(head) >= 8 and (not any(head[1::2]) or not any(head[0::2]))


def utf16_error(path: Path) -> ListFormatError:
    """The error for a UTF-16 file where UTF-8 is expected, with what to do about it."""
    return ListFormatError(
        "the file is UTF-16, not UTF-8: save it as UTF-8 (CSV UTF-8 in a spreadsheet program)",
        path=str(path),
        line=1,
    )


def check_zip(zf: zipfile.ZipFile, path: Path) -> None:
    """ListFormatError when a zip's members would unpack to more than `MAX_UNZIPPED_BYTES`, or
    one packs more than `MAX_ZIP_RATIO` times (a zip bomb), before anything is unpacked."""
    total = 0
    for info in zf.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1 << 20 and ratio > MAX_ZIP_RATIO:
            raise ListFormatError(
                f"zip member {info.filename} unpacks {ratio:.0f} times its packed size "
                f"(at most {MAX_ZIP_RATIO}): not a list file, possibly a zip bomb",
                path=str(path),
            )
    if total > MAX_UNZIPPED_BYTES:
        raise ListFormatError(
            f"the zip unpacks to {total:,} bytes (at most {MAX_UNZIPPED_BYTES:,})", path=str(path)
        )


def unzip_member(data: bytes, path: Path, suffix: str = ".xml") -> bytes:
    """The one member of a zip whose name ends with `suffix`; ListFormatError if there is none,
    or if the zip is not a list's (see `check_zip`).

    >>> unzip_member(b"not a zip", Path("x.zip"))
    Traceback (most recent call last):
    ...
    sanctions_screen.errors.ListFormatError: x.zip: not a valid zip file
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            check_zip(zf, path)
            members = [n for n in zf.namelist() if n.lower().endswith(suffix)]
            if not members:
                raise ListFormatError(
                    f"the zip holds no *{suffix} member (has {', '.join(zf.namelist()) or 'nothing'})",
                    path=str(path),
                )
            return zf.read(members[0])
    except zipfile.BadZipFile as exc:
        raise ListFormatError("not a valid zip file", path=str(path)) from exc


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
