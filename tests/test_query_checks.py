"""Arguments that used to be ignored or crash, and secondary data that used to hide exact name
matches (issue 13, items 6, 7, 8, 9, 13, 14, 16, 20)."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sanctions_screen
import sanctions_screen as ss
from sanctions_screen import caches as caches_module
from sanctions_screen.index import candidates
from sanctions_screen.scoring.qualifiers import birth_date_text, parse_kind

NAME = "Hussein Falih Aziz"  # us_ofac_sdn:27994 in the bundled sample, born 1969


# -- item 6: impossible and unparsed dates ----------------------------------------------------------


@pytest.mark.parametrize("bad", ["1969-13-45", "1969-02-30", "20/06/1969", "June 1969", "69"])
def test_impossible_or_unreadable_date_is_an_error_not_a_contradiction(bad):
    with pytest.raises(ValueError, match="birth_date"):
        ss.screen(NAME, birth_date=bad)


@pytest.mark.parametrize(
    ("given", "read"),
    [
        (dt.date(1969, 6, 20), "1969-06-20"),
        (dt.datetime(1969, 6, 20, 8, 30), "1969-06-20"),
        ("1969-06-20T00:00", "1969-06-20"),
        ("1969-06-20T00:00:00+03:00", "1969-06-20"),
        ("19690620", "1969-06-20"),
        (" 1969-06 ", "1969-06"),
        ("~1969", "~1969"),
        ("1965/1970", "1965/1970"),
    ],
)
def test_documented_date_forms_are_read(given, read):
    assert birth_date_text(given) == read
    result = ss.screen(NAME, birth_date=given)
    assert result.options.birth_date == read
    assert result.hits and not result.hits[0].contradictions


@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_every_real_date_round_trips(day):
    assert birth_date_text(day.isoformat()) == day.isoformat() == birth_date_text(day)


# -- item 7: a contradicting date never hides a name that reaches the threshold --------------------


def test_contradicting_birth_date_keeps_the_name_hit_marked_and_lower():
    plain = ss.screen(NAME).hits[0]
    result = ss.screen(NAME, birth_date="1990-01-01")
    hit = result.hits[0]
    assert hit.entry.id == plain.entry.id == "us_ofac_sdn:27994"
    assert hit.score < plain.score and hit.score < result.threshold
    assert hit.contradictions and "birth date" in hit.contradictions[0]
    assert ss.screen(NAME, birth_date="1990-01-01", secondary="exclude").hits == []


def test_contradicted_hit_sorts_below_an_agreeing_one():
    s = ss.Screener.from_entries(
        [
            ss.Entry(
                list="t",
                source_id="1",
                kind="person",
                names=[ss.Name(full="Ali Hassan")],
                birth_dates=["1950"],
            ),
            ss.Entry(
                list="t",
                source_id="2",
                kind="person",
                names=[ss.Name(full="Ali Hasan")],
                birth_dates=["1980"],
            ),
        ]
    )
    hits = s.screen("Ali Hassan", birth_date="1980").hits
    assert [h.entry.id for h in hits] == ["t:2", "t:1"]
    assert hits[1].contradictions and not hits[0].contradictions


def test_batch_with_differing_dates_misses_no_planted_name(sdn2021_screener):
    # The batch: planted listed names whose customer dates differ from the list's.
    planted = ["Qasem Soleimani", "Usama bin Ladin", "Ayman al-Zawahiri", "Abu Mahdi al-Muhandis"]
    for name in planted:
        plain = sdn2021_screener.screen(name).hits
        dated = sdn2021_screener.screen(name, birth_date="2001-01-01").hits
        kept = {h.entry.id: h for h in dated}
        assert plain and plain[0].entry.id in kept, name
        assert kept[plain[0].entry.id].contradictions


# -- item 8: country codes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "country", ["Iran", "IR", "IRN", "iran", "Iranian", "Iran, Islamic Republic of"]
)
def test_country_codes_and_names_mean_the_same_country(sdn2021_screener, country):
    hits = sdn2021_screener.screen("Qasem Soleimani Ali", nationality=country, threshold=0.8).hits
    assert hits and hits[0].entry.id == "us_ofac_sdn:10481"
    assert not hits[0].contradictions


def test_a_different_country_contradicts_and_an_unknown_one_is_an_error():
    hit = ss.screen(NAME, nationality="FR").hits[0]
    assert hit.contradictions and "nationality differs" in hit.contradictions[0]
    with pytest.raises(ValueError, match="nationality 'Atlantis' is not a country"):
        ss.screen(NAME, nationality="Atlantis")


# -- item 9: nothing to screen ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["😀😀", "???", "-", "...", "()"])
def test_name_with_nothing_to_screen_is_an_error(name):
    with pytest.raises(ValueError, match="nothing to screen"):
        ss.screen(name)


# -- item 13: the true hit count --------------------------------------------------------------------


def test_hit_count_is_not_capped_by_limit(sdn2021_screener):
    full = sdn2021_screener.screen("Muhammad Ali", threshold=0.6, limit=1000)
    cut = sdn2021_screener.screen("Muhammad Ali", threshold=0.6, limit=10)
    assert full.hit_count == len(full.hits) > 10 and not full.truncated
    assert cut.hit_count == full.hit_count and len(cut.hits) == 10 and cut.truncated
    assert cut.hits == full.hits[:10]


# -- item 14: every argument checked up front -------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"nationality": 123}, "nationality"),
        ({"birth_date": 1969}, "birth_date"),
        ({"limit": 2.5}, "limit"),
        ({"limit": "3"}, "limit"),
        ({"limit": True}, "limit"),
        ({"threshold": "0.9"}, "threshold"),
        ({"threshold": float("nan")}, "threshold"),
        ({"kind": 5}, "kind"),
        ({"secondary": "drop"}, "secondary"),
    ],
)
@pytest.mark.parametrize("name", [NAME, "Zzyzx Qwerty"])  # with and without candidates
def test_bad_arguments_raise_value_error_naming_them(kwargs, argument, name):
    with pytest.raises(ValueError, match=argument):
        ss.screen(name, **kwargs)
    with pytest.raises(ValueError, match=argument):
        list(ss.default_screener().screen_many([name], **kwargs))


# -- item 20: the publishers' kind spellings --------------------------------------------------------


@pytest.mark.parametrize(
    ("spelling", "kind"),
    [
        ("Individual", "person"),
        ("PERSON", "person"),
        ("Entity", "organization"),
        ("organisation", "organization"),
        ("Ship", "vessel"),
        ("legal_entity", "organization"),
    ],
)
def test_kind_spellings(spelling, kind):
    assert parse_kind(spelling) == kind
    assert ss.screen(NAME, kind=spelling).options.kind == kind


def test_unknown_kind_lists_the_accepted_values():
    with pytest.raises(ValueError, match="individual.*person.*vessel"):
        parse_kind("robot")


# -- item 16: every cache is bounded ----------------------------------------------------------------


def _package_functions():
    for info in pkgutil.walk_packages(sanctions_screen.__path__, "sanctions_screen."):
        if info.name.endswith(("spark", "__main__")):
            continue
        module = importlib.import_module(info.name)
        for _, fn in inspect.getmembers(module, callable):
            if hasattr(fn, "cache_info") and fn.__module__ == module.__name__:
                yield f"{info.name}.{fn.__name__}", fn


def test_every_function_cache_is_bounded():
    caches = dict(_package_functions())
    assert len(caches) >= 10  # the normaliser's and the scorer's caches are found
    unbounded = [name for name, fn in caches.items() if fn.cache_info().maxsize is None]
    assert unbounded == []
    # Each is one of the documented bounds (default_screener and bundled_list hold one object).
    bounds = {1, caches_module.WORD_CACHE, caches_module.NAME_CACHE, caches_module.SMALL_CACHE}
    assert {
        name: fn.cache_info().maxsize
        for name, fn in caches.items()
        if fn.cache_info().maxsize not in bounds
    } == {}


def test_index_token_cache_stays_under_its_byte_cap(sdn2021_screener):
    index = sdn2021_screener.index
    for i in range(3000):
        sdn2021_screener.screen(f"Qx{i:04d}zy Ahmadov")
    assert index._cache_bytes <= candidates.CACHE_BYTES
