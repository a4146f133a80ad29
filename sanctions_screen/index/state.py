"""A built CandidateIndex as named parts (numeric arrays and JSON values) and back, for
`savefile`: what a saved index holds, and the index rebuilt from it without any of the build's
work. This module is the index's own serialisation: it reads and sets the index's attributes.

Arrays stay arrays (on load, views of the mapped file, shared between processes); lists of
strings are stored as text split back in one call; per-name tuples as compressed rows, made into
tuples only when screening reads them (`csr.Rows`).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..names.origin import Origin
from ..scoring.similarity import CrossForm, TokenTable
from .candidates import CandidateIndex
from .csr import Csr, Rows, Strings
from .key_table import KeyTable
from .legal_words import LegalWords
from .typo_index import TypoIndex
from .vocabulary import Vocabulary

# Plain arrays of the index, saved as they are.
ARRAYS = (
    "name_entry_arr",
    "entry_start",
    "_entry_len",
    "token_weight",
    "name_total",
    "_key_start",
    "_key_singles",
    "_key_flat",
    "_spelling_tid",
    "_nb_start",
    "_nb_ids",
    "_nb_sims",
)
# Per-name tuples of token ids (of (position, token id) pairs, width 2), saved as compressed rows
# and read back lazily (`csr.Rows`).
NAME_ROWS = {"name_tokens": 1, "name_pairs": 2, "name_readings": 2}
_ORIGINS = {int(o): o for o in Origin}
_SAME_AS_FOLDED = ("e_a", "e_i")


_NO_FLAT = np.zeros(0, dtype=np.int32)


def _interned(values: list[str]) -> list[str]:
    """One object per distinct string (roles, name kinds: a handful of values, many times)."""
    seen: dict[str, str] = {}
    return [seen.setdefault(v, v) for v in values]


def _string_rows(rows: Sequence[Sequence[str]]) -> tuple[np.ndarray, list[str]]:
    start = np.concatenate([[0], np.cumsum([len(r) for r in rows], dtype=np.int64)])
    return start.astype(np.int64), [s for r in rows for s in r]


def _table_parts(prefix: str, table: Any, out: dict[str, Any]) -> None:
    for field, value in zip(table._fields, table, strict=True):
        if isinstance(value, tuple):  # a nested table (the cross-script forms)
            _table_parts(f"{prefix}{field}.", value, out)
        elif field == "folded":
            continue  # the vocabulary's folded forms, shared on load
        elif field in _SAME_AS_FOLDED:
            # Most tokens have no e to read two ways: their reading is the token itself.
            out[prefix + field] = [
                "" if r == f else r for r, f in zip(value.tolist(), table[0], strict=True)
            ]
        elif value.dtype == object:
            # Distinct strings once, and each row's among them (forms of many tokens coincide).
            distinct = sorted(set(value.tolist()))
            at = {v: i for i, v in enumerate(distinct)}
            out[prefix + field] = distinct
            out[prefix + field + ".of"] = np.asarray([at[v] for v in value.tolist()], np.int32)
        else:
            out[prefix + field] = value


def _table_from(cls: Any, prefix: str, get: Callable[[str], Any], strings: list[str]) -> Any:
    values: list[Any] = []
    for field in cls._fields:
        if cls is TokenTable and field == "cross":  # the one nested table
            values.append(_table_from(CrossForm, f"{prefix}{field}.", get, strings))
            continue
        value = strings if field == "folded" else get(prefix + field)
        if isinstance(value, list):
            if field in _SAME_AS_FOLDED:
                value = [r or f for r, f in zip(value, strings, strict=True)]
            out = np.empty(len(value), dtype=object)
            out[:] = value
            if field not in ("folded", *_SAME_AS_FOLDED):
                out = out[get(prefix + field + ".of")]
            value = out
        values.append(value)
    return cls(*values)


def index_parts(idx: CandidateIndex) -> dict[str, Any]:
    """The parts of a saved index: name -> array or JSON value.

    >>> parts = index_parts(CandidateIndex([(0, "Ali Hasan", "primary")])); parts["vocab.folded"]
    ['ali', 'hasan', 'alihasan']
    """
    out: dict[str, Any] = {name: getattr(idx, name) for name in ARRAYS}
    out["name_text"], out["name_text.at"] = Strings.pack(idx.name_text)
    out["name_kind"] = list(idx.name_kind)
    for name, width in NAME_ROWS.items():
        out[f"{name}.start"], out[f"{name}.flat"] = Rows.flatten(getattr(idx, name), width)
    out["name_surname"] = np.asarray(idx.name_surname, dtype=np.int32)
    out["name_raw.start"], flat = _string_rows(idx.name_raw)
    out["name_raw.flat"], out["name_raw.flat.at"] = Strings.pack(flat)
    out["postings.start"], out["postings.flat"] = idx.postings
    vocab = idx.vocab
    out["vocab.folded"], out["vocab.role"] = vocab.folded, vocab.role
    out["vocab.raw"], out["vocab.raw.at"] = Strings.pack(vocab.raw)
    out["vocab.origin"] = np.asarray(vocab.origin, dtype=np.int8)
    out["vocab.keys.start"], flat = _string_rows(vocab.keys)
    out["vocab.keys.flat"], out["vocab.keys.flat.at"] = Strings.pack(flat)
    _table_parts("table.", idx.table, out)
    assert isinstance(idx._key_slot, KeyTable), "a built index packs its keys"
    keys, out["key_slots.hashes"], out["key_slots.order"] = idx._key_slot.arrays()
    out["key_slots"], out["key_slots.at"] = Strings.pack(keys)
    out["by_first"] = {k: v.tolist() for k, v in idx._by_first.items()}
    out["initials"] = {k: v.tolist() for k, v in idx._initials.items()}
    out["spellings"], out["spellings.at"] = Strings.pack(idx._spellings)
    out["legal_words"] = idx.legal_words.words
    out["legal_words.hashes"], out["legal_words.tids"] = idx.legal_words.arrays()
    out["typos.hashes"], out["typos.tids"] = idx._typos.arrays()
    out["spelled.hashes"], out["spelled.tids"] = idx._spelled_typos.arrays()
    keys, out["nb_slots.hashes"], out["nb_slots.order"] = idx._nb_slot.arrays()
    out["nb_slots"], out["nb_slots.at"] = Strings.pack(keys)
    return out


def index_from_parts(get: Callable[[str], Any]) -> CandidateIndex:
    """The index `index_parts` describes; `get(name)` reads one part.

    >>> parts = index_parts(CandidateIndex([(0, "Ali Hasan", "primary")]))
    >>> index_from_parts(parts.__getitem__).name_tokens[0]
    (0, 1)
    """
    idx = CandidateIndex.__new__(CandidateIndex)
    for name in ARRAYS:
        setattr(idx, name, get(name))
    idx.name_text = Strings(get("name_text"), get("name_text.at"))  # type: ignore[assignment]
    idx.name_kind = _interned(get("name_kind"))
    for name, width in NAME_ROWS.items():
        setattr(idx, name, Rows(Csr(get(f"{name}.start"), get(f"{name}.flat")), width))
    idx.name_surname = get("name_surname").tolist()
    raw = Strings(get("name_raw.flat"), get("name_raw.flat.at"))
    idx.name_raw = Rows(Csr(get("name_raw.start"), _NO_FLAT), values=raw)  # type: ignore[assignment]
    # Python ints made on access (an int object for each of 60,000 names would cost 2 MB).
    idx.name_entry = array("q", idx.name_entry_arr.tobytes())  # type: ignore[assignment]
    idx.name_count = len(idx.name_entry)
    idx.postings = Csr(get("postings.start"), get("postings.flat"))
    folded = get("vocab.folded")
    keys = Strings(get("vocab.keys.flat"), get("vocab.keys.flat.at"))
    idx.vocab = Vocabulary(
        folded=folded,
        raw=Strings(get("vocab.raw"), get("vocab.raw.at")),  # type: ignore[arg-type]
        origin=[_ORIGINS[o] for o in get("vocab.origin").tolist()],
        role=_interned(get("vocab.role")),
        keys=Rows(Csr(get("vocab.keys.start"), _NO_FLAT), values=keys),  # type: ignore[arg-type]
        # Only the build reads the list; the index weighs tokens with its array.
        weight=idx.token_weight,  # type: ignore[arg-type]
    )

    idx.table = _table_from(TokenTable, "table.", get, folded)
    idx._key_slot = KeyTable(
        Strings(get("key_slots"), get("key_slots.at")),
        get("key_slots.hashes"),
        get("key_slots.order"),
    )
    idx._by_first = {k: np.asarray(v, dtype=np.int32) for k, v in get("by_first").items()}
    idx._initials = {k: np.asarray(v, dtype=np.int32) for k, v in get("initials").items()}
    idx._spellings = Strings(get("spellings"), get("spellings.at"))  # type: ignore[assignment]
    idx.legal_words = LegalWords(
        get("legal_words"),
        idx.listed_spelling,
        (get("legal_words.hashes"), get("legal_words.tids")),
    )
    idx._typos = TypoIndex.from_arrays(folded, get("typos.hashes"), get("typos.tids"))
    idx._spelled_typos = TypoIndex.from_arrays(
        idx._spellings, get("spelled.hashes"), get("spelled.tids")
    )
    idx._nb_slot = KeyTable(
        Strings(get("nb_slots"), get("nb_slots.at")), get("nb_slots.hashes"), get("nb_slots.order")
    )
    idx._sim_cache = {}
    idx._cache_bytes = 0
    return idx
