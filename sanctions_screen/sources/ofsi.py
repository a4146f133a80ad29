"""UK HMT/OFSI consolidated list (ConList), as CSV or XLSX: same columns, one row per name.

Row 1 is `Last Updated, dd/mm/yyyy` (the version), row 2 the headers. Rows are grouped by
`Group ID`; `Name 6` is the surname (or the whole name of an entity); `Name Non-Latin Script`
becomes an original-script name.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..errors import ListFormatError
from ..models import Entry, EntryKind, Name, NameKind, Watchlist
from ..names import detect_script
from .files import check_zip, content_version, sha256

LIST_NAME = "gb_ofsi"
REQUIRED = ("Name 6", "Name 1", "Group ID", "Group Type", "Alias Type")
_KINDS: dict[str, EntryKind] = {"individual": "person", "entity": "organization", "ship": "vessel"}
_ALIAS: dict[str, NameKind] = {
    "primary name": "primary",
    "primary name variation": "aka",
    "aka": "aka",
    "fka": "fka",
}
_DMY = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")
_GENDER = re.compile(r"\(Gender\):\s*(\w+)")
_NUMBERED = re.compile(r"\(\d+\)\s*")


def _iso(dmy: str) -> str | None:
    m = _DMY.match(dmy.strip())
    if not m:
        return None
    d, mth, y = m.groups()
    if y == "0000":
        return None
    if mth == "00":
        return y
    return f"{y}-{mth}" if d == "00" else f"{y}-{mth}-{d}"


def _rows_from_xlsx(data: bytes, path: Path) -> list[tuple[int, list[str]]]:
    import openpyxl  # imported here: only this format needs it

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            check_zip(zf, path)
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ListFormatError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a bad workbook
        raise ListFormatError(f"not a readable xlsx workbook: {exc}", path=str(path)) from exc
    ws = wb.worksheets[0]
    rows = [
        (i, ["" if v is None else str(v) for v in row])
        for i, row in enumerate(ws.iter_rows(values_only=True), start=1)
    ]
    wb.close()
    return rows


def _rows_from_csv(data: bytes, path: Path) -> list[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="strict")
    reader = csv.reader(io.StringIO(text))
    try:
        return [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise ListFormatError(
            f"malformed CSV: {exc}", path=str(path), line=reader.line_num
        ) from exc


def _group(rows: Iterable[tuple[int, list[str]]], header: Sequence[str], path: Path) -> list[Entry]:
    col = {h: i for i, h in enumerate(header)}
    groups: dict[str, dict[str, object]] = {}
    for line, row in rows:
        if not any(c.strip() for c in row):
            continue
        if len(row) < len(header):
            row = row + [""] * (len(header) - len(row))

        def get(name: str, row: list[str] = row) -> str:
            i = col.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        gid = get("Group ID")
        if not gid:
            raise ListFormatError("row without Group ID", path=str(path), line=line)
        g = groups.setdefault(
            gid,
            {
                "names": [],
                "birth_dates": [],
                "nationalities": [],
                "programs": [],
                "kind": _KINDS.get(get("Group Type").lower(), "unknown"),
                "gender": None,
            },
        )
        surname = get("Name 6")
        given = " ".join(get(f"Name {i}") for i in range(1, 6) if get(f"Name {i}"))
        full = f"{surname}, {given}" if surname and given else surname or given
        kind = _ALIAS.get(get("Alias Type").lower(), "aka")
        if kind != "primary" and get("Alias Quality").lower().startswith("low"):
            kind = "weak"
        names = g["names"]
        assert isinstance(names, list)
        if full and all(n.full != full for n in names):
            names.append(Name(full=full, kind=kind))
        original = get("Name Non-Latin Script")
        if original and all(n.full != original for n in names):
            names.append(
                Name(full=original, kind="original_script", script=detect_script(original))
            )
        for key, values in (
            ("birth_dates", [_iso(get("DOB"))]),
            ("nationalities", _NUMBERED.split(get("Nationality"))),
            ("programs", [get("Regime")]),
        ):
            acc = g[key]
            assert isinstance(acc, list)
            acc.extend(v.strip() for v in values if v and v.strip() and v.strip() not in acc)
        m = _GENDER.search(get("Other Information"))
        if m and not g["gender"]:
            g["gender"] = m.group(1)
    entries = []
    for gid, g in groups.items():
        names = g["names"]
        assert isinstance(names, list)
        if not names:
            continue
        if all(n.kind != "primary" for n in names):
            names[0] = Name(full=names[0].full, kind="primary", script=names[0].script)
        names.sort(key=lambda n: n.kind != "primary")
        entries.append(Entry.model_validate({"list": LIST_NAME, "source_id": gid, **g}))
    return entries


def load_ofsi(data: bytes, path: Path) -> Watchlist:
    """Load ConList.csv or ConList.xlsx; the `Last Updated` date is the version.

    >>> # load_ofsi(Path("ConList.xlsx").read_bytes(), Path("ConList.xlsx")).version -> '2025-04-14'
    """
    rows = _rows_from_xlsx(data, path) if data[:2] == b"PK" else _rows_from_csv(data, path)
    if len(rows) < 2:
        raise ListFormatError("fewer than two rows: no header", path=str(path))
    version = None
    start = 0
    first = rows[0][1]
    if first and first[0].strip().lower() == "last updated":
        version = _iso(first[1]) if len(first) > 1 else None
        start = 1
    header_line, header = rows[start]
    header = [h.strip() for h in header]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ListFormatError(
            f"missing OFSI columns {', '.join(missing)}", path=str(path), line=header_line
        )
    entries = _group(rows[start + 1 :], header, path)
    if not entries:
        raise ListFormatError("no entries found", path=str(path))
    hashes = {str(path): sha256(data)}
    return Watchlist(
        name=LIST_NAME, version=version or content_version(hashes), entries=entries, sources=hashes
    )
