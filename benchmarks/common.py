"""Shared pieces of the benchmark scripts: the data folder, the list sets, the baseline matcher."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from rapidfuzz import fuzz, process
from unidecode import unidecode

from sanctions_screen import Entry, Watchlist, load_list
from sanctions_screen.names import normalize

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "RESULTS.md"

ARABIC_NAME_TOKENS = frozenset(
    [
        "muhamad",
        "muhamed",
        "ahmad",
        "ahmed",
        "ali",
        "husain",
        "hasan",
        "abdalah",
        "umar",
        "usama",
        "mahmud",
        "mustafa",
        "khalid",
        "ibrahim",
        "ismail",
        "yusuf",
        "yusef",
        "jafar",
        "jamal",
        "kamal",
        "karim",
        "hamid",
        "hamza",
        "mahdi",
        "kasim",
        "sulaiman",
        "salim",
        "said",
        "sad",
        "nasir",
        "abas",
        "aziz",
        "fatima",
        "aisha",
        "zainab",
        "ayman",
        "abubakr",
        "hadi",
        "jawad",
        "kais",
        "walid",
        "tarik",
        "faisal",
        "fahd",
        "salah",
        "saif",
        "bashir",
        "adnan",
        "imad",
        "nabil",
        "haitham",
        "rashid",
        "rida",
        "riad",
        "samir",
        "sami",
        "talal",
        "uthman",
        "utman",
        "waleed",
        "zaid",
        "ziad",
    ]
)


def data_dir() -> Path:
    """The real data folder (`$SANCTIONS_SCREEN_DATA`, else ../shared/data); exits if absent."""
    path = Path(os.environ.get("SANCTIONS_SCREEN_DATA", ROOT.parent / "shared" / "data"))
    if not path.is_dir():
        sys.exit(f"data folder not found: {path} (set SANCTIONS_SCREEN_DATA)")
    return path


def four_lists(data: Path) -> list[Watchlist]:
    """The 2024 SDN with the 2025 aliases, the OFAC consolidated list, UN and UK: the screening set."""
    return [
        load_list(
            [
                data / "ofac_sdn_2024-05-03/sdn.csv",
                data / "ofac_sdn_aux_2025-12/alt.csv",
                data / "ofac_sdn_aux_2025-12/sdn_comments.csv",
            ]
        ),
        load_list(data / "ofac_cons_2025-12"),
        load_list(data / "un_2026-02-27/consolidated.xml"),
        load_list(data / "uk_ofsi_2025-04-14/ConList.xlsx"),
    ]


def looks_arabic(entry: Entry) -> bool:
    """An entry with an Arabic-script name, or a name with Arabic particles or common Arabic names."""
    for n in entry.names:
        norm = normalize(n.full)
        if norm.script == "Arabic":
            return True
        if {"article", "abd", "allah", "din", "kunya", "nasab"} & set(norm.notes):
            return True
        if any(t.folded in ARABIC_NAME_TOKENS for t in norm.tokens):
            return True
    return False


def name_looks_arabic(name: str) -> bool:
    """The same test for one name string."""
    norm = normalize(name)
    return bool(
        norm.script == "Arabic"
        or {"article", "abd", "allah", "din", "kunya", "nasab"} & set(norm.notes)
        or any(t.folded in ARABIC_NAME_TOKENS for t in norm.tokens)
    )


class BaselineMatcher:
    """The foundation's plain matcher, kept for comparison: unidecode-folded names scored with
    rapidfuzz token_sort_ratio, best name per entry."""

    THRESHOLD = 0.85

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entry_of: list[int] = []
        self.names: list[str] = []
        self.entries = list(entries)
        for i, e in enumerate(self.entries):
            for n in e.names:
                self.entry_of.append(i)
                self.names.append(self.fold(n.full))

    @staticmethod
    def fold(text: str) -> str:
        return " ".join(unidecode(text).lower().replace(",", " ").replace("-", " ").split())

    @staticmethod
    def compare(a: str, b: str) -> float:
        return fuzz.token_sort_ratio(BaselineMatcher.fold(a), BaselineMatcher.fold(b)) / 100

    def scores(self, query: str, cutoff: float) -> dict[str, float]:
        """Best score per entry id, for entries at or above `cutoff`."""
        found = process.extract(
            self.fold(query),
            self.names,
            scorer=fuzz.token_sort_ratio,
            score_cutoff=cutoff * 100,
            limit=None,
        )
        best: dict[str, float] = {}
        for _, score, idx in found:
            eid = self.entries[self.entry_of[idx]].id
            best[eid] = max(best.get(eid, 0.0), score / 100)
        return best


class Timer:
    """Wall-clock seconds of a with-block."""

    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start


def record(section: str, body: str) -> None:
    """Replace (or add) one `## section` of benchmarks/RESULTS.md."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    head = f"## {section}\n"
    start = text.find(head)
    block = head + body.rstrip() + "\n\n"
    if start == -1:
        text = text.rstrip() + "\n\n" + block
    else:
        end = text.find("\n## ", start + len(head))
        text = text[:start] + block + (text[end + 1 :] if end != -1 else "")
    RESULTS.write_text(text, encoding="utf-8")


def run_in_tree(tree: Path, code: str, *args: str) -> dict:
    """Run `code` (a script printing one JSON line last) with another source tree of the library
    first on the path, in a fresh process: the benchmarks directory, then `args`, as its argv.
    For same-run comparisons of two revisions (git worktree add /tmp/before <rev>)."""
    env = {**os.environ, "PYTHONPATH": str(tree.resolve())}
    out = subprocess.run(
        [sys.executable, "-c", code, str(ROOT / "benchmarks"), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tree,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])
