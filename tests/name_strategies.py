"""Hypothesis strategies the tests share: names built from a few shared words (glued and apart,
initials, both scripts, typos, readings, organisation words, numbers), so that many listed names
are near one another and near the queries."""

from __future__ import annotations

from hypothesis import strategies as st

WORDS = st.sampled_from(
    ["ali", "hasan", "husain", "abdul", "rahman", "al", "bin", "M.", "S", "lami", "falih", "aziz"]
    + ["abu", "zainab", "muhammad", "kazim", "kadhim", "qasim", "omar", "jasim", "john", "smith"]
    + ["حسين", "كاظم", "عبد الرحمن", "علي", "محمد", "فالح", "abdulrahman", "abuzainab"]
    # Typos (one and two edits, across one letter), readings, organisation words and numbers.
    + ["zawahiri", "zawarihi", "haqqani", "haqqnai", "muhammadi", "mohamad", "internationale"]
    + ["intrenational", "haitham", "heysem", "osman", "uthman", "cemal", "jamal", "khan", "han"]
    + ["trading", "co", "company", "ltd", "limited", "S.A.", "bank", "one", "first", "101"]
    + ["I.B.M.", "ibm", "محمدی", "فالخ"]
)
NAMES = st.lists(WORDS, min_size=1, max_size=4).map(" ".join)


def listed_entries(max_entries: int) -> st.SearchStrategy[list[tuple[list[str], str]]]:
    """Entries as (names, kind): one to `max_entries` of them."""
    return st.lists(
        st.tuples(
            st.lists(NAMES, min_size=1, max_size=3),
            st.sampled_from(["person", "organization", "unknown"]),
        ),
        min_size=1,
        max_size=max_entries,
    )
