"""What a screen is asked: one request's name and qualifiers, and the options of a screen, each
checked before any work, so a bad argument is a `ValueError` naming it, never a crash later.
"""

from __future__ import annotations

from typing import Literal, NamedTuple, get_args

from .models import EntryKind
from .scoring.qualifiers import birth_date_text, nationality_text, parse_kind

MAX_NAME_LENGTH = 1000
# What a contradicting birth date or nationality does to a hit whose name alone reaches the
# threshold: "keep" it, scored lower and marked (the default: a miss is a breach, an alert with a
# contradicting date is cleared in seconds), or "exclude" it.
Secondary = Literal["keep", "exclude"]
SECONDARY: tuple[str, ...] = get_args(Secondary)


class Request(NamedTuple):
    """One name to screen, with its qualifiers as given (see `Screener.screen`)."""

    name: object
    kind: object = None
    birth_date: object = None
    nationality: object = None
    subject_id: object = None


class Query(NamedTuple):
    """A request, checked: the stripped name and the qualifiers in the forms the scorer reads."""

    name: str
    kind: EntryKind | None
    birth_date: str | None
    nationality: str | None
    subject_id: str | None = None


def check_subject_id(value: object) -> str | None:
    """A subject's (customer's) id: None, or a non-empty string (a whole number is read as text).

    >>> check_subject_id(" C-17 "), check_subject_id(42)
    ('C-17', '42')
    """
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"a subject id must be a non-empty string, got {value!r}")
    return value.strip()


def check_name(name: object) -> str:
    """The name to screen, or ValueError when it is not a non-empty string of sane length.

    >>> check_name("  Ali  ")
    'Ali'
    """
    if not isinstance(name, str):
        raise ValueError(f"a name must be a string, not {type(name).__name__}")
    stripped = name.strip()
    if not stripped:
        raise ValueError("a name must not be empty or whitespace")
    if len(stripped) > MAX_NAME_LENGTH:
        raise ValueError(
            f"a name must be at most {MAX_NAME_LENGTH} characters, got {len(stripped)}"
        )
    return stripped


def check_request(req: Request) -> Query:
    """A request's every argument checked; ValueError naming the first bad one.

    >>> check_request(Request("Ali", "Individual", "1969-06-20T00:00", "IR"))
    Query(name='Ali', kind='person', birth_date='1969-06-20', nationality='IR', subject_id=None)
    """
    return Query(
        check_name(req.name),
        parse_kind(req.kind),
        None if req.birth_date is None else birth_date_text(req.birth_date),
        None if req.nationality is None else nationality_text(req.nationality),
        check_subject_id(req.subject_id),
    )


def check_limit(limit: object) -> int:
    """The most hits to return: a whole number of at least 1.

    >>> check_limit(3)
    3
    """
    if isinstance(limit, bool) or not isinstance(limit, int):
        raise ValueError(f"limit must be a whole number, got {limit!r}")
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    return limit


def check_threshold(value: object) -> float:
    """A score threshold: a number in [0, 1].

    >>> check_threshold(1)
    1.0
    """
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ValueError(f"threshold must be a number in [0, 1], got {value!r}")
    return float(value)


def check_secondary(value: object) -> Secondary:
    """The policy for hits that secondary data contradicts: "keep" or "exclude".

    >>> check_secondary("exclude")
    'exclude'
    """
    if value == "keep":
        return "keep"
    if value == "exclude":
        return "exclude"
    raise ValueError(f"secondary must be one of {', '.join(SECONDARY)}, got {value!r}")
