"""The audit trail (issue 16, item 4): one chained record per screening; `verify` names the first
line edited, removed, reordered or torn; concurrent writers never interleave."""

from __future__ import annotations

import json
import multiprocessing as mp
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctions_screen import Screener, bundled_list
from sanctions_screen.audit import AuditLog, verify
from sanctions_screen.screener import Request

NAMES = ["Abu Zainab al-Lami", "Jane Doe", "Hussein Falih Aziz", "حسين فالح عزيز"]


@pytest.fixture(scope="module")
def lists():
    return bundled_list()


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_one_chained_record_per_screening_with_what_was_returned(lists, tmp_path):
    log = tmp_path / "audit.jsonl"
    s = Screener(lists, audit=log)
    results = [s.screen(NAMES[0], birth_date="1969-06-20", limit=3)]
    results += list(s.screen_many(NAMES[1:]))
    records = _records(log)
    assert [r["seq"] for r in records] == [1, 2, 3, 4]
    assert [r["query"]["name"] for r in records] == NAMES
    first = records[0]
    assert first["query"]["birth_date"] == "1969-06-20" and first["limit"] == 3
    assert first["threshold"] == results[0].threshold and first["algorithm"] == s.algorithm
    assert first["library"] == "0.1.0" and first["time"].endswith("+00:00")
    assert first["lists"] == [
        {"name": i.name, "version": i.version, "sha256": sorted(i.sources.values())}
        for i in s.list_info
    ]
    for record, result in zip(records, results, strict=True):
        assert record["hit_count"] == result.hit_count
        assert [(h["entry_id"], h["score"], h["matched_name"]) for h in record["hits"]] == [
            (h.entry.id, h.score, h.matched_name) for h in result.hits
        ]
    assert "~" in first["hits"][0]["explanation"]
    assert verify(log) == (True, 4, None, None)


def test_a_refused_name_leaves_no_record(lists, tmp_path):
    log = tmp_path / "audit.jsonl"
    s = Screener(lists, audit=log)
    with pytest.raises(ValueError):
        s.screen("   ")
    assert not log.exists() or _records(log) == []
    s.screen_requests([Request("???")])
    assert not log.exists() or _records(log) == []


def _logged(tmp_path: Path, n: int = 5) -> Path:
    log = tmp_path / "audit.jsonl"
    AuditLog(log).append([{"kind": "screen", "query": {"name": f"name {i}"}} for i in range(n)])
    return log


def test_verify_names_an_edited_line(tmp_path):
    log = _logged(tmp_path)
    lines = log.read_text().splitlines(keepends=True)
    lines[2] = lines[2].replace("name 2", "name X")
    log.write_text("".join(lines))
    assert verify(log) == (False, 2, 3, "edited: the record does not match its hash")


def test_verify_names_a_removed_or_reordered_line(tmp_path):
    log = _logged(tmp_path)
    lines = log.read_text().splitlines(keepends=True)
    log.write_text("".join(lines[:1] + lines[2:]))
    assert verify(log)[2] == 2
    log.write_text("".join([lines[0], lines[2], lines[1], *lines[3:]]))
    assert verify(log)[2] == 2
    # Removing a line and renumbering the rest still breaks the chain at the gap.
    renumbered = [lines[0]] + [
        json.dumps({**json.loads(x), "seq": i}) + "\n" for i, x in enumerate(lines[2:], start=2)
    ]
    log.write_text("".join(renumbered))
    assert verify(log)[2] == 2


def test_a_torn_last_line_is_reported_and_not_appended_to(tmp_path):
    log = _logged(tmp_path)
    log.write_bytes(log.read_bytes()[:-20])
    verdict = verify(log)
    assert not verdict.ok and verdict.line == 5 and "torn" in verdict.problem
    with pytest.raises(ValueError, match="torn"):
        AuditLog(log).append([{"kind": "screen"}])


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_any_changed_byte_is_found(tmp_path_factory, data):
    log = _logged(tmp_path_factory.mktemp("a"), n=4)
    raw = bytearray(log.read_bytes())
    at = data.draw(st.integers(0, len(raw) - 2))  # not the final line end (that is "torn")
    new = data.draw(st.sampled_from(b'0123456789abcdef{}",: x'))
    if raw[at] == new:
        return
    raw[at] = new
    log.write_bytes(bytes(raw))
    verdict = verify(log)
    assert not verdict.ok
    assert verdict.line == raw[:at].count(b"\n") + 1 or verdict.line == raw[:at].count(b"\n") + 2


def _append_many(path: str, who: int) -> None:
    log = AuditLog(path)
    for i in range(40):
        log.append(
            [{"kind": "screen", "who": who, "i": i}, {"kind": "screen", "who": who, "i": -i}]
        )


def test_two_processes_appending_never_interleave_or_fork_the_chain(tmp_path):
    log = tmp_path / "audit.jsonl"
    ctx = mp.get_context("fork")
    procs = [ctx.Process(target=_append_many, args=(str(log), w)) for w in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    assert verify(log) == (True, 240, None, None)
    records = _records(log)
    # Each append's two records stay together.
    assert all(
        records[k]["who"] == records[k + 1]["who"] and records[k]["i"] == -records[k + 1]["i"]
        for k in range(0, 240, 2)
    )


def test_forked_workers_record_every_name(lists, tmp_path):
    log = tmp_path / "audit.jsonl"
    s = Screener(lists, audit=log)
    names = NAMES * 150
    assert len(list(s.screen_many(names, workers=2))) == len(names)
    assert verify(log).records == len(names)
    assert sorted(r["query"]["name"] for r in _records(log)) == sorted(names)


def test_a_loaded_screener_records_too(lists, tmp_path):
    Screener(lists).save(tmp_path / "x.index")
    s = Screener.load(tmp_path / "x.index", audit=AuditLog(tmp_path / "a.jsonl"))
    s.screen(NAMES[0])
    assert verify(tmp_path / "a.jsonl").records == 1


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sanctions_screen.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_audit_on_screen_and_batch_and_verify(tmp_path):
    log = tmp_path / "audit.jsonl"
    assert _cli("screen", NAMES[0], "--audit", str(log)).returncode == 1
    names = tmp_path / "in.csv"
    names.write_text("name\n" + "\n".join(NAMES) + "\n\n")
    out = tmp_path / "out.csv"
    r = _cli("batch", str(names), "--name-column", "name", "-o", str(out), "--audit", str(log))
    assert r.returncode == 3, r.stderr  # the empty row is an error row, and has no record
    ok = _cli("audit", "verify", str(log))
    assert ok.returncode == 0 and "5 records, chain intact" in ok.stdout
    lines = log.read_text().splitlines(keepends=True)
    log.write_text("".join(lines[:2] + lines[3:]))
    bad = _cli("audit", "verify", str(log))
    assert bad.returncode == 1 and "line 3" in bad.stdout
