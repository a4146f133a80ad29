"""The command line, through a subprocess: output and exit codes."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest


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
        errors = [x for x in r.stderr.splitlines() if x and "warning:" not in x]
        assert len(errors) == 1 and "Traceback" not in r.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x:1"\n', encoding="utf-8")
    r = run("screen", "Ali", "--list", str(bad))
    assert r.returncode == 2 and "bad.jsonl, line 1" in r.stderr and "Traceback" not in r.stderr


# -- issue 13: what the command line says ----------------------------------------------------------


def test_default_sample_list_warns_on_every_run():
    for args in (["screen", "Joaquin Guzman Loera"], ["screen", "Hussein Falih Aziz", "--json"]):
        r = run(*args)
        assert "bundled sample list (31 entries), which is not a sanctions list" in r.stderr
    r = run("screen", "Joaquin Guzman Loera", "--list", "lists/sample_list.jsonl")
    assert r.returncode == 0 and "warning" not in r.stderr


def test_batch_default_sample_list_warns(tmp_path: Path):
    src = tmp_path / "in.csv"
    src.write_text("name\nJane Doe\n", encoding="utf-8")
    r = run("batch", str(src), "--name-column", "name", "-o", str(tmp_path / "o.csv"))
    assert r.returncode == 0 and "not a sanctions list" in r.stderr


def test_version():
    from sanctions_screen import __version__

    r = run("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"sanctions-screen {__version__}"


def test_every_argument_has_help_and_every_command_names_exit_codes():
    from sanctions_screen.cli import build_parser

    def walk(parser):
        yield parser
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    yield from walk(sub)

    missing = []
    for parser in walk(build_parser()):
        for action in parser._actions:
            if action.help is None and action.dest not in ("help",) and action.option_strings:
                missing.append(f"{parser.prog} {action.option_strings}")
            if (
                not action.option_strings
                and action.help is None
                and action.dest
                not in (
                    "command",
                    "lists_command",
                )
            ):
                missing.append(f"{parser.prog} {action.dest}")
    assert missing == []
    for cmd in (["screen"], ["batch"], ["compare"], ["lists"]):
        assert "Exit codes: 0 no hit, 1 at least one hit" in run(*cmd, "--help").stdout


def test_json_output_has_schema_version_options_and_truncation(tmp_path: Path):
    r = run(
        "screen",
        "Abu Muhammad",
        "--json",
        "--threshold",
        "0.3",
        "--limit",
        "1",
        "--kind",
        "Individual",
        "--birth-date",
        "1969-06-20",
        "--nationality",
        "IQ",
    )
    data = json.loads(r.stdout)
    assert data["schema_version"] == 4
    assert data["options"] == {
        "kind": "person",
        "birth_date": "1969-06-20",
        "nationality": "IQ",
        "limit": 1,
        "secondary": "keep",
    }
    assert data["hit_count"] >= 2 and data["truncated"] is True and len(data["hits"]) == 1


def test_table_says_when_hits_were_cut():
    r = run("screen", "Abu Muhammad", "--threshold", "0.3", "--limit", "1")
    assert re.search(r"^1 of [2-9] hits shown \(--limit 1\)$", r.stdout, re.M)


def test_table_marks_contradicted_hits():
    r = run("screen", "Hussein Falih Aziz", "--birth-date", "1990-01-01")
    assert r.returncode == 1 and "us_ofac_sdn:27994" in r.stdout
    assert "secondary data contradicts" in r.stdout and "birth date differs" in r.stdout
    r = run("screen", "Hussein Falih Aziz", "--birth-date", "1990-01-01", "--secondary", "exclude")
    assert r.returncode == 0


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["screen", "Ali", "--birth-date", "1969-13-45"], "birth_date"),
        (["screen", "Ali", "--nationality", "Atlantis"], "nationality"),
        (["screen", "???"], "nothing to screen"),
        (["screen", "Ali", "--limit", "0"], "--limit"),
        (["lists", "fetch", "--url", "bad"], "--url takes NAME=BASE_URL"),
        (["lists", "fetch", "--url", "nowhere=http://127.0.0.1:1/"], "unknown list 'nowhere'"),
    ],
)
def test_bad_arguments_say_what_is_wrong(args, says):
    r = run(*args)
    assert r.returncode == 2 and says in r.stderr and "Traceback" not in r.stderr
