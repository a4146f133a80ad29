"""Batch runs that used to lose rows, overwrite their input, resume the wrong output or leave
files behind (issue 13, items 1, 2, 10, 11, 17, 19, 20, 21)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sanctions_screen as ss
from sanctions_screen.batch import OUTPUT_COLUMNS, screen_file
from sanctions_screen.batch.manifest import manifest_path


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sanctions_screen.cli", "batch", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# -- item 1: an unclosed quote swallows no rows -----------------------------------------------------

UNCLOSED = 'id,name\n1,Ali\n2,"Abu Zainab al-Lami\n3,Hussein Falih Aziz\n4,Qasem Soleimani\n'


def test_unclosed_quote_is_one_error_row_and_later_rows_are_screened(tmp_path):
    src = tmp_path / "u.csv"
    src.write_text(UNCLOSED, encoding="utf-8")
    out = tmp_path / "out.csv"
    r = run_cli(str(src), "-o", str(out), "--name-column", "name", "--id-column", "id")
    assert r.returncode == 3, r.stderr
    got = rows(out)
    assert [x["row"] for x in got] == ["1", "2", "3", "4"]
    assert [x["line"] for x in got] == ["2", "3", "4", "5"]
    assert "quoted field runs over the line end" in got[1]["error"] and got[1]["id"] == "2"
    assert got[2]["best_entry_id"] == "us_ofac_sdn:27994"
    assert got[3]["best_entry_id"] == "us_ofac_sdn:10481"
    assert "rows 4, with hits 2, errors 1" in r.stderr


def test_stray_quote_early_in_a_long_file_shifts_nothing(tmp_path):
    src = tmp_path / "big.csv"
    lines = ["cid,full_name"] + [f"{i},Jane Doe {i}" for i in range(1, 3001)]
    lines[100] = '100,"Jane Doe 100'
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    summary = screen_file(
        ss.default_screener(), str(src), str(out), name_column="full_name", id_column="cid"
    )
    got = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert summary.rows == len(got) == 3000 and summary.errors == 1
    assert all(g["id"] == str(g["row"]) and g["line"] == g["row"] + 1 for g in got)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(alphabet='ab ,"\r', max_size=12), min_size=1, max_size=12))
def test_every_physical_line_is_one_output_row(tmp_path, cells):
    src = tmp_path / "h.csv"
    src.write_bytes(("name\n" + "\n".join(cells) + "\n").encode())
    out = tmp_path / "h.jsonl"
    screen_file(ss.default_screener(), str(src), str(out), name_column="name")
    got = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    physical = src.read_bytes().count(b"\n") - 1
    assert [g["row"] for g in got] == list(range(1, physical + 1))


# -- item 2: the output is never the input ----------------------------------------------------------


@pytest.mark.parametrize("how", ["same", "link", "hardlink", "dotted"])
def test_output_over_input_is_refused(tmp_path, how):
    src = tmp_path / "same.csv"
    src.write_text(UNCLOSED, encoding="utf-8")
    out = {
        "same": src,
        "link": tmp_path / "link.csv",
        "hardlink": tmp_path / "hard.csv",
        "dotted": tmp_path / "." / "same.csv",
    }[how]
    if how == "link":
        out.symlink_to(src)
    if how == "hardlink":
        os.link(src, out)
    r = run_cli(str(src), "-o", str(out), "--name-column", "name")
    assert r.returncode == 2 and "is the input file" in r.stderr
    assert src.read_text(encoding="utf-8") == UNCLOSED


# -- item 10: duplicated header columns -------------------------------------------------------------


def test_duplicated_named_column_is_an_error(tmp_path):
    src = tmp_path / "d.csv"
    src.write_text("id,name,name\n1,Ali,Abu Zainab al-Lami\n", encoding="utf-8")
    r = run_cli(str(src), "-o", str(tmp_path / "o.csv"), "--name-column", "name")
    assert r.returncode == 2 and "'name' appears 2 times" in r.stderr
    assert not (tmp_path / "o.csv").exists()
    # A duplicated column no option names is no business of ours.
    src.write_text("x,name,x\n1,Abu Zainab al-Lami,2\n", encoding="utf-8")
    assert run_cli(str(src), "-o", str(tmp_path / "o.csv"), "--name-column", "name").returncode == 1


# -- item 11: --resume checks what it continues ------------------------------------------------------


def _input(tmp_path: Path, n: int = 300) -> Path:
    src = tmp_path / "in.csv"
    names = ["Hussein Falih Aziz", "Jane Doe", "Qasem Soleimani", "Maria Garcia"]
    src.write_text(
        "cid,full_name\n" + "".join(f"{i},{names[i % 4]}\n" for i in range(n)), encoding="utf-8"
    )
    return src


def test_resume_of_a_finished_output_counts_the_whole_output(tmp_path):
    src, out = _input(tmp_path), tmp_path / "out.csv"
    first = run_cli(str(src), "-o", str(out), "--name-column", "full_name")
    before = out.read_bytes()
    again = run_cli(str(src), "-o", str(out), "--name-column", "full_name", "--resume")
    assert first.returncode == again.returncode == 1
    assert "rows 300 (0 screened now, 300 by an earlier run), with hits 150" in again.stderr
    assert out.read_bytes() == before
    assert json.loads(manifest_path(str(out)).read_text())["complete"] is True


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (["--threshold", "0.8"], "options.threshold"),
        (["--limit", "3"], "options.limit"),
        (["--output-format", "jsonl"], "output_format"),
        (["--list", "lists/sample_list.jsonl", "--list-name", "other"], "lists"),
        (["--id-column", "cid"], "options.id_column"),
    ],
)
def test_resume_with_other_options_or_lists_is_refused(tmp_path, change, named):
    src, out = _input(tmp_path), tmp_path / "out.csv"
    run_cli(str(src), "-o", str(out), "--name-column", "full_name")
    lines = out.read_bytes().splitlines(keepends=True)
    out.write_bytes(b"".join(lines[:100]))  # an interrupted run
    before = out.read_bytes()
    r = run_cli(str(src), "-o", str(out), "--name-column", "full_name", "--resume", *change)
    assert r.returncode == 2 and named in r.stderr and "another run" in r.stderr
    assert out.read_bytes() == before


def test_resume_with_another_input_or_no_manifest_is_refused(tmp_path):
    src, out = _input(tmp_path), tmp_path / "out.csv"
    run_cli(str(src), "-o", str(out), "--name-column", "full_name")
    (tmp_path / "x").mkdir()
    other = _input(tmp_path / "x", n=301)
    r = run_cli(str(other), "-o", str(out), "--name-column", "full_name", "--resume")
    assert r.returncode == 2 and "input_sha256" in r.stderr
    manifest_path(str(out)).unlink()
    r = run_cli(str(src), "-o", str(out), "--name-column", "full_name", "--resume")
    assert r.returncode == 2 and "no run manifest" in r.stderr


def test_resumed_summary_counts_the_whole_output(tmp_path):
    src, out = _input(tmp_path), tmp_path / "out.csv"
    run_cli(str(src), "-o", str(out), "--name-column", "full_name")
    full = out.read_bytes()
    manifest = json.loads(manifest_path(str(out)).read_text())
    manifest_path(str(out)).write_text(json.dumps({**manifest, "complete": False}))
    out.write_bytes(b"".join(full.splitlines(keepends=True)[:101]))  # header + 100 rows
    r = run_cli(str(src), "-o", str(out), "--name-column", "full_name", "--resume")
    assert "rows 300 (200 screened now, 100 by an earlier run), with hits 150" in r.stderr
    assert out.read_bytes() == full


# -- item 17: UTF-16 input --------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["csv", "jsonl"])
def test_utf16_input_says_so(tmp_path, suffix):
    src = tmp_path / f"in.{suffix}"
    text = "name\nAli\n" if suffix == "csv" else '{"name": "Ali"}\n'
    src.write_bytes(text.encode("utf-16"))
    r = run_cli(str(src), "-o", str(tmp_path / "o.csv"), "--name-column", "name")
    assert r.returncode == 2 and "UTF-16, not UTF-8" in r.stderr
    assert not (tmp_path / "o.csv").exists()


# -- item 19: option errors leave no output behind --------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        ["--limit", "0"],
        ["--workers", "-3"],
        ["--threshold", "2"],
        ["--name-column", "missing"],
        ["--chunk-rows", "0"],
        ["--secondary", "drop"],
    ],
)
@pytest.mark.parametrize("out_name", ["o.csv", "o.parquet", "o.jsonl"])
def test_option_errors_exit_2_before_any_output(tmp_path, bad, out_name):
    src = _input(tmp_path, 5)
    out = tmp_path / out_name
    r = run_cli(str(src), "-o", str(out), "--name-column", "full_name", *bad)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


@pytest.mark.parametrize("suffix", ["csv", "jsonl"])
def test_bare_carriage_return_line_ends_are_refused(tmp_path, suffix):
    src = tmp_path / f"mac.{suffix}"
    src.write_bytes(
        b"name\rAli\rAbu Zainab al-Lami\r" if suffix == "csv" else b'{"name": "Ali"}\r{}\r'
    )
    r = run_cli(str(src), "-o", str(tmp_path / "o.csv"), "--name-column", "name")
    assert r.returncode == 2 and "bare carriage return" in r.stderr
    assert not (tmp_path / "o.csv").exists()


def test_crlf_bom_and_quoted_commas_are_read(tmp_path):
    src = tmp_path / "w.csv"
    src.write_bytes(
        b'\xef\xbb\xbfcid,full_name\r\n1,"Aziz, Hussein Falih"\r\n2,"Jane ""JD"" Doe"\r\n3,Abu Zainab al-Lami'
    )
    out = tmp_path / "o.csv"
    summary = screen_file(
        ss.default_screener(), str(src), str(out), name_column="full_name", id_column="cid"
    )
    got = rows(out)
    assert summary.rows == 3 and summary.errors == 0
    assert [g["name"] for g in got] == [
        "Aziz, Hussein Falih",
        'Jane "JD" Doe',
        "Abu Zainab al-Lami",
    ]
    assert got[0]["best_entry_id"] == got[2]["best_entry_id"] == "us_ofac_sdn:27994"


def test_jsonl_starting_with_a_blank_line_is_read(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('\n{"name": "Abu Zainab al-Lami"}\n', encoding="utf-8")
    out = tmp_path / "o.jsonl"
    summary = screen_file(ss.default_screener(), str(src), str(out), name_column="name")
    got = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert summary.rows == 2 and got[0]["error"] == "empty line" and got[1]["hit_count"] == 1


def test_empty_input_file_is_an_error(tmp_path):
    src = tmp_path / "empty.csv"
    src.write_bytes(b"")
    r = run_cli(str(src), "-o", str(tmp_path / "o.parquet"), "--name-column", "name")
    assert r.returncode == 2 and "empty" in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.csv"]


# -- item 20: the publishers' kind spellings in a kind column ---------------------------------------


def test_kind_column_takes_publisher_spellings(tmp_path):
    src = tmp_path / "k.csv"
    src.write_text(
        "name,kind\nHussein Falih Aziz,Individual\nHussein Falih Aziz,ENTITY\nAli,robot\n",
        encoding="utf-8",
    )
    out = tmp_path / "o.csv"
    run_cli(str(src), "-o", str(out), "--name-column", "name", "--kind-column", "kind")
    got = rows(out)
    assert got[0]["best_entry_id"] == "us_ofac_sdn:27994" and got[0]["error"] == ""
    assert got[1]["hit_count"] == "0" and got[1]["error"] == ""  # a person is no organisation
    assert "kind must be one of" in got[2]["error"] and "individual" in got[2]["error"]


# -- item 13 and 21: hit counts, no parts left, progress -------------------------------------------


def test_hit_count_and_truncation_columns(tmp_path):
    src = tmp_path / "m.csv"
    src.write_text("name\nAbu Muhammad\n", encoding="utf-8")
    out = tmp_path / "o.csv"
    run_cli(str(src), "-o", str(out), "--name-column", "name", "--threshold", "0.3", "--limit", "1")
    (got,) = rows(out)
    assert list(got) == list(OUTPUT_COLUMNS)
    assert int(got["hit_count"]) > 1 and got["hits_truncated"] == "True"
    assert len(json.loads(got["hits"])) == 1


def test_parquet_run_leaves_no_parts_folder(tmp_path):
    src, out = _input(tmp_path, 50), tmp_path / "o.parquet"
    r = run_cli(str(src), "-o", str(out), "--name-column", "full_name", "--chunk-rows", "7")
    assert r.returncode == 1, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "in.csv",
        "o.parquet",
        "o.parquet.manifest.json",
    ]


def test_progress_shows_percentage_and_time_left(tmp_path):
    import io

    from sanctions_screen.batch import run as batch_run

    src = _input(tmp_path, 2000)
    shown = io.StringIO()
    bar = batch_run._Progress(shown)
    source = batch_run.InputFile(str(src), "csv", batch_run.Columns("full_name"))
    for row in source:
        if row.row == 1000:
            bar.update(1000, 1.0, source.fraction_done())
    source.close()
    assert "% read, about" in shown.getvalue() and "s left" in shown.getvalue()


@pytest.mark.parametrize(
    ("data", "kept"),
    [
        (b"", b""),
        (b"a\nb\n", b"a\nb\n"),
        (b"a\nbc", b"a\n"),
        (b"abc", b""),
        (b"x" * 3000 + b"\n" + b"y" * 2500, b"x" * 3000 + b"\n"),  # the cut is blocks back
    ],
)
def test_resume_cuts_a_torn_last_line_only(tmp_path, data, kept):
    from sanctions_screen.batch.writer import _cut_torn_line

    p = tmp_path / "out.csv"
    p.write_bytes(data)
    _cut_torn_line(p, block=1000)
    assert p.read_bytes() == kept
