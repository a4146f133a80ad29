"""Monitoring with delta re-screening: the invariant (open alerts equal a full re-screen less the
suppressed hits) over random sequences of list, customer and decision edits; what each change
says; the state surviving kill -9."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanctions_screen import Entry, Name, Screener, Watchlist, monitor
from sanctions_screen.cli import main
from sanctions_screen.decisions import DecisionStore
from sanctions_screen.monitor.customers import ALL_HITS

LIST = "test_list"
# Listed names, and customer names that meet them in each way the engine knows (the same name,
# a romanisation, another script, a typo, a short form, an organisation's legal form), and some
# that must not.
LISTED = [
    "AL-LAMI, Hussein Falah",
    "AZIZ, Hussein Faleh",
    "SOLEIMANI, Qasem",
    "HASSAN, Ali",
    "MAHAN AIR",
    "ROSNEFT TRADING S.A.",
    "AL-ZAWAHIRI, Ayman",
    "AL-AMIRI, Adnan Talib Hassim",
    "AL-SADR, Muhammad Hussein Ali",
    "HAITHAM, Ahmad",
]
CUSTOMER_NAMES = [
    "Hussein Falih Aziz",
    "Abu Zainab al-Lami",
    "حسين فالح عزيز",
    "Qasem Soleimnai",
    "Ali Hasan",
    "Mahan Airlines",
    "Rosneft Trading Societe Anonyme",
    "Ayman al-Zawarihi",
    "Adnan al-Amiri",
    "Heysem Ahmad",
    "Muhammad Ali",
    "John Smith",
]
DATES = [None, "1969", "1970-06-20", "1955"]


def _entry(key: int, names: list[str], dob: str | None) -> Entry:
    return Entry(
        list=LIST,
        source_id=str(key),
        kind="unknown",
        names=[Name(full=n, kind="primary" if i == 0 else "aka") for i, n in enumerate(names)],
        birth_dates=[dob] if dob else [],
    )


def _write_customers(path: Path, customers: dict[str, tuple[str, str | None]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", "dob"])
        for cid, (name, dob) in customers.items():
            w.writerow([cid, name, dob or ""])


def _full_rescreen(
    entries: dict[int, Entry],
    customers: dict[str, tuple[str, str | None]],
    version: int,
    store: DecisionStore | None,
) -> dict[tuple[str, str], tuple[float, str]]:
    screener = Screener(
        Watchlist(name=LIST, version=str(version), entries=list(entries.values())),
        decisions=store,
    )
    out = {}
    for cid, (name, dob) in customers.items():
        result = screener.screen(name, birth_date=dob, subject_id=cid, limit=ALL_HITS)
        for h in result.hits:
            out[(cid, h.entry.id)] = (h.score, h.matched_name)
    return out


# One edit: (what, a key to pick, a name index, a date index).
EDIT = st.tuples(
    st.sampled_from(
        [
            "add_entry",
            "remove_entry",
            "rename_entry",
            "add_alias",
            "entry_dob",
            "add_customer",
            "remove_customer",
            "rename_customer",
            "customer_dob",
            "decide",
        ]
    ),
    st.integers(0, 50),
    st.integers(0, 50),
    st.integers(0, len(DATES) - 1),
)


def _apply(edit, entries, customers, pending_decisions, next_key) -> int:  # noqa: ANN001
    what, k, n, d = edit
    if what == "add_entry":
        entries[next_key] = _entry(next_key, [LISTED[n % len(LISTED)]], DATES[d])
        return next_key + 1
    if what == "add_customer":
        customers[f"C{next_key}"] = (CUSTOMER_NAMES[n % len(CUSTOMER_NAMES)], DATES[d])
        return next_key + 1
    if what in ("remove_entry", "rename_entry", "add_alias", "entry_dob") and entries:
        key = sorted(entries)[k % len(entries)]
        e = entries[key]
        names = [x.full for x in e.names]
        dob = e.birth_dates[0] if e.birth_dates else None
        if what == "remove_entry":
            del entries[key]
        elif what == "rename_entry":
            entries[key] = _entry(key, [LISTED[n % len(LISTED)], *names[1:]], dob)
        elif what == "add_alias":
            entries[key] = _entry(key, [*names, CUSTOMER_NAMES[n % len(CUSTOMER_NAMES)]], dob)
        else:
            entries[key] = _entry(key, names, DATES[d])
    elif what in ("remove_customer", "rename_customer", "customer_dob") and customers:
        cid = sorted(customers)[k % len(customers)]
        name, dob = customers[cid]
        if what == "remove_customer":
            del customers[cid]
        elif what == "rename_customer":
            customers[cid] = (CUSTOMER_NAMES[n % len(CUSTOMER_NAMES)], dob)
        else:
            customers[cid] = (name, DATES[d])
    elif what == "decide":
        pending_decisions.append((k, n))
    return next_key


def _decide(store, alerts, picks, entries, customers, version) -> None:  # noqa: ANN001
    """Clear (or confirm) some open alerts, as an analyst would, on the result they reviewed."""
    if not alerts:
        return
    screener = Screener(Watchlist(name=LIST, version=str(version), entries=list(entries.values())))
    for k, n in picks:
        a = alerts[k % len(alerts)]
        name, dob = customers[a.customer_id]
        result = screener.screen(name, birth_date=dob, subject_id=a.customer_id, limit=ALL_HITS)
        kind = "true_match" if n % 4 == 0 else "false_positive"
        store.record(result, a.entry_id, kind, reason="test", analyst="hypothesis")


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    first_entries=st.lists(
        st.tuples(st.integers(0, 50), st.integers(0, 3)), min_size=1, max_size=6
    ),
    first_customers=st.lists(
        st.tuples(st.integers(0, 50), st.integers(0, 3)), min_size=1, max_size=8
    ),
    steps=st.lists(st.lists(EDIT, min_size=1, max_size=4), min_size=1, max_size=4),
)
def test_open_alerts_equal_a_full_rescreen_after_any_edits(
    tmp_path_factory: pytest.TempPathFactory,
    first_entries,
    first_customers,
    steps,  # noqa: ANN001
) -> None:
    tmp = tmp_path_factory.mktemp("monitor")
    entries = {
        i: _entry(i, [LISTED[n % len(LISTED)]], DATES[d]) for i, (n, d) in enumerate(first_entries)
    }
    customers = {
        f"C{i}": (CUSTOMER_NAMES[n % len(CUSTOMER_NAMES)], DATES[d])
        for i, (n, d) in enumerate(first_customers)
    }
    store = DecisionStore(tmp / "decisions.db")
    next_key = 100
    for version, edits in enumerate([[], *steps], start=1):
        # The analyst decides on alerts of the last run, as screened then; then data changes.
        picks = [(k, n) for what, k, n, _ in edits if what == "decide"]
        if picks:
            alerts = monitor.open_alerts(tmp / "state")
            _decide(store, alerts, picks, entries, customers, version - 1)
        pending: list[tuple[int, int]] = []
        for edit in edits:
            next_key = _apply(edit, entries, customers, pending, next_key)
        _write_customers(tmp / "customers.csv", customers)
        lists = Watchlist(name=LIST, version=str(version), entries=list(entries.values()))
        r = monitor.run(
            tmp / "customers.csv",
            lists,
            state=tmp / "state",
            name_column="name",
            id_column="id",
            birth_date_column="dob",
            decisions=store,
        )
        got = {(a.customer_id, a.entry_id): (a.score, a.matched_name) for a in r.open_alerts}
        assert got == _full_rescreen(entries, customers, version, store), (version, edits)
        assert r.mode == ("full" if version == 1 else "delta")


def _seed(tmp: Path) -> tuple[Watchlist, dict[str, tuple[str, str | None]]]:
    entries = [_entry(i, [n], None) for i, n in enumerate(LISTED)]
    customers = {f"C{i}": (n, None) for i, n in enumerate(CUSTOMER_NAMES)}
    _write_customers(tmp / "customers.csv", customers)
    return Watchlist(name=LIST, version="1", entries=entries), customers


def _run(tmp: Path, lists: Watchlist, **kw) -> monitor.MonitorRun:  # noqa: ANN003
    return monitor.run(
        tmp / "customers.csv",
        lists,
        state=tmp / "state",
        name_column="name",
        id_column="id",
        birth_date_column="dob",
        **kw,
    )


def test_each_change_says_what_happened_and_why(tmp_path: Path) -> None:
    lists, customers = _seed(tmp_path)
    first = _run(tmp_path, lists)
    assert first.mode == "full"
    assert {c.change for c in first.changes} == {"new_alert"}
    assert all(c.reason == "first run" for c in first.changes)
    opened = {(c.customer_id, c.entry_id) for c in first.changes}
    assert ("C0", f"{LIST}:1") in opened  # Hussein Falih Aziz / AZIZ, Hussein Faleh
    assert ("C11", f"{LIST}:0") not in opened  # John Smith

    # The list drops AZIZ, renames SOLEIMANI, adds SMITH, John; customer C4 (Ali Hasan) leaves,
    # and C9 becomes someone else.
    entries = {e.source_id: e for e in lists.entries}
    del entries["1"]
    entries["2"] = _entry(2, ["SULEIMAN, Jamil"], None)
    entries["50"] = _entry(50, ["SMITH, John"], None)
    del customers["C4"]
    customers["C9"] = ("Adnan al-Amiri", None)
    _write_customers(tmp_path / "customers.csv", customers)
    second = _run(
        tmp_path,
        Watchlist(name=LIST, version="2", entries=list(entries.values())),
        output=str(tmp_path / "delta.csv"),
    )
    assert second.mode == "delta"
    why = {(c.change, c.customer_id, c.entry_id): c.reason for c in second.changes}
    assert why[("closed", "C0", f"{LIST}:1")] == f"entry delisted ({LIST} version 2)"
    assert (
        why[("closed", "C3", f"{LIST}:2")] == f"entry changed ({LIST} version 2): no longer matches"
    )
    assert why[("new_alert", "C11", f"{LIST}:50")] == f"entry added ({LIST} version 2)"
    assert why[("closed", "C4", f"{LIST}:3")] == "customer removed from the customer file"
    assert why[("new_alert", "C9", f"{LIST}:7")] == "customer data changed"
    assert why[("closed", "C9", f"{LIST}:9")] == "customer data changed: no longer matches"
    assert second.counts["screened_full"] == 1  # C9; the others only against entries 2 and 50
    with open(tmp_path / "delta.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [(r["change"], r["customer_id"], r["entry_id"]) for r in rows] == [
        (c.change, c.customer_id, c.entry_id) for c in second.changes
    ]
    # A third run with nothing changed changes nothing.
    third = _run(tmp_path, Watchlist(name=LIST, version="2", entries=list(entries.values())))
    assert third.changes == [] and third.open_alerts == second.open_alerts
    assert third.counts["screened_full"] == third.counts["screened_delta"] == 0


def test_bad_customer_rows_are_reported_every_run_never_dropped(tmp_path: Path) -> None:
    lists, customers = _seed(tmp_path)
    with open(tmp_path / "customers.csv", "a", encoding="utf-8") as f:
        f.write("C0,Repeated id,\n,No id here,\nC99,,\nC98,!!!,\n")
    for _ in range(2):
        r = _run(tmp_path, lists)
        errors = {c.row: c.reason for c in r.changes if c.change == "error"}
        assert set(errors) == {13, 14, 15, 16}
        assert "repeats row 1" in errors[13] and "no id" in errors[14]
        assert "empty" in errors[15] and "nothing to screen" in errors[16]


def test_a_cleared_alert_closes_and_a_changed_customer_reopens_it(tmp_path: Path) -> None:
    lists, customers = _seed(tmp_path)
    store = DecisionStore(tmp_path / "decisions.db")
    _run(tmp_path, lists, decisions=store)
    result = Screener(lists, decisions=store).screen("Ali Hasan", subject_id="C4")
    decision = store.record(
        result, f"{LIST}:3", "false_positive", reason="other person", analyst="a"
    )
    r = _run(tmp_path, lists, decisions=store)
    assert [(c.change, c.customer_id, c.reason, c.decision_id) for c in r.changes] == [
        ("closed", "C4", f"cleared by decision #{decision.id}", decision.id)
    ]
    customers["C4"] = ("Ali Hasan", "1970-06-20")
    _write_customers(tmp_path / "customers.csv", customers)
    r = _run(tmp_path, lists, decisions=store)
    (change,) = [c for c in r.changes if c.customer_id == "C4"]
    assert change.change == "new_alert" and change.decision_id == decision.id
    assert change.reason == "customer data changed"


def test_settings_change_rescreens_everything(tmp_path: Path) -> None:
    lists, _ = _seed(tmp_path)
    _run(tmp_path, lists)
    r = _run(tmp_path, lists, threshold=0.95)
    assert r.mode == "full" and r.counts["screened_full"] == len(CUSTOMER_NAMES)
    assert all(c.reason.startswith("settings changed (threshold)") for c in r.changes)


def test_the_customer_index_is_saved_and_reused(tmp_path: Path) -> None:
    lists, _ = _seed(tmp_path)
    _run(tmp_path, lists)
    (index,) = (tmp_path / "state").glob("customers-*.index")
    entries = [*lists.entries, _entry(77, ["AL-LAMI, Abu Zainab"], None)]
    r = _run(tmp_path, Watchlist(name=LIST, version="2", entries=entries))
    assert r.counts["screened_full"] == 0 and r.counts["screened_delta"] >= 1
    assert ("C1", f"{LIST}:77") in {(a.customer_id, a.entry_id) for a in r.open_alerts}
    assert list((tmp_path / "state").glob("customers-*.index")) == [index]


_KILLED_RUN = """
import sys
from sanctions_screen import Watchlist, monitor
lists = Watchlist.model_validate_json(open(sys.argv[2], encoding="utf-8").read())
monitor.run(sys.argv[1] + "/customers.csv", lists, state=sys.argv[1] + "/state",
            name_column="name", id_column="id", output=sys.argv[1] + "/delta.csv")
"""


def _many_customers(tmp: Path, n: int) -> None:
    first = ["Hussein", "Ali", "Qasem", "Ayman", "Adnan", "John", "Maria", "Omar", "Fatima"]
    last = ["Aziz", "Hasan", "Soleimani", "Zawahiri", "Amiri", "Smith", "Garcia", "Haddad"]
    customers = {
        f"C{i}": (f"{first[i % 9]} {first[(i // 9) % 9]} {last[(i // 81) % 8]}{i // 648}", None)
        for i in range(n)
    }
    _write_customers(tmp / "customers.csv", customers)


def test_a_run_killed_at_any_point_ends_as_an_uninterrupted_run(tmp_path: Path) -> None:
    lists, _ = _seed(tmp_path)
    changed = Watchlist(
        name=LIST,
        version="2",
        entries=[
            *lists.entries[1:],
            _entry(60, ["AMIRI, Adnan"], None),
            _entry(61, ["HADDAD, Omar"], None),
        ],
    )
    (tmp_path / "lists.json").write_text(changed.model_dump_json(), encoding="utf-8")
    reference = tmp_path / "reference"
    for folder in (reference, *(tmp_path / f"k{i}" for i in range(4))):
        folder.mkdir()
        _many_customers(folder, 4000)
        _run(folder, lists)
    expected = _run(reference, changed)
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", _KILLED_RUN, str(tmp_path / "k0"), str(tmp_path / "lists.json")],
        check=True,
        env=env,
    )
    whole = time.perf_counter() - started
    for i in range(1, 4):
        folder = tmp_path / f"k{i}"
        proc = subprocess.Popen(
            [sys.executable, "-c", _KILLED_RUN, str(folder), str(tmp_path / "lists.json")], env=env
        )
        time.sleep(whole * i / 4)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    for i in range(4):
        folder = tmp_path / f"k{i}"
        again = _run(folder, changed) if i else None
        alerts = monitor.open_alerts(folder / "state")
        assert [(a.customer_id, a.entry_id, a.score) for a in alerts] == [
            (a.customer_id, a.entry_id, a.score) for a in expected.open_alerts
        ]
        if again is not None and again.run == expected.run:
            # Killed before its commit: run again, it makes exactly the changes of the reference.
            assert [c.model_dump(exclude={"run"}) for c in again.changes] == [
                c.model_dump(exclude={"run"}) for c in expected.changes
            ]


def test_monitor_and_alerts_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lists, _ = _seed(tmp_path)
    (tmp_path / "list.jsonl").write_text(
        json.dumps({"watchlist": {"name": LIST, "version": "1"}})
        + "\n"
        + "".join(e.model_dump_json() + "\n" for e in lists.entries),
        encoding="utf-8",
    )
    args = [
        "monitor",
        str(tmp_path / "customers.csv"),
        "--state",
        str(tmp_path / "state"),
        "--name-column",
        "name",
        "--id-column",
        "id",
        "--list",
        str(tmp_path / "list.jsonl"),
        "-o",
        str(tmp_path / "delta.jsonl"),
    ]
    assert main(args) == 1  # changes: like grep, 1 when there is something to look at
    rows = [json.loads(line) for line in (tmp_path / "delta.jsonl").read_text().splitlines()]
    assert rows and all(r["change"] == "new_alert" for r in rows)
    assert main(args) == 0  # nothing changed
    capsys.readouterr()
    assert main(["alerts", "--state", str(tmp_path / "state"), "--json"]) == 1
    alerts = json.loads(capsys.readouterr().out)
    assert {(a["customer_id"], a["entry_id"]) for a in alerts} == {
        (r["customer_id"], r["entry_id"]) for r in rows
    }
    assert main(["alerts", "--state", str(tmp_path / "nowhere")]) == 2


def test_every_change_is_in_the_audit_log(tmp_path: Path) -> None:
    from sanctions_screen.audit import verify

    lists, _ = _seed(tmp_path)
    log = tmp_path / "audit.jsonl"
    r = _run(tmp_path, lists, audit=log)
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    changes = [x for x in records if x["kind"] == "monitor_change"]
    assert [(x["customer_id"], x["entry_id"], x["change"]) for x in changes] == [
        (c.customer_id, c.entry_id, c.change) for c in r.changes
    ]
    assert {x["subject_id"] for x in records if x["kind"] == "screen"} >= {"C0", "C1"}
    assert verify(log).ok
