"""The command line, through a subprocess: output and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sanctions_screen.cli", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
    )


def test_screen_hit_prints_table_and_exits_1():
    r = run("screen", "Hussein Falih Aziz")
    assert r.returncode == 1, r.stderr
    lines = r.stdout.splitlines()
    assert "sample (version" in lines[0]
    assert "us_ofac_sdn:27994" in lines[2] and "GLOMAG" in lines[2]


def test_screen_no_hit_exits_0():
    r = run("screen", "Jane Marie Doe")
    assert r.returncode == 0 and "No hits." in r.stdout


def test_screen_json():
    r = run("screen", "Abu Zainab al-Lami", "--json")
    assert r.returncode == 1
    data = json.loads(r.stdout)
    assert data["hits"][0]["entry"]["id"] == "us_ofac_sdn:27994"
    assert data["hits"][0]["explanation"]["matches"]


def test_screen_with_list_file_threshold_and_limit(tmp_path: Path):
    f = tmp_path / "mine.csv"
    f.write_text(
        "id,name,kind\n1,Qasem Soleimani,person\n2,Qasim Sulaymani,person\n", encoding="utf-8"
    )
    r = run(
        "screen",
        "Qassem Suleimani",
        "--list",
        str(f),
        "--limit",
        "1",
        "--threshold",
        "0.5",
        "--json",
    )
    assert r.returncode == 1
    data = json.loads(r.stdout)
    assert len(data["hits"]) == 1 and data["lists"][0][0] == "mine"


def test_compare_prints_score():
    r = run("compare", "Abd al-Rahman", "Abdurrahman")
    assert r.returncode == 0 and r.stdout.strip() == "1.0000"


def test_lists_show():
    r = run("lists", "show", "lists/sample_list.jsonl")
    assert r.returncode == 0
    assert "entries by kind:" in r.stdout and "version:" in r.stdout and "sha256" in r.stdout


def test_bad_input_one_line_exit_2(tmp_path: Path):
    for args in (["screen", "   "], ["screen"], ["bogus"], ["screen", "Ali", "--threshold", "7"]):
        r = run(*args)
        assert r.returncode == 2, args
        assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x:1"\n', encoding="utf-8")
    r = run("screen", "Ali", "--list", str(bad))
    assert r.returncode == 2 and "bad.jsonl, line 1" in r.stderr and "Traceback" not in r.stderr
