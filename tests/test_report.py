"""The alert report, read and written without a browser: what it holds, and that no text from a
list or a customer file is ever markup in it (tests/test_report_browser.py opens it)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from report_fixtures import BIDI, ENTRIES, HOSTILE, batch_output, screener

from sanctions_screen import Watchlist, monitor
from sanctions_screen.cli import main
from sanctions_screen.decisions import DecisionStore
from sanctions_screen.report import load_report, write_report
from sanctions_screen.report.page import CSP, embedded_json


def test_a_card_per_alerted_row_best_first_with_the_seed_alignment(tmp_path: Path) -> None:
    data = load_report(str(batch_output(tmp_path)))
    assert data.kind == "batch" and data.rows == 8
    assert {c.id for c in data.cards} == {"C1", "C2", "C3", "C4", "C5", "C6"}
    assert [c.best for c in data.cards] == sorted((c.best for c in data.cards), reverse=True)
    (seed,) = [c for c in data.cards if c.id == "C1"]
    hit = seed.hits[0]
    assert (hit.entry_id, hit.matched_name, hit.kind, hit.programs) == (
        "t:27994",
        "AZIZ, Hussein Faleh",
        "person",
        ["GLOMAG"],
    )
    assert sorted((m.query, m.listed, m.how) for m in hit.matches) == [
        ("Aziz", "AZIZ", "exact"),
        ("Falih", "Faleh", "variant"),
        ("Hussein", "Hussein", "exact"),
    ]
    assert hit.other_names == ["AL-LAMI, Hussein Falah", "AL-LAMI, Abu Zainab"]
    assert hit.birth_dates == ["1969-06-20"] and (hit.list, hit.list_version) == ("t", "7")
    (arabic,) = [c for c in data.cards if c.id == "C3"]
    assert {m.how for m in arabic.hits[0].matches} == {"cross_script"}
    assert [(e.row, e.id) for e in data.errors] == [(7, "C7")]
    assert data.threshold == screener().threshold and data.library and data.screened
    assert data.lists[0].name == "t" and data.lists[0].version == "7"


def test_parquet_and_json_lines_outputs_give_the_same_report(tmp_path: Path) -> None:
    cards = {}
    for fmt in ("csv", "jsonl", "parquet"):
        folder = tmp_path / fmt
        folder.mkdir()
        cards[fmt] = [c.model_dump() for c in load_report(str(batch_output(folder, fmt))).cards]
    assert cards["csv"] == cards["jsonl"] == cards["parquet"]


def test_no_text_from_a_list_or_a_customer_is_markup(tmp_path: Path) -> None:
    out = tmp_path / "alerts.html"
    write_report(batch_output(tmp_path), out)
    page = out.read_text(encoding="utf-8")
    assert HOSTILE not in page and "<img" not in page and "<b>X</b>" not in page
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in page  # in the data, as JSON text
    assert BIDI not in page  # the override sits in the data as an escape, shown as [U+202E]
    # Nothing to fetch: no external script, style, image or link, and a policy forbidding them.
    assert f'content="{CSP}"' in page
    assert not re.search(r"<(link|img|iframe|object|embed)\b", page)
    assert not re.search(r"<[a-z]+[^>]*\b(src|href)\s*=", page)
    assert re.findall(r"https?://[^\s\"']+", page) == ["http://www.w3.org/2000/svg"]


def test_embedded_json_cannot_close_its_script_element() -> None:
    text = embedded_json({"x": "</script><script>alert(1)</script>&"})
    assert "<" not in text and ">" not in text and "&" not in text


def test_the_chart_counts_every_alert(tmp_path: Path) -> None:
    out = tmp_path / "alerts.html"
    summary = write_report(batch_output(tmp_path), out)
    page = out.read_text(encoding="utf-8")
    assert f"<title>Scores of {summary.alerts} alerts</title>" in page
    assert "<h2>Rows not screened (1)</h2>" in page and "a name must not be empty" in page
    assert summary.alerted_rows == 6 and summary.errors == 1


def test_a_monitoring_output_reports_opened_alerts_and_closed_ones(tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text(
        "id,name\nC1,Hussein Falih Aziz\nC4,Mahan Airlines\n", encoding="utf-8"
    )
    kw = {"state": tmp_path / "state", "name_column": "name", "id_column": "id"}
    monitor.run(tmp_path / "c.csv", Watchlist(name="t", version="1", entries=ENTRIES), **kw)
    monitor.run(
        tmp_path / "c.csv",
        Watchlist(name="t", version="2", entries=ENTRIES[:1]),
        output=str(tmp_path / "delta.jsonl"),
        **kw,
    )
    (tmp_path / "c.csv").write_text(
        "id,name\nC1,Hussein Falih Aziz\nC9,Ali Hassan\n", encoding="utf-8"
    )
    monitor.run(
        tmp_path / "c.csv",
        Watchlist(name="t", version="3", entries=ENTRIES),
        output=str(tmp_path / "delta2.jsonl"),
        **kw,
    )
    closed = load_report(str(tmp_path / "delta.jsonl"))
    assert closed.kind == "monitoring" and closed.cards == []
    assert closed.closed and "entry delisted" in closed.closed[0]
    opened = load_report(str(tmp_path / "delta2.jsonl"))
    (card,) = opened.cards
    assert card.id == "C9" and card.hits[0].change == "new alert: new customer"
    assert card.hits[0].programs == ["SDGT"] and card.hits[0].matches  # from the change's hit
    assert opened.lists[0].version == "3"


def test_the_report_shows_decisions_on_record(tmp_path: Path) -> None:
    store = DecisionStore(tmp_path / "d.db")
    result = screener().screen("Hussein Falih Aziz", subject_id="C1")
    store.record(result, "t:27994", "true_match", reason="same passport", analyst="ana")
    data = load_report(str(batch_output(tmp_path)), decisions=store)
    (seed,) = [c for c in data.cards if c.id == "C1"]
    assert "#1 true_match by ana" in (seed.hits[0].decision or "")
    assert "same passport" in (seed.hits[0].decision or "")


def test_the_report_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "alerts.html"
    assert main(["report", str(batch_output(tmp_path)), "-o", str(out)]) == 1
    assert "6 alerted rows" in capsys.readouterr().err and out.exists()
    (tmp_path / "other.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    assert main(["report", str(tmp_path / "other.csv"), "-o", str(out)]) == 2
    assert "other.csv: not a batch or monitoring output" in capsys.readouterr().err
