"""Saved indexes (issue 15): `Screener.save` / `Screener.load` give identical results, refuse any
file they cannot trust, never unpickle anything, and the command line keeps and checks them."""

from __future__ import annotations

import contextlib
import json
import multiprocessing as mp
import os
import pickle
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from name_strategies import NAMES, listed_entries

import sanctions_screen
import sanctions_screen.screener as screener_module
from sanctions_screen import Entry, Name, Screener, load_list, savefile
from sanctions_screen.cached_index import KEEP_INDEXES, ListSpec, ready_screener
from sanctions_screen.errors import IndexFormatError
from sanctions_screen.savefile import MAGIC
from sanctions_screen.sources import source_hashes

SAMPLE = Path(sanctions_screen.__file__).parent / "data" / "sample_list.jsonl"
QUERIES = [
    "Hussein Falih Aziz",
    "Abu Zainab al-Lami",
    "حسين فالح عزيز",
    "Ayman al-Zawarihi",
    "Mahan Airlines",
    "Rosneft Trading Societe Anonyme",
    "Hussein Ali",
    "Jane Marie Doe",
]


def person(i: str, *names: str, kind: str = "person") -> Entry:
    return Entry(list="t", source_id=i, kind=kind, names=[Name(full=n) for n in names])


def dumps(results) -> list[str]:
    return [r.model_dump_json() for r in results]


@pytest.fixture(scope="module")
def sample() -> Screener:
    return Screener(load_list(SAMPLE))


@pytest.fixture
def saved(sample, tmp_path) -> Path:
    path = tmp_path / "sample.index"
    sample.save(path)
    return path


# -- round trip ---------------------------------------------------------------------------------


def test_load_gives_the_results_of_the_screener_saved(sample, saved):
    loaded = Screener.load(saved)
    assert loaded.lists == sample.lists and loaded.list_info == sample.list_info
    assert list(loaded.entries) == list(sample.entries)
    for kwargs in ({}, {"threshold": 0.5, "limit": 50}, {"birth_date": "1969-06-20"}):
        assert dumps(loaded.screen_many(QUERIES, **kwargs)) == dumps(
            sample.screen_many(QUERIES, **kwargs)
        )
    assert sum(len(r.hits) for r in loaded.screen_many(QUERIES)) >= 4  # not vacuous


def test_load_keeps_its_own_threshold_and_the_saved_options(saved):
    assert Screener.load(saved, threshold=0.6).threshold == 0.6
    with pytest.raises(ValueError, match="threshold"):
        Screener.load(saved, threshold=2.0)


def test_a_loaded_screener_saves_again_to_an_identical_file(saved, tmp_path):
    again = tmp_path / "again.index"
    Screener.load(saved).save(again)
    assert again.read_bytes() == saved.read_bytes()


@settings(max_examples=40, deadline=None)
@given(
    listed_entries(6),
    st.lists(NAMES, min_size=1, max_size=5),
    st.booleans(),
)
def test_load_equals_a_fresh_build_on_any_small_list(
    tmp_path_factory, entries, queries, exhaustive
):
    listed = [person(str(i), *names, kind=kind) for i, (names, kind) in enumerate(entries)]
    built = Screener.from_entries(listed, exhaustive=exhaustive)
    path = tmp_path_factory.mktemp("h") / "x.index"
    built.save(path)
    loaded = Screener.load(path)
    assert loaded.exhaustive == exhaustive
    for kwargs in ({"threshold": 0.5, "limit": 50}, {}):
        assert dumps(loaded.screen_many(queries, **kwargs)) == dumps(
            built.screen_many(queries, **kwargs)
        )


def _queries_from(entries, n: int, seed: int = 7) -> list[str]:
    """Listed names as written, cut short, with one letter swapped or dropped, and mixed."""
    rng = random.Random(seed)
    names = [nm.full for e in entries for nm in e.names]
    out = []
    while len(out) < n:
        words = rng.choice(names).replace(",", " ").split()
        pick = rng.randrange(4)
        if pick == 1 and len(words) > 2:
            words = words[:2]
        elif pick == 2:
            w = rng.randrange(len(words))
            if len(words[w]) > 4:
                k = rng.randrange(len(words[w]) - 1)
                words[w] = words[w][:k] + words[w][k + 1] + words[w][k] + words[w][k + 2 :]
        elif pick == 3:
            words = words[:1] + rng.choice(names).split()[:1]
        text = " ".join(words)
        if any(c.isalnum() for c in text):
            out.append(text)
    return out


def test_load_equals_a_fresh_build_over_thousands_of_queries(sdn2021_screener, tmp_path):
    path = tmp_path / "sdn.index"
    sdn2021_screener.save(path)
    loaded = Screener.load(path)
    queries = _queries_from(sdn2021_screener.entries, 3000)
    got = dumps(loaded.screen_many(queries, threshold=0.8))
    want = dumps(sdn2021_screener.screen_many(queries, threshold=0.8))
    assert got == want
    assert sum('"hits":[]' not in r for r in got) > 1500  # most of them hit something


# -- refusals -----------------------------------------------------------------------------------


def _refused(path: Path, match: str, **kwargs) -> IndexFormatError:
    with pytest.raises(IndexFormatError, match=match) as info:
        Screener.load(path, **kwargs)
    assert str(path) in str(info.value)  # the error names the file
    return info.value


@pytest.mark.parametrize("keep", [0.0, 0.3, 0.999])
def test_a_truncated_file_is_refused(saved, keep):
    data = saved.read_bytes()
    saved.write_bytes(data[: int(len(data) * keep)])
    _refused(saved, "truncated|not a saved index|checksum")


@pytest.mark.parametrize("where", [3, 40, 0.5, -40, -1])
def test_one_flipped_byte_anywhere_is_refused(saved, where):
    data = bytearray(saved.read_bytes())
    at = int(len(data) * where) if isinstance(where, float) else where
    data[at] ^= 0x01
    saved.write_bytes(bytes(data))
    _refused(saved, "checksum|not a saved index|truncated")


def _rewrite(path: Path, header_changes: dict | None = None, parts: dict | None = None) -> None:
    """The saved file rewritten with a changed header or parts, its checksum made right: a
    file whose contents are well-formed but not what this library wrote."""
    saved = savefile.read(path)
    header = {k: v for k, v in saved.header.items() if k not in ("parts", "format")}
    encoded = {name: (p.kind, bytes(saved._raw(name, p.kind))) for name, p in saved._parts.items()}
    encoded.update(parts or {})
    savefile.write_encoded(path, {**header, **(header_changes or {})}, encoded)


def test_another_format_version_is_refused(saved):
    data = saved.read_bytes()
    head_len = int.from_bytes(data[len(MAGIC) : len(MAGIC) + 8], "little")
    head = json.loads(data[len(MAGIC) + 8 : len(MAGIC) + 8 + head_len])
    head["format"] = savefile.FORMAT_VERSION + 1
    new_head = json.dumps(head).encode()
    body = data[len(MAGIC) + 8 + head_len : -32]
    assert len(new_head) <= head_len
    new_head = new_head.ljust(head_len)
    import hashlib

    rest = MAGIC + head_len.to_bytes(8, "little") + new_head + body
    saved.write_bytes(rest + hashlib.sha256(rest).digest())
    _refused(saved, f"format version {savefile.FORMAT_VERSION + 1}")


def test_another_library_version_is_refused(saved, monkeypatch):
    monkeypatch.setattr(screener_module, "__version__", "99.0.0")
    _refused(saved, "built by sanctions_screen 0.1.0, this is 99.0.0")


def test_another_algorithm_or_kind_is_refused(saved):
    _rewrite(saved, {"algorithm": "someone else's"})
    _refused(saved, "algorithm")
    _rewrite(saved, {"kind": "a model"})
    _refused(saved, "not a screener index")


def test_an_index_of_other_list_files_is_refused(saved, tmp_path):
    changed = tmp_path / "changed.jsonl"
    changed.write_bytes(SAMPLE.read_bytes().replace(b"Hussein", b"Husain", 1))
    Screener.load(saved, sources=source_hashes(SAMPLE).values())  # the right files: fine
    _refused(saved, "other list files", sources=source_hashes(changed).values())
    _refused(saved, "other list files", sources=[])


@pytest.mark.parametrize(
    "content", [b"", b"hello", b'{"kind": "sanctions_screen index"}', MAGIC, pickle.dumps([1])]
)
def test_a_file_that_is_not_an_index_is_refused(tmp_path, content):
    path = tmp_path / "x.index"
    path.write_bytes(content)
    _refused(path, "not a saved index|truncated")
    _refused(tmp_path / "missing.index", "cannot be opened")
    _refused(tmp_path, "cannot be opened")


class _Payload:
    """Unpickling this creates the marker file: proof that code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_no_part_is_ever_unpickled(saved, tmp_path):
    marker = tmp_path / "ran"
    payload = pickle.dumps(_Payload(marker))
    buf = __import__("io").BytesIO()
    np.lib.format.write_array(buf, np.array([_Payload(marker)], dtype=object), allow_pickle=True)
    object_npy = buf.getvalue()
    names = list(savefile.read(saved)._parts)
    assert len(names) > 40
    original = saved.read_bytes()
    plants = [("npy", object_npy), ("json", payload), ("bytes", payload), ("strs", payload)]
    for name in names:
        for kind, data in plants:
            saved.write_bytes(original)
            _rewrite(saved, parts={name: (kind, data)})
            with contextlib.suppress(IndexFormatError, ValueError, IndexError, KeyError, TypeError):
                list(Screener.load(saved).screen_many(QUERIES))
            assert not marker.exists(), (name, kind)


def test_an_object_array_can_never_be_saved(tmp_path):
    with pytest.raises(ValueError):
        savefile.write(tmp_path / "x", {}, {"a": np.array([object()], dtype=object)})


# -- several processes --------------------------------------------------------------------------


def _load_and_screen(path: str) -> list[str]:
    return dumps(Screener.load(path).screen_many(QUERIES))


def _save_repeatedly(path: str, times: int) -> None:
    s = Screener(load_list(SAMPLE))
    for _ in range(times):
        s.save(path)


def test_processes_loading_one_file_and_one_rebuilding_it_all_get_a_correct_index(sample, saved):
    want = dumps(sample.screen_many(QUERIES))
    ctx = mp.get_context("fork")
    with ctx.Pool(3) as pool:
        writer = pool.apply_async(_save_repeatedly, (str(saved), 30))
        loads = [pool.apply_async(_load_and_screen, (str(saved),)) for _ in range(40)]
        for job in loads:
            assert job.get(timeout=120) == want
        writer.get(timeout=120)
    assert not [p for p in saved.parent.iterdir() if p.name.startswith(".")]  # no temp left


# -- the command line ---------------------------------------------------------------------------


def _cli(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SANCTIONS_SCREEN_CACHE": str(cache)}
    return subprocess.run(
        [sys.executable, "-m", "sanctions_screen.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def _indexes(cache: Path) -> list[Path]:
    return sorted((cache / "indexes").glob("*.index"))


@pytest.fixture
def listed(tmp_path) -> Path:
    path = tmp_path / "lists" / "sample.jsonl"
    path.parent.mkdir()
    path.write_bytes(SAMPLE.read_bytes())
    return path


def test_cli_saves_an_index_on_first_use_and_loads_it_after(listed, tmp_path, monkeypatch):
    from sanctions_screen import cli

    cache = tmp_path / "cache"
    first = _cli("screen", "Hussein Falih Aziz", "--list", str(listed), "--json", cache=cache)
    assert first.returncode == 1, first.stderr
    assert first.stderr == ""
    (index,) = _indexes(cache)
    # The second run loads it: building is made to fail, and the answer is the same.
    monkeypatch.setenv("SANCTIONS_SCREEN_CACHE", str(cache))
    monkeypatch.setattr(Screener, "__init__", lambda *a, **k: pytest.fail("rebuilt"))
    assert cli.main(["screen", "Hussein Falih Aziz", "--list", str(listed), "--json"]) == 1
    assert _indexes(cache) == [index]


def test_cli_replays_the_list_notes_from_a_saved_index(tmp_path):
    cache = tmp_path / "cache"
    sdn = tmp_path / "sdn.csv"
    sdn.write_bytes(
        b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a'
    )
    for _ in range(2):
        r = _cli("screen", "Aerocaribbean Airlines", "--list", str(sdn), cache=cache)
        assert r.returncode == 1, r.stderr
        assert "without its alias file" in r.stderr
    assert len(_indexes(cache)) == 1


def _break(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "flipped":
        path.write_bytes(data[:100] + bytes([data[100] ^ 1]) + data[101:])
    elif how == "not an index":
        path.write_bytes(b"not an index")
    elif how == "library version":
        _rewrite(path, {"library": "0.0.1"})
    elif how == "format version":
        written = f'"format": {savefile.FORMAT_VERSION}'.encode()
        assert written in data
        path.write_bytes(data.replace(written, b'"format": 99', 1))


@pytest.mark.parametrize(
    "how", ["truncated", "flipped", "not an index", "library version", "format version"]
)
def test_cli_rebuilds_a_broken_index_and_says_so(listed, tmp_path, how):
    cache = tmp_path / "cache"
    assert _cli("screen", "Abu Zainab al-Lami", "--list", str(listed), cache=cache).returncode == 1
    (index,) = _indexes(cache)
    _break(index, how)
    r = _cli("screen", "Abu Zainab al-Lami", "--list", str(listed), "--json", cache=cache)
    assert r.returncode == 1, r.stderr
    assert json.loads(r.stdout)["hits"][0]["entry"]["id"] == "us_ofac_sdn:27994"
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and "saved index not used" in lines[0] and "rebuilding" in lines[0]
    Screener.load(index)  # rebuilt in place
    again = _cli("screen", "Abu Zainab al-Lami", "--list", str(listed), cache=cache)
    assert again.returncode == 1 and again.stderr == ""


def test_cli_rebuilds_when_a_list_file_changes_and_drops_the_old_index(listed, tmp_path):
    cache = tmp_path / "cache"
    assert _cli("screen", "Abu Zainab al-Lami", "--list", str(listed), cache=cache).returncode == 1
    (old,) = _indexes(cache)
    listed.write_bytes(listed.read_bytes().replace(b"AL-LAMI", b"AL-LAAMI"))
    r = _cli("screen", "Abu Zainab al-Laami", "--list", str(listed), "--json", cache=cache)
    assert r.returncode == 1 and "AL-LAAMI" in r.stdout
    assert "list files changed" in r.stderr and len(r.stderr.splitlines()) == 1
    (new,) = _indexes(cache)
    assert new != old


def test_a_changed_fetched_list_is_not_screened_from_its_old_index(tmp_path):
    # A fetched list's index sits beside its version folder; a file changed inside that folder
    # no longer matches it.
    cache = tmp_path / "cache"
    version = cache / "un_sc" / "abc"
    version.mkdir(parents=True)
    un = version / "consolidated.xml"
    un.write_bytes(
        b'<?xml version="1.0"?><CONSOLIDATED_LIST dateGenerated="2026-03-01T00:00:00Z"><INDIVIDUALS>'
        b"<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>ABU</FIRST_NAME><SECOND_NAME>ZAINAB</SECOND_NAME>"
        b"<THIRD_NAME>AL-LAMI</THIRD_NAME><REFERENCE_NUMBER>XXi.001</REFERENCE_NUMBER></INDIVIDUAL>"
        b"</INDIVIDUALS><ENTITIES/></CONSOLIDATED_LIST>"
    )
    (cache / "un_sc" / "manifest.json").write_text(json.dumps({"current": "abc"}))
    r = _cli("screen", "Abu Zainab al-Lami", "--list", "un_sc", cache=cache)
    assert r.returncode == 1 and (cache / "un_sc" / "abc.index").exists()
    un.write_bytes(un.read_bytes().replace(b"ZAINAB", b"ZAYNAB"))
    r = _cli("screen", "Abu Zaynab al-Lami", "--list", "un_sc", "--json", cache=cache)
    assert r.returncode == 1 and "ZAYNAB" in r.stdout
    assert "other list files" in r.stderr


def test_cli_screens_even_when_the_cache_cannot_be_written(listed, tmp_path):
    cache = tmp_path / "cache"
    cache.write_text("a file, not a folder")
    r = _cli("screen", "Abu Zainab al-Lami", "--list", str(listed), cache=cache)
    assert r.returncode == 1
    assert "could not save the index" in r.stderr


def test_the_cache_keeps_a_bounded_number_of_the_most_recently_used_indexes(tmp_path):
    cache = tmp_path / "cache"

    def screen_list(i: int) -> None:
        path = tmp_path / f"list{i}.jsonl"
        path.write_text(
            json.dumps(
                {"id": f"x:{i}", "list": "x", "source_id": str(i), "names": [{"full": "Ali Hasan"}]}
            )
            + "\n"
        )
        ready_screener([ListSpec(path)], require_aliases=False, cache_dir=cache, warn=pytest.fail)

    screen_list(0)
    (first,) = _indexes(cache)
    os.utime(first, (1, 1))  # long unused
    for i in range(1, KEEP_INDEXES + 3):
        screen_list(i)
        if i == KEEP_INDEXES - 1:
            screen_list(0)  # used again, just before the cache fills: kept
    assert len(_indexes(cache)) == KEEP_INDEXES
    assert first.exists()


def test_batch_workers_screen_from_the_saved_index_as_from_a_build(listed, tmp_path):
    cache = tmp_path / "cache"
    names = tmp_path / "names.csv"
    names.write_text("name\n" + "\n".join(QUERIES * 40) + "\n")
    outputs = []
    for run in range(2):  # the first builds and saves the index, the second loads it
        out = tmp_path / f"out{run}.csv"
        r = _cli(
            "batch", str(names), "--name-column", "name", "--workers", "2", "-o", str(out),
            "--list", str(listed), cache=cache,
        )  # fmt: skip
        assert r.returncode == 1, r.stderr
        outputs.append(out.read_text())
        (index,) = _indexes(cache)
        if run == 0:
            inode = index.stat().st_ino  # a rebuild would rename a new file into place
    assert index.stat().st_ino == inode and len(_indexes(cache)) == 1
    assert outputs[0] == outputs[1] and outputs[0].count("us_ofac_sdn:27994") >= 40


def test_building_and_loading_leave_the_collector_as_they_found_it(saved):
    import gc

    assert gc.isenabled()
    Screener.load(saved)
    Screener(load_list(SAMPLE))
    _rewrite(saved, parts={"index.vocab.folded": ("json", b"[]")})
    with pytest.raises(IndexFormatError):
        Screener.load(saved)  # fails half-way through
    assert gc.isenabled()
    gc.disable()
    try:
        Screener(load_list(SAMPLE))
        assert not gc.isenabled()
    finally:
        gc.enable()


def _mapped_kb(path: Path) -> int:
    """How much of `path` this process has mapped (its Rss in /proc/self/smaps)."""
    current, total = "", 0
    with open("/proc/self/smaps") as f:
        for line in f:
            fields = line.split()
            if "-" in fields[0] and len(fields) >= 5:
                current = fields[5] if len(fields) > 5 else ""
            elif fields[0] == "Rss:" and current == str(path):
                total += int(fields[1])
    return total


@pytest.mark.skipif(not Path("/proc/self/smaps").exists(), reason="needs Linux /proc")
def test_prepare_workers_maps_the_whole_file_so_forked_workers_share_it(tmp_path):
    # Workers forked after a load share the pages the parent has mapped; a page only one worker
    # maps is its own. The parent maps the whole file first. (A list of a few thousand made-up
    # names: a file large enough that loading it maps only part of it.)
    rng = random.Random(3)
    syllables = ["ka", "ri", "mo", "ten", "sal", "bu", "zor", "vi", "lan", "dru", "pe", "qua"]
    word = lambda: "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))  # noqa: E731
    entries = [person(str(i), f"{word()} {word()} {word()}") for i in range(3000)]
    path = tmp_path / "big.index"
    Screener.from_entries(entries).save(path)
    loaded = Screener.load(path)
    size_kb = path.stat().st_size // 1024
    assert _mapped_kb(path) < size_kb * 0.9
    loaded.prepare_workers()
    assert _mapped_kb(path) >= size_kb - 4
    Screener(load_list(SAMPLE)).prepare_workers()  # a built index has nothing to map


def test_batch_and_screen_many_prepare_workers_only_for_workers(saved, tmp_path, monkeypatch):
    from sanctions_screen.batch import screen_file

    calls = []
    monkeypatch.setattr(Screener, "prepare_workers", lambda self: calls.append(1))
    loaded = Screener.load(saved)
    list(loaded.screen_many(QUERIES))
    assert calls == []
    list(loaded.screen_many(QUERIES, workers=2))
    names = tmp_path / "in.csv"
    names.write_text("name\nAli Hasan\n")
    screen_file(loaded, names, tmp_path / "out.csv", name_column="name", workers=2)
    screen_file(loaded, names, tmp_path / "out1.csv", name_column="name", workers=1)
    assert calls == [1, 1]
