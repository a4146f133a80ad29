"""The screening engine: index against exhaustive scoring, the seed cases on the real 2021 SDN set,
qualifiers, rarity weighting, explanations, and invariants."""

from __future__ import annotations

import gc
import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from name_strategies import NAMES, listed_entries

from sanctions_screen import DEFAULT_THRESHOLD, Entry, Name, Screener, compare
from sanctions_screen.index.candidates import BATCH_QUERIES, query_tokens
from sanctions_screen.names import normalize, phonetic_keys
from sanctions_screen.names.origin import Origin
from sanctions_screen.scoring.qualifiers import birth_date_factor, parse_date
from sanctions_screen.screener import SETTLE_NAMES

SEED = "us_ofac_sdn:27994"


def person(sid: str, *names: str, **kw) -> Entry:
    return Entry(
        id=f"t:{sid}",
        list="t",
        source_id=sid,
        kind=kw.pop("kind", "person"),
        names=[Name(full=n) for n in names],
        **kw,
    )


@pytest.fixture(scope="module")
def small() -> Screener:
    return Screener.from_entries(
        [
            person(
                "1",
                "AL-LAMI, Hussein Falah",
                "AZIZ, Hussein Faleh",
                birth_dates=["1969-06-20"],
                nationalities=["Iraq"],
            ),
            person("2", "Muhammad Khalil al-Tamimi"),
            person("3", "Abu Bakr al-Baghdadi"),
            person("4", "Zainab Qadhafi", birth_dates=["1960/1965"]),
            person("5", "Qasim Sulaymani", birth_dates=["~1957"]),
            person("6", "Falah Lami Trading", kind="vessel"),
        ],
        list_name="t",
    )


@pytest.mark.parametrize(
    "query",
    [
        "Hussein Falih Aziz",
        "Abu Zainab al-Lami",
        "Husayn Falih 'Aziz al-Lami",
        "حسين فالح عزيز اللامي",
    ],
)
def test_seed_cases_on_real_2021_sdn(sdn2021_screener, query):
    result = sdn2021_screener.screen(query)
    assert result.hits and result.hits[0].entry.id == SEED, [
        (h.entry.id, h.score) for h in result.hits[:3]
    ]
    assert result.hits[0].score >= DEFAULT_THRESHOLD


@pytest.mark.parametrize("query", ["Hussein Ali", "Ali Hussein"])
def test_common_names_do_not_hit_seed(sdn2021_screener, query):
    assert SEED not in {h.entry.id for h in sdn2021_screener.screen(query).hits}


QUERIES = [
    "Hussein Falih Aziz",
    "Abu Zainab al-Lami",
    "Usama bin Ladin",
    "Muammar Gaddafi",
    "Qasem Soleimani",
    "Mohammed Ali",
    "Ayman Zawahiri",
    "John Smith",
    "Banco Nacional de Cuba",
    "حسن نصر الله",
    "M. Qadhafi",
    "Abdul Rahman Yasin",
    "Maria Garcia",
    "Ali Hassan al-Majid",
    "Hamza bin Laden",
]


def test_index_equals_exhaustive(sdn2021):
    indexed = Screener(sdn2021)
    exhaustive = Screener(sdn2021, exhaustive=True)
    for q in QUERIES:
        for t in (DEFAULT_THRESHOLD, 0.6):
            a = indexed.screen(q, threshold=t, limit=50)
            b = exhaustive.screen(q, threshold=t, limit=50)
            assert a.hits == b.hits, q


def _respelled(names: list[str], n: int) -> list[str]:
    """`n` listed names, every other one with a vowel changed (seeded): near misses and hits."""
    rnd = random.Random(5)
    out = []
    for i in range(n):
        name = rnd.choice(names)
        if i % 2 and len(name) > 4:
            k = rnd.randrange(len(name))
            name = name[:k] + rnd.choice("aeiouy") + name[k + 1 :]
        out.append(name)
    return out


def test_batched_screens_equal_exhaustive(sdn2021):
    # screen_many searches candidates for many queries in one array pass, by query length, in
    # passes of at most BATCH_QUERIES; with more queries than that of one length, of mixed
    # lengths, and common words (whose entries most need pruning), it must lose no hit. An eighth
    # of the list keeps exhaustive scoring quick.
    part = sdn2021.model_copy(update={"entries": sdn2021.entries[::8]})
    names = [n.full for e in part.entries for n in e.names]
    queries = QUERIES + _respelled(names, 5 * BATCH_QUERIES) + ["Mohammed Ali Hassan"] * 3
    lengths = Counter(len(query_tokens(normalize(q))[0]) for q in queries)
    assert max(lengths.values()) > BATCH_QUERIES and len(lengths) > 3
    indexed = Screener(part)
    exhaustive = Screener(part, exhaustive=True)
    got = [r.hits for r in indexed.screen_many(queries, threshold=0.7, limit=50)]
    assert got == [exhaustive.screen(q, threshold=0.7, limit=50).hits for q in queries]
    assert sum(map(len, got)) > len(queries) / 2  # not vacuous


@settings(max_examples=200, deadline=None)
@given(
    listed_entries(8),
    st.lists(NAMES, min_size=1, max_size=6),
    st.sampled_from([0.5, 0.7, DEFAULT_THRESHOLD]),
)
def test_index_equals_exhaustive_on_any_names(entries, queries, threshold):
    # Names built from a few shared words (glued and apart, initials, both scripts, typos,
    # readings, organisation words) so that the pruning (required units, entries too few units
    # reach, initials at one letter's worth, credit from other names, short forms) is exercised
    # on many near candidates: it must never lose a hit.
    listed = [person(str(i), *names, kind=kind) for i, (names, kind) in enumerate(entries)]
    indexed = Screener.from_entries(listed)
    exhaustive = Screener.from_entries(listed, exhaustive=True)
    got = [r.hits for r in indexed.screen_many(queries, threshold=threshold, limit=50)]
    assert got == [exhaustive.screen(q, threshold=threshold, limit=50).hits for q in queries]


def test_words_of_different_entries_make_no_candidate():
    # Neither word alone can reach the threshold, and no entry has both: the pass that counts the
    # units reaching each entry leaves nothing, for one query and for a batch.
    s = Screener.from_entries([person("1", "John Smith"), person("2", "Mary Jones")])
    assert s.screen("John Jones").hits == []
    assert [r.hits for r in s.screen_many(["John Jones", "Mary Jones"])][0] == []
    assert s.screen("John Jones", threshold=0.3).hits  # each entry is one word away


def test_a_word_meeting_listed_initials_makes_no_candidates():
    # Every name below has the initial S, which the query word Stirer begins with. The alignment
    # counts an initial as one letter's worth; the bound must too, or each of these names is
    # aligned exactly (they were, at 7 ms for the query).
    words = ["ROMASHKA", "VEKTOR", "ALMAZ", "GRANIT", "KOMETA", "ZARYA", "ORION", "RUBIN"]
    entries = [
        person(str(i), f"OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU {w}", kind="organization")
        for i, w in enumerate(words)
    ]
    s = Screener.from_entries(entries)
    query = "OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU STIRER"
    found = s.index.candidates(*query_tokens(normalize(query)), DEFAULT_THRESHOLD)
    assert len(found.names) == 0
    exhaustive = Screener.from_entries(entries, exhaustive=True)
    for t in (DEFAULT_THRESHOLD, 0.3):
        assert s.screen(query, threshold=t).hits == exhaustive.screen(query, threshold=t).hits
    # Their legal form is all they share, and a legal form alone never hits (names.orgs).
    assert not s.screen(query, threshold=0.3).hits


def test_candidates_of_a_batch_equal_candidates_one_by_one(sdn2021):
    index = Screener(sdn2021).index
    names = [n.full for e in sdn2021.entries for n in e.names]
    queries = [query_tokens(normalize(q)) for q in QUERIES + _respelled(names, 100)]
    floors = [0.6 + 0.3 * (i % 2) for i in range(len(queries))]
    batch = index.candidates_many(queries, floors)
    assert sum(len(c.names) for c in batch) > len(queries)
    for (qtoks, qpairs), floor, got in zip(queries, floors, batch, strict=True):
        one = index.candidates(qtoks, qpairs, floor)
        assert got.names.tolist() == one.names.tolist()
        assert got.bounds.tolist() == one.bounds.tolist()
        assert got.q_sims == one.q_sims and got.p_sims == one.p_sims


def test_precomputed_neighbourhoods_equal_computed_similarities(sdn2021):
    # A listed word's similarities come from the neighbourhood built with the index, and so do
    # those of a common name part of the shipped table that no listed name carries; they must be
    # what computing them for that word as a query gives.
    index = Screener(sdn2021).index
    listed = set(index.vocab.folded)
    words = [(slot, key[1:], Origin(int(key[0]))) for slot, key in enumerate(index._nb_slot)][::37]
    assert len(words) > 300
    assert any(folded not in listed for _, folded, _ in words)
    for slot, folded, origin in words:
        keys = phonetic_keys(folded, origin == Origin.ARABIC)
        pre_ids, pre_sims = index._similar(folded, origin, keys, split=0)
        assert index._nb_slot.get(f"{int(origin)}{folded}") == slot
        ids, sims = index._similar(folded, origin, keys, split=0, precomputed=False)
        assert pre_ids.tolist() == ids.tolist(), folded
        assert pre_sims.tolist() == sims.tolist(), folded
        assert len(ids) or folded not in listed, folded  # a word is similar to itself


def test_a_large_index_freezes_what_exists_unless_told_not_to(sdn2021):
    gc.unfreeze()
    big = Screener(sdn2021, freeze_gc=False)
    assert big.index.name_count >= SETTLE_NAMES and gc.get_freeze_count() == 0
    Screener.from_entries([person("1", "Ali Hasan")])  # a small index never freezes
    assert gc.get_freeze_count() == 0
    Screener(sdn2021)
    assert gc.get_freeze_count() > 0
    gc.unfreeze()


def test_kind_mismatch_excludes(small):
    assert "t:6" in {h.entry.id for h in small.screen("Falah Lami Trading").hits}
    assert "t:6" not in {h.entry.id for h in small.screen("Falah Lami Trading", kind="person").hits}
    assert small.screen("Falah Lami Trading", kind="vessel").hits[0].entry.id == "t:6"


def _score(s: Screener, q: str, **kw) -> tuple[float, list[str]]:
    hit = next(h for h in s.screen(q, threshold=0.0, **kw).hits if h.entry.id == "t:1")
    return hit.score, hit.explanation.adjustments


def test_birth_date_qualifier(small):
    q = "Hussein Falah Lami"
    plain, _ = _score(small, q)
    same, why_same = _score(small, q, birth_date="1969-06-20")
    other_day, why_day = _score(small, q, birth_date="1969-02-01")
    near, why_near = _score(small, q, birth_date="1970")
    far, why_far = _score(small, q, birth_date="1990-01-01")
    year_ok, _ = _score(small, q, birth_date="1969")
    assert same >= plain  # a match raises confidence (capped at 1)
    assert far < other_day < near < plain, (far, other_day, near, plain)
    assert plain - near <= 0.1 and plain - far >= 0.3 and plain - other_day >= 0.2
    assert year_ok >= plain
    assert any("birth date matches" in a for a in why_same)
    assert any("differs" in a for a in why_day) and any("within a year" in a for a in why_near)
    assert any("years apart" in a for a in why_far)


def test_partial_dates_understood(small):
    in_range = next(
        h for h in small.screen("Zainab Qadhafi", birth_date="1962").hits if h.entry.id == "t:4"
    )
    out_range = next(
        h
        for h in small.screen("Zainab Qadhafi", birth_date="1990", threshold=0).hits
        if h.entry.id == "t:4"
    )
    assert in_range.score > out_range.score
    circa = next(
        h for h in small.screen("Qasim Sulaymani", birth_date="1959").hits if h.entry.id == "t:5"
    )
    assert any("consistent" in a for a in circa.explanation.adjustments)
    assert parse_date("1960/1965").lo == (1960, 1, 1) and parse_date("~1957").hi == (1959, 12, 31)
    assert birth_date_factor("nonsense", ["1969"]) == (1.0, None)


def test_nationality_qualifier(small):
    q = "Hussein Falah Lami"
    plain, _ = _score(small, q)
    same, why_same = _score(small, q, nationality="Iraq")
    other, why_other = _score(small, q, nationality="France")
    assert same == plain and 0 < plain - other <= 0.1
    assert any("nationality matches" in a for a in why_same) and any(
        "nationality differs" in a for a in why_other
    )


def test_rarity_weighting(small):
    # Sharing only a very common name part (Muhammad, Abu) is not a hit...
    assert not small.screen("Muhammad Hasan").hits
    assert not small.screen("Abu Hamza").hits
    assert not small.screen("Abu Bakr Hassan").hits
    # ...sharing a rare family name and a given name is.
    assert small.screen("Khalil al-Tamimi").hits[0].entry.id == "t:2"
    assert compare("Muhammad Ali", "Muhammad Khalil al-Tamimi") < compare(
        "Khalil Tamimi", "Muhammad Khalil al-Tamimi"
    )


def test_lineage_names_weigh_less_than_the_person_s_own():
    from sanctions_screen.scoring.weights import token_weight

    assert token_weight("awad", "T", "lineage") == 0.5 * token_weight("awad", "T", "name")
    short = Screener.from_entries([person("7", "KAMMOUN, Mehdi")])
    long_form = short.screen("Mehdi Ben Mohamed Ben Ali Kammoun", threshold=0.0).hits[0].score
    extra_given = short.screen("Mehdi Mohamed Ali Kammoun", threshold=0.0).hits[0].score
    assert long_form > extra_given


def test_order_insensitive(small):
    a = small.screen("Falah Hussein al-Lami")
    b = small.screen("al-Lami Hussein Falah")
    assert [(h.entry.id, h.score) for h in a.hits] == [(h.entry.id, h.score) for h in b.hits]


def test_scores_monotone(small):
    exact = small.screen("Hussein Falah al-Lami", threshold=0.0).hits[0].score
    for variant in [
        "Husayn Falah al-Lami",
        "Hussein Faleh Lami",
        "Hussain Falah",
        "H. Falah al-Lami",
    ]:
        got = [h.score for h in small.screen(variant, threshold=0.0).hits if h.entry.id == "t:1"]
        assert not got or got[0] <= exact
    assert exact == 1.0


def test_explanations_name_real_tokens(small):
    hit = small.screen("Husayn Falih 'Aziz al-Lami").hits[0]
    e = hit.explanation
    assert e.matches and all(m.similarity > 0 and m.weight > 0 for m in e.matches)
    queried = {"husayn", "falih", "aziz", "lami"}
    assert {m.query for m in e.matches} <= queried
    listed = {"hussein", "faleh", "aziz", "lami", "falah"}
    assert all(any(tok in m.listed for tok in listed) for m in e.matches)
    assert any("another name" in m.listed for m in e.matches)  # al-Lami comes from the other alias
    assert 0 <= e.name_score <= 1


def test_a_one_word_alias_carries_no_words_of_other_names():
    entry = Entry(
        id="t:9",
        list="t",
        source_id="9",
        kind="person",
        names=[Name(full="RODRIGUEZ OREJUELA, Gilberto Jose"), Name(full="MANUEL", kind="weak")],
    )
    s = Screener.from_entries([entry])
    assert not s.screen("Manuel Rodriguez").hits
    # ...nor lends its word to them: Dulce Moreno is not MORENO, Jose, known as EL DULCE.
    moreno = Screener.from_entries([person("2", "MORENO, Jose", "EL DULCE")])
    assert not moreno.screen("Dulce Moreno").hits
    assert moreno.screen("Jose Moreno").hits
    # A name of two words or more still takes the words another name explains.
    lami = Screener.from_entries([person("1", "AL-LAMI, Hussein Falah", "AZIZ, Hussein Faleh")])
    assert lami.screen("Hussein Falih Aziz al-Lami").hits[0].score >= 0.95


def test_three_matched_tokens_make_unmatched_ones_cost_less():
    listed = "AL-TIKRITI, Kamal Mustafa Sultan Abdallah"
    assert compare("Kamal Mustafa Abdallah", listed) >= DEFAULT_THRESHOLD
    assert compare("Kamal Mustafa", listed) < DEFAULT_THRESHOLD  # two: a common pair of names
    assert compare("Kamal Mustafa Abdallah Hamid", listed) < compare(
        "Kamal Mustafa Abdallah", listed
    )


def test_glued_token_aligns_with_two(small):
    s = Screener.from_entries([person("9", "Abdulrahman Yasin")])
    assert s.screen("Abdul Rahman Yasin").hits[0].score == 1.0
    s2 = Screener.from_entries([person("9", "Zain Abidin Yasin")])
    assert s2.screen("Zainabidin Yasin").hits[0].score >= DEFAULT_THRESHOLD


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.sampled_from(QUERIES + ["Hussein Falah", "Qadhafi", "Abu Bakr", "ياسر عزيز عباس"]),
        max_size=6,
    )
)
def test_screen_many_equals_screen(small, names):
    assert list(small.screen_many(names, threshold=0.5)) == [
        small.screen(n, threshold=0.5) for n in names
    ]


_unrelated = st.text(st.sampled_from("bcdfgjkpvwxyz aeiou"), min_size=3, max_size=20).filter(
    lambda s: s.strip()
)


@settings(max_examples=40, deadline=None)
@given(
    _unrelated,
    st.sampled_from(
        ["Hussein Falah Lami", "Zainab Qadhafi", "Abu Bakr Baghdadi", "Qasim Sulaymani"]
    ),
)
def test_adding_an_entry_never_changes_other_hits(name, query):
    base = [
        person("1", "AL-LAMI, Hussein Falah"),
        person("2", "Zainab Qadhafi"),
        person("3", "Abu Bakr al-Baghdadi"),
        person("4", "Qasim Sulaymani"),
        person("5", "Hussein Lami"),
    ]
    before = Screener.from_entries(base).screen(query, threshold=0.3, limit=50)
    after = Screener.from_entries([*base, person("99", name)]).screen(
        query, threshold=0.3, limit=50
    )
    assert [h for h in after.hits if h.entry.id != "t:99"] == before.hits


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sets(st.integers(0, 30), max_size=8), min_size=1, max_size=6),
    st.integers(1, 6),
    st.integers(1, 6),
)
def test_the_entry_precheck_keeps_every_entry_the_bound_pass_would(units, least, required):
    # A query is sent to the bound pass only when some entry is reached by `least` of its units,
    # one of them among the first `required`: the check must never drop a query the pass keeps.
    import numpy as np

    from sanctions_screen.index.bound import reached_by

    least, required = min(least, len(units)), min(required, len(units))
    expected = any(
        sum(e in u for u in units) >= least and any(e in u for u in units[:required])
        for e in set().union(*units)
    )
    arrays = [np.asarray(sorted(u), dtype=np.int64) for u in units]
    assert reached_by(arrays, least, required) == expected


@settings(max_examples=300, deadline=None)
@given(
    st.floats(0, 20),
    st.floats(0, 20),
    st.floats(0.3, 20),
    st.floats(0.3, 20),
    st.booleans(),
    st.floats(0, 1),
)
def test_bound_formula_equals_exact_formula(mq, mc, tq, tc, strong, share):
    # The index bounds with the vectorised formula, the exact path scores with the scalar one:
    # they must be the same function, or the index could lose hits.
    from sanctions_screen.scoring.align import name_score, name_score_one

    mq, mc = min(mq, tq), min(mc, tc)
    conflict = share * min(tq - mq, tc - mc)
    assert float(name_score(mq, mc, tq, tc, strong, conflict)) == pytest.approx(
        name_score_one(mq, mc, tq, tc, strong, conflict), abs=1e-12
    )


@settings(max_examples=300, deadline=None)
@given(
    st.floats(0.1, 20),
    st.floats(0.1, 20),
    st.floats(0, 1),
    st.floats(0, 1),
    st.floats(0, 1),
    st.floats(0, 1),
)
def test_score_falls_as_the_conflict_grows(tq, tc, sq, sc, a, b):
    # The index bounds with a lower bound of the conflict: that is safe only if the score never
    # rises with it.
    from sanctions_screen.scoring.align import name_score_one

    mq, mc = sq * tq, sc * tc
    low, high = sorted((a, b))
    most = min(tq, tc)
    assert name_score_one(mq, mc, tq, tc, False, low * most) >= name_score_one(
        mq, mc, tq, tc, False, high * most
    )


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1, max_size=40).filter(lambda s: s.strip()))
def test_scores_in_unit_interval(small, text):
    try:
        hits = small.screen(text, threshold=0.0).hits
    except ValueError as exc:
        assert "nothing to screen" in str(exc)
        return
    for h in hits:
        assert 0.0 <= h.score <= 1.0 and 0.0 <= h.explanation.name_score <= 1.0
