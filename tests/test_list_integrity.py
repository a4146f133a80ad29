"""Lists that load half, without their aliases, under the wrong name, or as a zip bomb: each is
an error or a loud note, never a quiet "no hit" (issue 13, items 3, 4, 12, 15, 17)."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from sanctions_screen import ListFormatError, Screener, load_list
from sanctions_screen.sources.files import MAX_ZIP_RATIO

SDN_ROW = '{n},"{name}",individual,SDGT,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB 1969."\r\n'
ALT_ROW = '{n},{k},"a.k.a.","{name}",-0- \r\n'


def ofac_set(folder: Path, rows: list[tuple[int, str]], aliases=(), marker: bool = True) -> Path:
    """A small OFAC CSV set in the publisher's layout: CRLF, `-0- ` nulls, a final 0x1A."""
    folder.mkdir(parents=True, exist_ok=True)
    end = b"\x1a" if marker else b""
    sdn = "".join(SDN_ROW.format(n=n, name=name) for n, name in rows)
    (folder / "sdn.csv").write_bytes(sdn.encode("cp1252") + end)
    if aliases:
        alt = "".join(ALT_ROW.format(n=n, k=i + 1, name=a) for i, (n, a) in enumerate(aliases))
        (folder / "alt.csv").write_bytes(alt.encode("cp1252") + end)
    return folder


ROWS = [(27994, "AL-LAMI, Hussein Falah"), (10481, "SOLEIMANI, Qasem"), (6365, "BIN LADIN, Usama")]
ALIASES = [(27994, "AL-LAMI, Abu Zainab"), (27994, "AZIZ, Hussein Faleh")]


# -- item 3: a truncated OFAC CSV ------------------------------------------------------------------


def test_real_sdn_cut_mid_record_is_an_error(data, tmp_path):
    # The repro: the first 1,006,948 bytes of the 2021 sdn.csv loaded 5,017 of 8,976
    # entries and said nothing.
    folder = tmp_path / "sdn"
    shutil.copytree(data / "ofac_sdn_2021-07-07", folder)
    full = (data / "ofac_sdn_2021-07-07/sdn.csv").read_bytes()
    (folder / "sdn.csv").write_bytes(full[:1006948])
    with pytest.raises(ListFormatError, match=r"sdn\.csv, line \d+: .*truncated"):
        load_list(folder)


def test_record_cut_inside_its_last_field_is_an_error(tmp_path):
    folder = ofac_set(tmp_path / "s", ROWS, ALIASES)
    # A last record whose remarks are null ("-0- "), cut after "-0": twelve fields, no line end.
    row = SDN_ROW.format(n=7, name="DOE, John").replace('"DOB 1969."', "-0- ")
    data = (folder / "sdn.csv").read_bytes().rstrip(b"\x1a") + row.encode()
    (folder / "sdn.csv").write_bytes(data[: data.rindex(b"-0- ") + 2])
    with pytest.raises(ListFormatError, match=r"sdn\.csv, line 4: .*cut off mid-record"):
        load_list(folder)


def test_file_cut_at_a_line_end_warns_in_notes(tmp_path):
    folder = ofac_set(tmp_path / "s", ROWS, ALIASES, marker=False)
    wl = load_list(folder)
    assert len(wl.entries) == 3
    notes = [n for n in wl.notes if "end-of-file marker" in n]
    assert (
        len(notes) == 2 and "may be truncated" in notes[0] and "3 records read" in " ".join(notes)
    )


def test_whole_files_have_no_note(tmp_path):
    assert load_list(ofac_set(tmp_path / "s", ROWS, ALIASES)).notes == []


# -- item 4: a primary file without its alias file --------------------------------------------------


def test_primary_without_aliases_says_so_and_can_be_required(tmp_path):
    folder = ofac_set(tmp_path / "s", ROWS)
    wl = load_list(folder / "sdn.csv")
    assert any("without its alias file (alt.csv)" in n for n in wl.notes)
    with pytest.raises(ListFormatError, match="without its alias file"):
        load_list(folder / "sdn.csv", require_aliases=True)
    # With the alias file beside it, the alias hits and no note is written.
    full = ofac_set(tmp_path / "full", ROWS, ALIASES)
    assert Screener(load_list(full, require_aliases=True)).screen("Abu Zainab al-Lami").hits


def test_real_2024_primary_alone_warns_on_stderr_and_require_aliases_fails(data):
    path = str(data / "ofac_sdn_2024-05-03/sdn.csv")
    cli = [sys.executable, "-m", "sanctions_screen.cli", "screen", "Abu Zainab al-Lami"]
    r = subprocess.run([*cli, "--list", path], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and "without its alias file" in r.stderr and "warning" in r.stderr
    r = subprocess.run(
        [*cli, "--list", path, "--require-aliases"], capture_output=True, text=True, timeout=300
    )
    assert r.returncode == 2 and "without its alias file" in r.stderr


# -- item 12: which list a file holds ---------------------------------------------------------------


def test_renamed_ofac_file_needs_a_list_name(data, tmp_path):
    copy = tmp_path / "c.csv"
    copy.write_bytes((data / "ofac_cons_2025-12/cons_prim.csv").read_bytes())
    with pytest.raises(ListFormatError, match="c.csv: .*cannot tell.*--list-name"):
        load_list(copy)
    wl = load_list(copy, name="us_ofac_cons")
    assert wl.name == "us_ofac_cons" and wl.entries[0].id.startswith("us_ofac_cons:")
    r = subprocess.run(
        [sys.executable, "-m", "sanctions_screen.cli", "lists", "show", str(copy)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 2 and "--list-name" in r.stderr


def test_list_name_renames_any_format():
    wl = load_list(Path(__file__).parents[1] / "lists" / "sample_list.jsonl", name="mine")
    assert wl.name == "mine" and all(e.id == f"mine:{e.source_id}" for e in wl.entries)
    with pytest.raises(ValueError, match="list name"):
        load_list(Path(__file__).parents[1] / "lists" / "sample_list.jsonl", name="a:b")


def test_cli_list_name_pairs_with_list_by_place(data, tmp_path):
    copy = tmp_path / "c.csv"
    copy.write_bytes((data / "ofac_cons_2025-12/cons_prim.csv").read_bytes())
    r = subprocess.run(
        [sys.executable, "-m", "sanctions_screen.cli", "screen", "Zzyzx Qwerty", "--json"]
        + ["--list", str(copy), "--list-name", "us_ofac_cons"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["lists"][0][0] == "us_ofac_cons"


# -- item 15: zip bombs and duplicate ids -----------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_zip_bomb_is_refused_before_unpacking(tmp_path):
    entity = b"<entity id='1'><names/></entity>" * 200_000  # 6 MB that packs to a few KB
    xml = b"<sanctionsData><entities>" + entity + b"</entities></sanctionsData>"
    p = tmp_path / "SDN_ENHANCED.ZIP"
    p.write_bytes(_zip({"SDN_ENHANCED.XML": xml}))
    assert len(xml) / p.stat().st_size > MAX_ZIP_RATIO
    with pytest.raises(ListFormatError, match=r"SDN_ENHANCED.ZIP: .*zip bomb"):
        load_list(p)


def test_xlsx_bomb_is_refused(tmp_path):
    p = tmp_path / "ConList.xlsx"
    p.write_bytes(
        _zip({"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": b"<row/>" * 10**6})
    )
    with pytest.raises(ListFormatError, match="zip bomb"):
        load_list(p)


def test_real_zipped_list_still_loads(data):
    assert len(load_list(data / "ofac_cons_enhanced_2025-01/CONS_ENHANCED.ZIP").entries) == 443


def test_duplicate_entry_ids_are_an_error(tmp_path):
    folder = ofac_set(tmp_path / "s", [*ROWS, (10481, "SOLEIMANI, Qassem")], ALIASES)
    with pytest.raises(
        ListFormatError, match=r"entry number 10481 appears twice \(lines 2 and 4\)"
    ):
        load_list(folder)
    entry = {"list": "x", "source_id": "1", "kind": "person", "names": [{"full": "Ali Hassan"}]}
    native = tmp_path / "dup.jsonl"
    native.write_text(json.dumps(entry) + "\n" + json.dumps(entry) + "\n", encoding="utf-8")
    with pytest.raises(ListFormatError, match="dup.jsonl: entry id x:1 appears 2 times"):
        load_list(native)


# -- item 17: UTF-16 --------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_list_says_so(tmp_path, encoding):
    p = tmp_path / "mine.csv"
    p.write_bytes("id,name,kind\n1,Ali Hassan,person\n".encode(encoding))
    with pytest.raises(ListFormatError, match="UTF-16, not UTF-8"):
        load_list(p)


def test_utf16_ofac_folder_says_so(tmp_path):
    folder = ofac_set(tmp_path / "s", ROWS, ALIASES)
    (folder / "alt.csv").write_bytes((folder / "alt.csv").read_text("cp1252").encode("utf-16"))
    with pytest.raises(ListFormatError, match=r"alt\.csv, line 1: .*UTF-16, not UTF-8"):
        load_list(folder)
