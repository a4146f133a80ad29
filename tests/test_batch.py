"""Batch screening of files: one row out per row in, order, bad rows, formats, workers, resume."""

from __future__ import annotations

import csv
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import sanctions_screen as ss
from sanctions_screen.batch import OUTPUT_COLUMNS, screen_file

NAMES = [
    "Hussein Falih Aziz",
    "Jane Doe",
    "Abu Zainab al-Lami",
    "Qasem Soleimani",
    "حسين فالح عزيز",
    "Maria Garcia",
    "Usama bin Ladin",
    "Mohammed Ali",
    "John Smith",
    "Ayman al-Zawahiri",
]


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_input(path: Path, rows: int, seed: int = 1) -> None:
    rnd = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["cid", "full_name", "dob"])
        for i in range(rows):
            w.writerow([f"c{i}", rnd.choice(NAMES), rnd.choice(["", "1969-06-20", "1980"])])


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "sanctions_screen.cli", "batch", *args],
        capture_output=True,
        input=stdin,
        timeout=600,
    )


def test_one_row_per_row_with_bad_rows(tmp_path):
    src = tmp_path / "in.csv"
    src.write_bytes(
        b"cid,full_name\n"
        b"1,Hussein Falih Aziz\n"
        b"2,\n"  # empty name
        b"3,Jane Doe,extra\n"  # wrong number of fields
        b"4,Abu Zainab al-\xffLami\n"  # bad encoding
        b"5," + b"a" * 1001 + b"\n"  # over 1,000 characters
        b"6,Qasem Soleimani\n"
    )
    out = tmp_path / "out.csv"
    r = run_cli(str(src), "-o", str(out), "--name-column", "full_name", "--id-column", "cid")
    assert r.returncode == 3, r.stderr  # some rows had errors
    assert b"errors 4" in r.stderr and b"rows 6" in r.stderr
    rows = read_csv(out)
    assert [row["row"] for row in rows] == ["1", "2", "3", "4", "5", "6"]
    assert list(rows[0]) == list(OUTPUT_COLUMNS)
    assert rows[0]["best_entry_id"] == "us_ofac_sdn:27994" and rows[0]["error"] == ""
    assert "empty" in rows[1]["error"] and "expected 2 fields" in rows[2]["error"]
    assert "encoding" in rows[3]["error"] and "1000" in rows[4]["error"]
    assert rows[5]["hit_count"] == "0" or rows[5]["error"] == ""
    assert json.loads(rows[0]["hits"])[0]["entry_id"] == "us_ofac_sdn:27994"


def test_exit_codes_without_errors(tmp_path):
    clean = tmp_path / "clean.csv"
    clean.write_text("full_name\nJane Doe\n", encoding="utf-8")
    assert (
        run_cli(str(clean), "-o", str(tmp_path / "o.csv"), "--name-column", "full_name").returncode
        == 0
    )
    hit = tmp_path / "hit.csv"
    hit.write_text("full_name\nAbu Zainab al-Lami\n", encoding="utf-8")
    assert (
        run_cli(str(hit), "-o", str(tmp_path / "o2.csv"), "--name-column", "full_name").returncode
        == 1
    )
    assert run_cli(str(hit), "--name-column", "nope").returncode == 2


def test_stdin_stdout(tmp_path):
    r = run_cli(
        "-",
        "--name-column",
        "full_name",
        "--output-format",
        "jsonl",
        stdin=b"full_name\nHussein Falih Aziz\nJane Doe\n",
    )
    lines = [json.loads(x) for x in r.stdout.decode().splitlines()]
    assert [x["row"] for x in lines] == [1, 2] and lines[0]["best_entry_id"] == "us_ofac_sdn:27994"


@pytest.mark.parametrize("in_fmt", ["csv", "jsonl", "parquet"])
@pytest.mark.parametrize("out_fmt", ["csv", "jsonl", "parquet"])
def test_format_round_trips(tmp_path, in_fmt, out_fmt):
    import pyarrow as pa
    import pyarrow.parquet as pq

    records = [{"cid": f"c{i}", "full_name": n} for i, n in enumerate(NAMES)]
    src = tmp_path / f"in.{in_fmt}"
    if in_fmt == "csv":
        with open(src, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, ["cid", "full_name"])
            w.writeheader()
            w.writerows(records)
    elif in_fmt == "jsonl":
        src.write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
        )
    else:
        pq.write_table(pa.Table.from_pylist(records), src)
    out = tmp_path / f"out.{out_fmt}"
    screener = ss.default_screener()
    summary = screen_file(screener, str(src), str(out), name_column="full_name", id_column="cid")
    assert summary.rows == len(NAMES) and summary.errors == 0
    if out_fmt == "csv":
        got = [(r["id"], r["name"], r["best_entry_id"] or None) for r in read_csv(out)]
    elif out_fmt == "jsonl":
        got = [
            (r["id"], r["name"], r["best_entry_id"])
            for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())
        ]
    else:
        got = [(r["id"], r["name"], r["best_entry_id"]) for r in pq.read_table(out).to_pylist()]
    expected = [
        (r["cid"], r["full_name"], (res.hits[0].entry.id if res.hits else None))
        for r, res in zip(records, screener.screen_many(NAMES), strict=True)
    ]
    assert got == expected


def test_workers_two_equals_one(tmp_path):
    src = tmp_path / "in.csv"
    write_input(src, 600)
    s = ss.default_screener()
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    screen_file(
        s,
        str(src),
        str(one),
        name_column="full_name",
        id_column="cid",
        birth_date_column="dob",
        workers=1,
    )
    screen_file(
        s,
        str(src),
        str(two),
        name_column="full_name",
        id_column="cid",
        birth_date_column="dob",
        workers=2,
    )
    assert one.read_text() == two.read_text()
    assert list(s.screen_many(NAMES * 30, workers=2)) == [s.screen(n) for n in NAMES * 30]


def test_api_equals_screen_one_by_one(tmp_path):
    src = tmp_path / "in.csv"
    write_input(src, 50, seed=3)
    out = tmp_path / "out.csv"
    s = ss.default_screener()
    screen_file(s, str(src), str(out), name_column="full_name", birth_date_column="dob")
    for row, got in zip(read_csv(src), read_csv(out), strict=True):
        r = s.screen(row["full_name"], birth_date=row["dob"] or None)
        assert got["hit_count"] == str(len(r.hits))
        assert (got["best_score"] or None) == (str(r.hits[0].score) if r.hits else None)


@pytest.mark.parametrize("out_name", ["out.csv", "out.parquet"])
def test_resume_after_kill_gives_same_output(tmp_path, out_name):
    src = tmp_path / "in.csv"
    write_input(src, 4000, seed=5)
    full = tmp_path / ("full." + out_name.split(".")[1])
    args = [
        "--name-column",
        "full_name",
        "--id-column",
        "cid",
        "--birth-date-column",
        "dob",
        "--chunk-rows",
        "50",
    ]
    assert run_cli(str(src), "-o", str(full), *args).returncode in (0, 1)
    out = tmp_path / out_name
    proc = subprocess.Popen(
        [sys.executable, "-m", "sanctions_screen.cli", "batch", str(src), "-o", str(out), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    parts = out.with_name(out.name + ".parts")
    deadline = time.time() + 120
    target = random.Random(os.getpid()).randint(2, 20)
    while time.time() < deadline:
        done = (
            len(list(parts.glob("part-*.parquet")))
            if out_name.endswith("parquet")
            else (out.read_bytes().count(b"\n") // 50 if out.exists() else 0)
        )
        if done >= target or proc.poll() is not None:
            break
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    if out_name.endswith("csv"):
        written = out.read_bytes().count(b"\n") - 1 if out.exists() else 0
    else:
        import pyarrow.parquet as pq

        written = sum(pq.ParquetFile(p).metadata.num_rows for p in parts.glob("part-*.parquet"))
    assert written < 4000, "the run finished before it could be interrupted"
    r = run_cli(str(src), "-o", str(out), *args, "--resume")
    assert r.returncode in (0, 1), r.stderr
    if out_name.endswith("csv"):
        assert out.read_bytes() == full.read_bytes()
    else:
        import pyarrow.parquet as pq

        assert pq.read_table(out).to_pylist() == pq.read_table(full).to_pylist()
