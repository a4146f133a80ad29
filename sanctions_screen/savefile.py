"""The saved-index file: a JSON header and named parts, checked end to end, never unpickled.

Layout: `MAGIC`, the header's length (8 bytes, little-endian), the header (UTF-8 JSON), the parts
(each at a 64-byte boundary), and the sha256 of everything before it (32 bytes). A part is a
numeric array in the `.npy` format (read as a view of the memory-mapped file, so processes that
load one file share its pages; an object dtype, the one `.npy` form that needs pickle, is refused),
a list of strings (NUL-separated UTF-8), a JSON value, or raw bytes. Nothing in the file is ever executed: JSON and numbers only.

One file rather than a folder, so that replacing it is one atomic rename: a process that opened
the old file keeps reading the old file.
"""

from __future__ import annotations

import hashlib
import io
import json
import mmap
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from .errors import IndexFormatError

MAGIC = b"SSINDEX\n"
FORMAT_VERSION = 2
_ALIGN = 64
_DIGEST = 32
_CHUNK = 1 << 22
# The .npy header readers parse with ast.literal_eval: data only.
_NPY_HEADERS = {
    (1, 0): np.lib.format.read_array_header_1_0,
    (2, 0): np.lib.format.read_array_header_2_0,
}


class Part(NamedTuple):
    """Where one part lies in the file, and how to read it ("npy", "strs", "json" or "bytes")."""

    kind: str
    offset: int
    length: int


def _encode(value: Any) -> tuple[str, bytes]:
    if isinstance(value, np.ndarray):
        buf = io.BytesIO()
        # allow_pickle=False: an object array raises here rather than being written as a pickle.
        np.lib.format.write_array(buf, np.ascontiguousarray(value), allow_pickle=False)
        return "npy", buf.getvalue()
    if isinstance(value, bytes):
        return "bytes", value
    if isinstance(value, list) and all(isinstance(v, str) and "\0" not in v for v in value):
        # A list of strings as one NUL-separated text: split back in one call, not parsed.
        return "strs", ("\0".join(value) + "\0" if value else "").encode()
    return "json", json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def write(
    path: str | os.PathLike[str], header: Mapping[str, Any], parts: Mapping[str, Any]
) -> None:
    """Write `parts` (name -> numpy array, bytes or a JSON value) under `header`, atomically:
    a temporary file in the same folder, renamed over `path` once complete.

    >>> import tempfile; p = Path(tempfile.mkdtemp()) / "x.idx"
    >>> write(p, {"what": "demo"}, {"a": np.arange(3)}); read(p).array("a").tolist()
    [0, 1, 2]
    """
    write_encoded(path, header, {name: _encode(value) for name, value in parts.items()})


def write_encoded(
    path: str | os.PathLike[str],
    header: Mapping[str, Any],
    encoded: Mapping[str, tuple[str, bytes]],
) -> None:
    """`write` for parts already encoded: name -> (kind, bytes). Tests use it to build files
    with parts no writer would make.

    >>> import tempfile; p = Path(tempfile.mkdtemp()) / "x.idx"
    >>> write_encoded(p, {}, {"a": ("json", b"[1]")}); read(p).json("a")
    [1]
    """
    target = Path(path)
    table: dict[str, Part] = {}
    offset = 0
    for name, (kind, data) in encoded.items():
        offset += -offset % _ALIGN
        table[name] = Part(kind, offset, len(data))
        offset += len(data)
    head = json.dumps(
        {**header, "format": FORMAT_VERSION, "parts": {k: list(v) for k, v in table.items()}},
        ensure_ascii=False,
    ).encode()
    start = len(MAGIC) + 8 + len(head)
    start += -start % _ALIGN
    digest = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:

            def put(data: bytes) -> None:
                out.write(data)
                digest.update(data)

            put(MAGIC + len(head).to_bytes(8, "little") + head)
            put(b"\0" * (start - len(MAGIC) - 8 - len(head)))
            at = 0
            for name, (_, data) in encoded.items():
                put(b"\0" * (table[name].offset - at))
                put(data)
                at = table[name].offset + len(data)
            out.write(digest.digest())
            out.flush()
            os.fsync(out.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as any file this process writes, not mkstemp's 0600
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class SavedFile:
    """A saved file, opened and checked: its header, and its parts by name."""

    def __init__(self, path: Path, header: dict[str, Any], view: memoryview, start: int) -> None:
        self.path = path
        self.header = header
        self._view = view
        self._start = start
        try:
            self._parts = {k: Part(*v) for k, v in header["parts"].items()}
        except (KeyError, TypeError, AttributeError) as exc:
            raise self.error("the header has no valid table of parts") from exc

    def error(self, what: str) -> IndexFormatError:
        """An IndexFormatError naming this file.

        >>> # raise saved.error("the entry kinds do not match the entries")
        """
        return IndexFormatError(what, path=str(self.path))

    def _raw(self, name: str, kind: str) -> memoryview:
        part = self._parts.get(name)
        if part is None:
            raise self.error(f"no part {name!r}")
        if part.kind != kind:
            raise self.error(f"part {name!r} is {part.kind}, expected {kind}")
        a = self._start + part.offset
        if part.offset < 0 or part.length < 0 or a + part.length > len(self._view):
            raise self.error(f"part {name!r} lies outside the file")
        return self._view[a : a + part.length]

    def array(self, name: str) -> np.ndarray:
        """A numeric part, as a view of the mapped file.

        >>> # saved.array("index.postings.flat")[:3]
        """
        raw = self._raw(name, "npy")
        try:
            stream = io.BytesIO(raw[:4096].tobytes())
            version = np.lib.format.read_magic(stream)
            header = _NPY_HEADERS.get(version)
            if header is None:
                raise ValueError(f"npy version {version}")
            shape, fortran, dtype = header(stream)
        except (ValueError, SyntaxError, TypeError, EOFError) as exc:
            raise self.error(f"part {name!r} is not a valid .npy array: {exc}") from exc
        if dtype.hasobject:
            raise self.error(f"part {name!r} holds Python objects, which are never loaded")
        if fortran:
            raise self.error(f"part {name!r} is in Fortran order, which no writer here makes")
        count = int(np.prod(shape, dtype=np.int64))
        if stream.tell() + count * dtype.itemsize != len(raw):
            raise self.error(f"part {name!r} does not hold the array its header describes")
        return np.frombuffer(raw, dtype=dtype, count=count, offset=stream.tell()).reshape(shape)

    def json(self, name: str) -> Any:
        """A JSON part.

        >>> # saved.json("index.by_first")["a"]
        """
        raw = bytes(self._raw(name, "json"))
        try:
            return json.loads(raw)
        except ValueError as exc:
            raise self.error(f"part {name!r} is not valid JSON") from exc

    def bytes(self, name: str) -> memoryview:
        """A raw part, as a view of the mapped file.

        >>> # bytes(saved.bytes("entries")[:10])
        """
        return self._raw(name, "bytes")

    def map_all(self) -> None:
        """Map every page of the file into this process (a byte read per page). Forked children
        then share these pages; a page a child maps first would count as its own.

        >>> # saved.map_all(); os.fork()
        """
        np.frombuffer(self._view, dtype=np.uint8)[:: mmap.PAGESIZE].max(initial=0)

    def strings(self, name: str) -> list[str]:
        """A list-of-strings part.

        >>> # saved.strings("index.vocab.folded")[:2]
        """
        try:
            text = bytes(self._raw(name, "strs")).decode()
        except UnicodeDecodeError as exc:
            raise self.error(f"part {name!r} is not valid UTF-8") from exc
        return text.split("\0")[:-1] if text else []

    def has(self, name: str) -> bool:
        """Whether the file holds a part of this name.

        >>> import tempfile; p = Path(tempfile.mkdtemp()) / "x.idx"
        >>> write(p, {}, {"s": ["ab"]}); read(p).has("s"), read(p).has("t")
        (True, False)
        """
        return name in self._parts

    def part(self, name: str) -> Any:
        """A part, read as the file says it is stored.

        >>> import tempfile; p = Path(tempfile.mkdtemp()) / "x.idx"
        >>> write(p, {}, {"s": ["ab", "c"]}); read(p).part("s")
        ['ab', 'c']
        """
        part = self._parts.get(name)
        if part is None:
            raise self.error(f"no part {name!r}")
        read = {
            "npy": self.array,
            "json": self.json,
            "strs": self.strings,
            "bytes": self.bytes,
        }.get(part.kind)
        if read is None:
            raise self.error(f"part {name!r} is of unknown kind {part.kind!r}")
        return read(name)


def read(path: str | os.PathLike[str]) -> SavedFile:
    """Open a saved file: IndexFormatError naming it when it is not one, is truncated, fails its
    checksum, or has another format version. The file is mapped, not read into memory: its
    checksum is computed by reading it in chunks, which leaves its pages out of this process.

    >>> read(__file__)
    Traceback (most recent call last):
    ...
    sanctions_screen.errors.IndexFormatError: ...savefile.py: not a saved index (no SSINDEX header)
    """
    p = Path(path)

    def fail(what: str) -> IndexFormatError:
        return IndexFormatError(what, path=str(p))

    try:
        f = open(p, "rb")  # noqa: SIM115 (closed by the with below, after the mmap)
    except OSError as exc:
        raise fail(f"cannot be opened: {exc.strerror}") from exc
    with f:
        first = f.read(len(MAGIC) + 8)
        if first[: len(MAGIC)] != MAGIC:
            raise fail("not a saved index (no SSINDEX header)")
        size = os.fstat(f.fileno()).st_size
        head_len = int.from_bytes(first[len(MAGIC) :], "little")
        if len(first) < len(MAGIC) + 8 or len(MAGIC) + 8 + head_len + _DIGEST > size:
            raise fail("truncated: shorter than its header says")
        f.seek(0)
        digest = hashlib.sha256()
        left = size - _DIGEST
        while left:
            chunk = f.read(min(_CHUNK, left))
            if not chunk:
                raise fail("truncated while reading")
            digest.update(chunk)
            left -= len(chunk)
        if f.read(_DIGEST) != digest.digest():
            raise fail("checksum mismatch: the file is corrupted, truncated or was changed")
        # A private (copy-on-write) mapping: arrays on it are writeable, as some numpy routines
        # (searchsorted among them) want, else they copy the whole array first; no code writes
        # to them, so every page stays shared with other processes loading the file.
        mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY)
    if hasattr(mmap, "MADV_RANDOM"):
        # Screening reads a few scattered pages of each array (binary searches, gathers): no
        # read-ahead, which would map megabytes around them into this process.
        mapped.madvise(mmap.MADV_RANDOM)
    view = memoryview(mapped)
    try:
        header = json.loads(bytes(view[len(MAGIC) + 8 : len(MAGIC) + 8 + head_len]))
    except ValueError as exc:
        raise fail("the header is not valid JSON") from exc
    if not isinstance(header, dict):
        raise fail("the header is not a JSON object")
    if header.get("format") != FORMAT_VERSION:
        raise fail(
            f"format version {header.get('format')!r}; this library reads version {FORMAT_VERSION}"
        )
    start = len(MAGIC) + 8 + head_len
    start += -start % _ALIGN
    return SavedFile(p, header, view[: size - _DIGEST], start)
