"""Analyst decisions: every rule of suppression, the store's schema and migration, and the
decision commands and batch options."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest

from sanctions_screen import Entry, Name, Screener, Watchlist
from sanctions_screen.audit import verify
from sanctions_screen.batch import screen_file
from sanctions_screen.cli import main
from sanctions_screen.decisions import MIGRATIONS, SCHEMA_VERSION, DecisionStore

LAMI = Entry(
    list="t",
    source_id="1",
    kind="person",
    names=[Name(full="AL-LAMI, Hussein Falah"), Name(full="AZIZ, Hussein Faleh", kind="aka")],
    birth_dates=["1969"],
)
HASSAN = Entry(list="t", source_id="2", kind="person", names=[Name(full="HASSAN, Ali")])


def _screener(store: DecisionStore, *entries: Entry, version: str = "1") -> Screener:
    return Screener(
        Watchlist(name="t", version=version, entries=list(entries or (LAMI, HASSAN))),
        decisions=store,
    )


@pytest.fixture
def store(tmp_path: Path) -> DecisionStore:
    return DecisionStore(tmp_path / "decisions.db")


def test_a_cleared_hit_is_suppressed_while_nothing_changed(store: DecisionStore) -> None:
    s = _screener(store)
    result = s.screen("Hussein Falih Aziz", subject_id="C1")
    assert [h.entry.id for h in result.hits] == ["t:1"]
    d = store.record(result, "t:1", "false_positive", reason="born 1990", analyst="ana")
    assert (d.subject_id, d.entry_id, d.analyst, d.list, d.list_version) == (
        "C1",
        "t:1",
        "ana",
        "t",
        "1",
    )
    again = s.screen("Hussein Falih Aziz", subject_id="C1")
    assert again.hits == [] and again.hit_count == 0
    (hidden,) = again.suppressed
    assert hidden.entry.id == "t:1" and hidden.decision is not None
    assert hidden.decision.decision == d and hidden.decision.applies
    # Another customer with the same name, or no subject id, still gets the hit.
    assert [h.entry.id for h in s.screen("Hussein Falih Aziz", subject_id="C2").hits] == ["t:1"]
    assert [h.entry.id for h in s.screen("Hussein Falih Aziz").hits] == ["t:1"]


def test_a_customer_change_makes_the_hit_active_again_with_the_decision(
    store: DecisionStore,
) -> None:
    s = _screener(store)
    result = s.screen("Hussein Falih Aziz", subject_id="C1")
    d = store.record(result, "t:1", "false_positive", reason="other person", analyst="ana")
    for changed in (
        s.screen("Hussein Falih Aziz", subject_id="C1", birth_date="1969"),
        s.screen("Hussein Falih Aziz", subject_id="C1", nationality="IQ"),
        s.screen("Hussein Faleh Aziz", subject_id="C1"),
    ):
        (hit,) = changed.hits
        assert changed.suppressed == []
        assert hit.decision is not None and hit.decision.decision.id == d.id
        assert not hit.decision.applies and hit.decision.changed == ["subject"]


@pytest.mark.parametrize(
    "update",
    [
        {"names": [*LAMI.names, Name(full="Abu Zainab al-Lami", kind="aka")]},
        {"birth_dates": ["1969-06-20"]},
        {"nationalities": ["IQ"]},
    ],
)
def test_an_entry_change_makes_the_hit_active_again(store: DecisionStore, update: dict) -> None:
    result = _screener(store).screen("Hussein Falih Aziz", subject_id="C1")
    store.record(result, "t:1", "false_positive", reason="other person", analyst="ana")
    changed = _screener(store, LAMI.model_copy(update=update), HASSAN, version="2")
    (hit,) = changed.screen("Hussein Falih Aziz", subject_id="C1").hits
    assert hit.decision is not None and hit.decision.changed == ["entry"]


def test_a_programme_change_is_not_an_entry_change(store: DecisionStore) -> None:
    result = _screener(store).screen("Hussein Falih Aziz", subject_id="C1")
    store.record(result, "t:1", "false_positive", reason="other person", analyst="ana")
    changed = _screener(store, LAMI.model_copy(update={"programs": ["IRAQ3"]}), HASSAN)
    assert len(changed.screen("Hussein Falih Aziz", subject_id="C1").suppressed) == 1


def test_a_true_match_is_never_suppressed_and_the_newest_decision_counts(
    store: DecisionStore,
) -> None:
    s = _screener(store)
    result = s.screen("Hussein Falih Aziz", subject_id="C1")
    store.record(result, "t:1", "false_positive", reason="first look", analyst="ana")
    confirmed = store.record(result, "t:1", "true_match", reason="same passport", analyst="bo")
    (hit,) = s.screen("Hussein Falih Aziz", subject_id="C1").hits
    assert hit.decision is not None and hit.decision.decision == confirmed
    assert hit.decision.applies
    assert [d.decision for d in store.decisions()] == ["false_positive", "true_match"]


def test_suppressed_hits_do_not_take_the_limit(store: DecisionStore) -> None:
    s = _screener(store, LAMI, LAMI.model_copy(update={"source_id": "3", "id": "t:3"}))
    result = s.screen("Hussein Falih Aziz", subject_id="C1")
    store.record(result, "t:1", "false_positive", reason="x", analyst="ana")
    limited = s.screen("Hussein Falih Aziz", subject_id="C1", limit=1)
    assert [h.entry.id for h in limited.hits] == ["t:3"] and not limited.truncated


def test_record_refuses_what_was_not_reviewed(store: DecisionStore) -> None:
    s = _screener(store)
    result = s.screen("Hussein Falih Aziz", subject_id="C1")
    with pytest.raises(ValueError, match="not among the hits"):
        store.record(result, "t:2", "false_positive", reason="x")
    with pytest.raises(ValueError, match="no subject id"):
        store.record(s.screen("Hussein Falih Aziz"), "t:1", "false_positive", reason="x")
    with pytest.raises(ValueError, match="reason"):
        store.record(result, "t:1", "false_positive", reason=" ")
    with pytest.raises(ValueError, match="decision must be"):
        store.record(result, "t:1", "maybe", reason="x")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="subject id"):
        s.screen("Ali", subject_id="  ")
    assert store.decisions() == []


def test_an_older_schema_is_migrated_on_open(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0])
    db.execute(
        "INSERT INTO decisions (subject_id, entry_id, decision, analyst, reason, time, "
        "subject_fingerprint, entry_fingerprint) VALUES ('C1', 't:1', 'true_match', 'ana', "
        "'old', '2025-01-01T00:00:00+00:00', 'a', 'b')"
    )
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    store = DecisionStore(path)
    (old,) = store.decisions()
    assert (old.subject_id, old.reason, old.query, old.score) == ("C1", "old", None, None)
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
        assert check.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    result = _screener(store).screen("Hussein Falih Aziz", subject_id="C2")
    assert store.record(result, "t:1", "false_positive", reason="new", analyst="a").id == 2


def test_a_newer_schema_or_a_foreign_file_is_refused_by_name(tmp_path: Path) -> None:
    newer = tmp_path / "newer.db"
    with sqlite3.connect(newer) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(ValueError, match="newer.db.*newer than this library"):
        DecisionStore(newer)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(ValueError, match="junk.db: not a decisions database"):
        DecisionStore(junk)


def test_forked_workers_apply_the_same_decisions(store: DecisionStore) -> None:
    s = _screener(store)
    store.record(
        s.screen("Ali Hassan", subject_id="C1"), "t:2", "false_positive", reason="x", analyst="a"
    )
    names = ["Ali Hassan", "Hussein Falih Aziz"] * 20
    one = [r.model_dump() for r in s.screen_many(names)]
    two = [r.model_dump() for r in s.screen_many(names, workers=2)]
    assert one == two


def test_decisions_and_suppressed_hits_are_in_the_audit_log(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    store = DecisionStore(tmp_path / "d.db", audit=log)
    s = Screener(Watchlist(name="t", version="1", entries=[LAMI]), decisions=store, audit=log)
    d = store.record(
        s.screen("Hussein Falih Aziz", subject_id="C1"),
        "t:1",
        "false_positive",
        reason="x",
        analyst="a",
    )
    s.screen("Hussein Falih Aziz", subject_id="C1")
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert [r["kind"] for r in records] == ["screen", "decision", "screen"]
    assert (
        records[1]["decision_id"] == d.id and records[1]["entry_fingerprint"] == d.entry_fingerprint
    )
    assert records[2]["subject_id"] == "C1" and records[2]["hits"] == []
    assert records[2]["suppressed"][0]["decision_id"] == d.id
    assert verify(log).ok


def _customers(path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "name"])
        w.writerows(
            [["C1", "Hussein Falih Aziz"], ["C2", "Hussein Falih Aziz"], ["", "Ali Hassan"]]
        )


def test_batch_applies_decisions_by_the_id_column(store: DecisionStore, tmp_path: Path) -> None:
    s = _screener(store)
    d = store.record(
        s.screen("Hussein Falih Aziz", subject_id="C1"),
        "t:1",
        "false_positive",
        reason="x",
        analyst="a",
    )
    _customers(tmp_path / "in.csv")
    screen_file(
        s, str(tmp_path / "in.csv"), str(tmp_path / "out.csv"), name_column="name", id_column="id"
    )
    with open(tmp_path / "out.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [(r["id"], r["hit_count"], r["suppressed_count"]) for r in rows] == [
        ("C1", "0", "1"),
        ("C2", "1", "0"),
        ("", "1", "0"),
    ]
    assert json.loads(rows[0]["suppressed"])[0]["decision"]["id"] == d.id
    with pytest.raises(ValueError, match="id column"):
        screen_file(s, str(tmp_path / "in.csv"), str(tmp_path / "o2.csv"), name_column="name")


def _list_file(tmp_path: Path) -> str:
    path = tmp_path / "list.jsonl"
    path.write_text(
        json.dumps({"watchlist": {"name": "t", "version": "1"}})
        + "\n"
        + LAMI.model_dump_json()
        + "\n"
        + HASSAN.model_dump_json()
        + "\n",
        encoding="utf-8",
    )
    return str(path)


def test_decide_and_decisions_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db, listed = str(tmp_path / "d.db"), _list_file(tmp_path)
    base = [
        "decide",
        "--db",
        db,
        "--subject",
        "C1",
        "--name",
        "Hussein Falih Aziz",
        "--list",
        listed,
    ]
    assert main([*base, "--entry", "t:2", "--false-positive", "--reason", "x"]) == 2
    assert "not among the hits" in capsys.readouterr().err
    assert (
        main(
            [
                *base,
                "--entry",
                "t:1",
                "--false-positive",
                "--reason",
                "other dob",
                "--analyst",
                "ana",
            ]
        )
        == 0
    )
    assert "decision #1" in capsys.readouterr().out
    screen = ["screen", "Hussein Falih Aziz", "--list", listed, "--decisions", db]
    assert main([*screen, "--subject", "C1"]) == 0  # the only hit is suppressed
    assert "cleared by decision #1" in capsys.readouterr().out
    assert main([*screen, "--subject", "C2"]) == 1
    capsys.readouterr()
    assert main(["decisions", "list", "--db", db]) == 0
    assert "C1  t:1  false_positive  ana: other dob" in capsys.readouterr().out
    assert main(["decisions", "export", "--db", db, "--format", "jsonl"]) == 0
    (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert row["id"] == 1 and row["reason"] == "other dob"
    out = tmp_path / "d.csv"
    assert main(["decisions", "export", "--db", db, "-o", str(out)]) == 0
    with open(out, encoding="utf-8") as f:
        assert [r["entry_id"] for r in csv.DictReader(f)] == ["t:1"]
    batch = [
        "batch",
        str(tmp_path / "in.csv"),
        "-o",
        str(tmp_path / "b.csv"),
        "--name-column",
        "name",
    ]
    _customers(tmp_path / "in.csv")
    assert main([*batch, "--list", listed, "--decisions", db]) == 2  # no --id-column
    assert main([*batch, "--list", listed, "--decisions", db, "--id-column", "id"]) == 1


def _record_many(path: str, subject: str) -> None:
    store = DecisionStore(path)
    s = Screener(Watchlist(name="t", version="1", entries=[LAMI]), decisions=store)
    result = s.screen("Hussein Falih Aziz", subject_id=subject)
    for i in range(25):
        store.record(result, "t:1", "false_positive", reason=f"r{i}", analyst=subject)


def test_two_processes_record_at_once(tmp_path: Path) -> None:
    import multiprocessing

    path = str(tmp_path / "d.db")
    DecisionStore(path).close()
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_record_many, args=(path, s)) for s in ("C1", "C2")]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
        assert p.exitcode == 0
    made = DecisionStore(path).decisions()
    assert sorted(d.id for d in made) == list(range(1, 51))
    assert sorted(d.reason for d in made if d.subject_id == "C2") == sorted(
        f"r{i}" for i in range(25)
    )
