"""List differences (issue 16, item 2): `Watchlist.diff` and `sanctions-screen lists diff`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctions_screen import Entry, Name, Watchlist, load_list
from sanctions_screen.listdiff import MATCHING_FIELDS


def entry(i: str, *names: str, **fields) -> Entry:
    return Entry(list="x", source_id=i, names=[Name(full=n) for n in names], **fields)


OLD = [
    entry("1", "Ali Hasan", birth_dates=["1969"]),
    entry("2", "Omar Saleh"),
    entry("3", "Bank Melli", kind="organization"),
    entry("4", "Jamal Khan", programs=["SDGT"]),
    entry("6", "Adnan Amiri", birth_dates=["1960"], nationalities=["IQ"]),
    entry("7", "Mahan Air", kind="unknown"),
]
NEW = [
    entry("1", "Ali Hasan", "Abu Hasan", birth_dates=["1969"]),
    entry("3", "Bank Melli", kind="organization"),
    entry("4", "Jamal Khan", programs=["SDGT", "IRGC"], remarks="re-designated"),
    entry("5", "Zaid Rahman"),
    entry("6", "Adnan Amiri", birth_dates=["1961"], nationalities=["IQ"]),
    entry("7", "Mahan Air", kind="organization"),
]


def test_diff_finds_added_removed_and_changed_matching_data():
    d = Watchlist(name="x", version="2", entries=NEW).diff(
        Watchlist(name="x", version="1", entries=OLD)
    )
    assert [e.id for e in d.added] == ["x:5"]
    assert [e.id for e in d.removed] == ["x:2"]
    changed = {c.id: {f.field: (f.removed, f.added) for f in c.changes} for c in d.changed}
    assert changed == {
        "x:1": {"names": ([], ["Abu Hasan (primary)"])},
        "x:6": {"birth_dates": (["1960"], ["1961"])},
        "x:7": {"kind": (["unknown"], ["organization"])},
    }
    # Programmes and remarks do not change what screening finds: counted apart.
    assert d.other_changes == 1
    assert d.summary() == (
        "x 1 -> 2: 1 added, 1 removed, 3 changed (kind 1, names 1, birth_dates 1)"
    )
    assert d.changed[0].before == OLD[0] and d.changed[0].after == NEW[0]


def test_a_list_against_itself_has_no_difference_and_two_lists_are_refused():
    wl = Watchlist(name="x", version="1", entries=OLD)
    d = wl.diff(wl)
    assert not d.added and not d.removed and not d.changed and d.other_changes == 0
    with pytest.raises(ValueError, match="two different lists"):
        wl.diff(Watchlist(name="y", version="1", entries=OLD))


def test_name_order_is_not_a_change_but_a_name_kind_is():
    a = Entry(list="x", source_id="1", names=[Name(full="A B"), Name(full="C D", kind="aka")])
    b = a.model_copy(update={"names": list(reversed(a.names))})
    c = a.model_copy(update={"names": [a.names[0], Name(full="C D", kind="weak")]})
    one = lambda e: Watchlist(name="x", version="v", entries=[e])  # noqa: E731
    assert one(b).diff(one(a)).changed == []
    (change,) = one(c).diff(one(a)).changed
    assert change.changes[0].removed == ["C D (aka)"] and change.changes[0].added == ["C D (weak)"]


_EDITS = st.lists(
    st.tuples(
        st.sampled_from(["add", "remove", "rename", "alias", "dob", "nationality", "kind"]),
        st.integers(0, 5),
    ),
    max_size=8,
)


def _edited(entries: list[Entry], edits) -> list[Entry]:
    by_id = {e.source_id: e for e in entries}
    for what, i in edits:
        key = str(i)
        e = by_id.get(key)
        if what == "add" or e is None:
            by_id[key] = entry(key, f"Name {i}")
        elif what == "remove":
            del by_id[key]
        elif what == "rename":
            by_id[key] = e.model_copy(update={"names": [Name(full=f"Other {i}")]})
        elif what == "alias":
            by_id[key] = e.model_copy(
                update={"names": [*e.names, Name(full=f"Alias {i}", kind="aka")]}
            )
        elif what == "dob":
            by_id[key] = e.model_copy(update={"birth_dates": [f"19{50 + i}"]})
        elif what == "nationality":
            by_id[key] = e.model_copy(update={"nationalities": ["IR"]})
        else:
            by_id[key] = e.model_copy(update={"kind": "organization"})
    return list(by_id.values())


@settings(max_examples=100, deadline=None)
@given(_EDITS, _EDITS)
def test_diff_both_ways_mirror_each_other_and_apply_to_give_the_newer(first, second):
    base = [entry(str(i), f"Name {i}") for i in range(3)]
    old = Watchlist(name="x", version="1", entries=_edited(base, first))
    new = Watchlist(name="x", version="2", entries=_edited(old.entries, second))
    forward, back = new.diff(old), old.diff(new)
    assert [e.id for e in forward.added] == [e.id for e in back.removed]
    assert [e.id for e in forward.removed] == [e.id for e in back.added]
    assert [c.id for c in forward.changed] == [c.id for c in back.changed]
    for f, b in zip(forward.changed, back.changed, strict=True):
        assert [(x.field, x.removed, x.added) for x in f.changes] == [
            (x.field, x.added, x.removed) for x in b.changes
        ]
    # Old, less the removed, plus the added, with the changed taken from the newer, has the
    # newer's matching data for every entry.
    rebuilt = {e.id: e for e in old.entries if e.id not in {r.id for r in forward.removed}}
    rebuilt.update({e.id: e for e in forward.added})
    rebuilt.update({c.id: c.after for c in forward.changed})
    newer = {e.id: e for e in new.entries}
    assert rebuilt.keys() == newer.keys()
    for key, e in rebuilt.items():
        assert all(getattr(e, f) == getattr(newer[key], f) or f == "names" for f in MATCHING_FIELDS)
        assert {(n.full, n.kind) for n in e.names} == {(n.full, n.kind) for n in newer[key].names}


def _write(path: Path, entries: list[Entry]) -> Path:
    path.write_text("".join(e.model_dump_json() + "\n" for e in entries), encoding="utf-8")
    return path


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sanctions_screen.cli", "lists", "diff", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_lists_diff_prints_a_summary_and_json_and_exits_1_on_changes(tmp_path):
    old = _write(tmp_path / "old.jsonl", OLD)
    new = _write(tmp_path / "new.jsonl", NEW)
    r = _cli(str(old), str(new))
    assert r.returncode == 1, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("x ") and "1 added, 1 removed, 3 changed" in lines[0]
    assert "+ x:5  Zaid Rahman" in lines and "- x:2  Omar Saleh" in lines
    assert "~ x:6  birth_dates: -1960, +1961" in lines
    j = _cli(str(old), str(new), "--json")
    assert j.returncode == 1 and [e["id"] for e in json.loads(j.stdout)["added"]] == ["x:5"]
    same = _cli(str(old), str(old))
    assert same.returncode == 0 and "0 added, 0 removed, 0 changed" in same.stdout
    other = _write(
        tmp_path / "y.jsonl", [e.model_copy(update={"list": "y", "id": "y:1"}) for e in OLD[:1]]
    )
    bad = _cli(str(old), str(other))
    assert bad.returncode == 2 and "two different lists" in bad.stderr


def test_real_sdn_versions(data):
    older = load_list(data / "ofac_sdn_2021-07-07")
    newer = load_list(data / "ofac_sdn_2024-05-03")
    d = newer.diff(older)
    added = {e.id for e in d.added}
    # VTB Bank was designated in 2022: added between these versions.
    assert "us_ofac_sdn:17013" in added
    assert len(d.added) > 1000 and len(d.removed) > 100 and d.changed
    assert not added & {e.id for e in d.removed}
