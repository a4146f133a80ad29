"""The project's own list format: JSON lines (one Entry per line) or a simple CSV.

JSON lines: each line is an `Entry` as JSON. An optional first line
`{"watchlist": {"name": ..., "version": ...}}` names the list and its version.

CSV (UTF-8, header row): `id`, `name`, `kind` required; optional `list`, `name_kind`,
`birth_dates`, `nationalities`, `gender`, `programs`, `remarks` (multi-valued cells separated by
`;`). Rows sharing an id are one entry with several names.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from pydantic import ValidationError

from ..errors import ListFormatError
from ..models import Entry, Name, Watchlist
from .files import content_version, decode, json_lines, sha256

CSV_REQUIRED = ("id", "name", "kind")


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err.get("loc", ()))
    return f"{where}: {err.get('msg')}" if where else str(err.get("msg"))


def parse_jsonl(data: bytes, path: Path) -> Watchlist:
    """Read a native JSON-lines list.

    >>> parse_jsonl(b'{"id":"x:1","list":"x","source_id":"1","names":[{"full":"Ali"}]}', Path("l.jsonl")).entries[0].id
    'x:1'
    """
    meta: dict[str, str] = {}
    entries: list[Entry] = []
    for lineno, obj in json_lines(data, path):
        if isinstance(obj, dict) and "watchlist" in obj and not entries:
            meta = {str(k): str(v) for k, v in dict(obj["watchlist"]).items()}
            continue
        try:
            entries.append(Entry.model_validate(obj))
        except ValidationError as exc:
            raise ListFormatError(
                f"not an entry: {_first_error(exc)}", path=str(path), line=lineno
            ) from exc
    return _watchlist(entries, meta, {str(path): sha256(data)}, path)


def _split(cell: str | None) -> list[str]:
    return [v.strip() for v in (cell or "").split(";") if v.strip()]


def parse_csv(data: bytes, path: Path) -> Watchlist:
    """Read a native CSV list.

    >>> parse_csv(b"id,name,kind\\n7,Abu Ali,person\\n", Path("l.csv")).entries[0].id
    'l:7'
    """
    text = decode(data, path)
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [c for c in CSV_REQUIRED if c not in header]
    if missing:
        raise ListFormatError(
            f"missing columns {', '.join(missing)} (have {', '.join(header) or 'none'})",
            path=str(path),
            line=1,
        )
    grouped: dict[tuple[str, str], dict[str, object]] = {}
    for row in reader:
        lineno = reader.line_num
        if None in row or any(v is None for v in row.values()):
            raise ListFormatError(f"expected {len(header)} fields", path=str(path), line=lineno)
        list_name = (row.get("list") or "").strip() or path.stem
        sid = row["id"].strip()
        if not sid or not row["name"].strip():
            raise ListFormatError("id and name must not be empty", path=str(path), line=lineno)
        key = (list_name, sid)
        acc = grouped.setdefault(
            key,
            {
                "list": list_name,
                "source_id": sid,
                "kind": row["kind"].strip() or "unknown",
                "names": [],
                "birth_dates": [],
                "nationalities": [],
                "programs": [],
                "gender": None,
                "remarks": None,
                "_line": lineno,
            },
        )
        try:
            name = Name.model_validate(
                {"full": row["name"].strip(), "kind": (row.get("name_kind") or "primary").strip()}
            )
        except ValidationError as exc:
            raise ListFormatError(
                f"bad name: {_first_error(exc)}", path=str(path), line=lineno
            ) from exc
        names = acc["names"]
        assert isinstance(names, list)
        names.append(name)
        for col in ("birth_dates", "nationalities", "programs"):
            values = acc[col]
            assert isinstance(values, list)
            values.extend(v for v in _split(row.get(col)) if v not in values)
        acc["gender"] = acc["gender"] or (row.get("gender") or "").strip() or None
        acc["remarks"] = acc["remarks"] or (row.get("remarks") or "").strip() or None
    entries = []
    for acc in grouped.values():
        line = acc.pop("_line")
        try:
            entries.append(Entry.model_validate(acc))
        except ValidationError as exc:
            raise ListFormatError(
                f"not an entry: {_first_error(exc)}", path=str(path), line=int(str(line))
            ) from exc
    return _watchlist(entries, {}, {str(path): sha256(data)}, path)


def _watchlist(
    entries: list[Entry], meta: dict[str, str], hashes: dict[str, str], path: Path
) -> Watchlist:
    if not entries:
        raise ListFormatError("no entries found", path=str(path))
    lists = sorted({e.list for e in entries})
    name = meta.get("name") or (lists[0] if len(lists) == 1 else path.stem)
    version = meta.get("version") or content_version(hashes)
    return Watchlist(name=name, version=version, entries=entries, sources=hashes)


def dump_jsonl(watchlist: Watchlist) -> str:
    """A watchlist in the native JSON-lines format (the inverse of `parse_jsonl`).

    >>> dump_jsonl(Watchlist(name="x", version="1", entries=[])).splitlines()[0]
    '{"watchlist":{"name":"x","version":"1"}}'
    """
    lines = [
        json.dumps(
            {"watchlist": {"name": watchlist.name, "version": watchlist.version}},
            separators=(",", ":"),
        )
    ]
    lines.extend(e.model_dump_json() for e in watchlist.entries)
    return "\n".join(lines) + "\n"
