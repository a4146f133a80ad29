"""The normaliser: any name string to the tokens the index and the scorer use."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from unidecode import unidecode

from ..caches import NAME_CACHE, WORD_CACHE
from .arabic import romanize
from .fold import fold_arabic, fold_token
from .orgs import join_initials, org_words
from .origin import Origin
from .particles import PARTICLE_WORDS, apply_particles, single_token
from .phonetic import phonetic_keys
from .readings import readings
from .script import SYLLABIC_SCRIPTS, detect_script
from .tables import ARABIC_TITLES, SIDE_TABLE, TITLES

# ʿayn and hamza marks, apostrophes and their look-alikes: deleted, never turned into spaces.
_MARKS = re.compile("['`\u2018\u2019\u201b\u02bb\u02bc\u02be\u02bf\u00b4\u2032\u02c8]")
_ARABIC_RUN = re.compile("([\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]+)")
_SPLIT = re.compile(r"[^a-z0-9]+")


class Token(NamedTuple):
    """One name token: its romanised form, folded form, phonetic keys and role."""

    raw: str
    folded: str
    keys: tuple[str, ...]
    # "name"; "particle" (bin, ibn), kept with a low weight; "lineage" (a name after bin); and in
    # organisation names (see names.orgs) "legal", "generic", "number", and "symbol" (a generic
    # word in a name of unknown kind: weighed as a name, but no evidence of one on its own).
    role: str
    origin: Origin  # see names.origin
    # Other folded forms the romanised spelling may stand for (names.readings): Haitham, haisam.
    readings: tuple[str, ...] = ()


class NormalizedName(NamedTuple):
    """What the normaliser made of one name string."""

    original: str
    tokens: tuple[Token, ...]
    titles: tuple[str, ...]
    script: str | None
    notes: tuple[str, ...]

    @property
    def folded(self) -> str:
        """The folded tokens joined by spaces (the form normalisation is idempotent on)."""
        return " ".join(t.folded for t in self.tokens)


def _prepared(name: str) -> str:
    # The text the tokens are read from: NFKC, ʿayn/hamza marks deleted, surname last.
    return _surname_last(_MARKS.sub("", unicodedata.normalize("NFKC", name)))


def _surname_last(text: str) -> str:
    # Lists write "SURNAME, Given names"; put the given names first so display reads naturally.
    parts = text.split(",")
    if len(parts) == 2 and parts[0].strip() and parts[1].strip():
        return f"{parts[1].strip()} {parts[0].strip()}"
    return text


@lru_cache(maxsize=WORD_CACHE)
def _word_tokens(word: str) -> tuple[tuple[str, Origin], ...]:
    """One non-Arabic word through unidecode, with its origin (syllabic for CJK and kin)."""
    origin = Origin.SYLLABIC if detect_script(word) in SYLLABIC_SCRIPTS else Origin.LATIN
    ascii_text = _MARKS.sub("", unidecode(word.replace("ç", "s").replace("Ç", "S")).lower())
    return tuple((w, origin) for w in _SPLIT.split(ascii_text) if w)


def _raw_tokens(text: str) -> list[tuple[str, Origin]]:
    """Romanised words with their origin: Arabic script through our table, the rest unidecode."""
    out: list[tuple[str, Origin]] = []
    for i, chunk in enumerate(_ARABIC_RUN.split(text)):
        if not chunk:
            continue
        if i % 2:  # the capturing group: an Arabic-script run
            words = romanize(chunk)
            if not out and len(text.split()) > 1 and _SAYYID.match(chunk):
                # A leading Sayyid (سيد) is a title; romanised it reads like Saʿid (سعيد), which
                # is a name, so it is told apart here, in the script.
                words[words.index("sid")] = "sayyid"
            out += [(w, Origin.ARABIC) for w in words]
            continue
        if chunk.isascii():
            out += [(w, Origin.LATIN) for w in _SPLIT.split(chunk.lower()) if w]
            continue
        for word in chunk.split():
            out.extend(_word_tokens(word))
    return out


_ORG_ROLES = frozenset({"legal", "generic", "number", "symbol"})
_SAYYID = re.compile(r"\s*(?:ال)?س[يی]د(?:\s|$)")
_MAX_PASSES = 4


@lru_cache(maxsize=WORD_CACHE)
def _settled(folded: str, origin: Origin) -> bool:
    """Whether another pass would leave this token alone (no rule or fold changes it)."""
    if folded in PARTICLE_WORDS:
        return False
    refolded = fold_arabic(folded) if origin == Origin.ARABIC else fold_token(folded)
    return refolded == folded and single_token(folded) == (folded, ())


def _one_pass(words: list[tuple[str, Origin]]) -> tuple[list[Token], list[str], list[str]]:
    """Particle rules, then folding, over (word, origin) pairs."""
    origins = dict(words)
    # A token a rule joined (abd + rhmn, abd + hk for عبد الحق) is Arabic when its last part was;
    # in a name written all in Arabic script, always. Read as romanised, "abdhk" would lose its h
    # to the digraph dh.
    all_arabic = {origin for _, origin in words} <= {Origin.ARABIC}
    arabic_words = [tok for tok, origin in words if origin == Origin.ARABIC and len(tok) > 1]
    # Which titles to look for depends on the script the name starts in (see ARABIC_TITLES).
    title_words = ARABIC_TITLES if words and words[0][1] == Origin.ARABIC else TITLES
    joined: list[tuple[str, str]]
    titles: list[str]
    notes: list[str]
    if words and all(origin == Origin.SYLLABIC for _, origin in words):
        # A name written in a syllabic script has no Arabic particles: 斌 romanises to "bin", a
        # given name, not the nasab word between a name and the father's.
        joined, titles, notes = [(tok, "name") for tok, _ in words], [], []
    else:
        joined, titles, notes = apply_particles([tok for tok, _ in words], title_words)
    tokens: list[Token] = []
    for tok, role in joined:
        # A joined compound (abd + rhmn) is Arabic when a part of it was.
        origin = origins.get(tok) or (
            Origin.ARABIC
            if all_arabic or any(tok.endswith(w) for w in arabic_words)
            else Origin.LATIN
        )
        folded = fold_arabic(tok) if origin == Origin.ARABIC else fold_token(tok)
        if (
            role == "name"
            and tokens
            and tokens[-1].role == "particle"
            and tokens[-1].folded in ("bin", "bint")
        ):
            role = "lineage"  # the father's or forefather's name after bin: optional in short forms
        if folded:
            arabic = origin == Origin.ARABIC
            # An analyst reads ث as th and ذ ض ظ as dh, not as the letters "x" and "q" that
            # folding keeps them apart with.
            raw = tok.replace("x", "th").replace("q", "dh") if arabic else tok
            alt = readings(tok) if origin == Origin.LATIN and role in ("name", "lineage") else ()
            tokens.append(Token(raw, folded, phonetic_keys(folded, arabic), role, origin, alt))
    return tokens, titles, notes


@lru_cache(maxsize=NAME_CACHE)
def normalize(name: str, kind: str | None = None) -> NormalizedName:
    """Normalise one name: tokens with folded forms and phonetic keys, titles set aside.
    `kind` (an entry kind; None for unknown) decides whether the organisation rules apply
    (`names.orgs`): never for a person, where safe for an unknown kind.

    >>> normalize("AL-LAMI, Husayn Falih 'Aziz").folded
    'husain falih aziz lami'
    >>> normalize("حسين فالح عزيز اللامي").folded
    'hsin falh aziz lami'
    """
    text = _prepared(name)
    script = detect_script(text)
    raw = _initials_joined(_raw_tokens(text), kind)
    words: list[tuple[str, Origin]] = []
    for tok, origin in raw:
        # Romanised spellings only: our letter table writes موحد (Muwahhid) as "muhd" too.
        spelled = None if origin == Origin.ARABIC else SIDE_TABLE.get(tok)
        if spelled is None:
            words.append((tok, origin))
        else:
            words += [(part, origin) for part in spelled.split()]
    first: list[Token] | None = None
    titles: list[str] = []
    notes: list[str] = []
    # Particles and folding run again on their own output until nothing changes (a fold can
    # expose a glued article, say), which makes normalisation idempotent on Latin-script names.
    for _ in range(_MAX_PASSES):
        # Initialisms joined before the particle rules (which read a lone b as bin), in every
        # pass (a particle dropped may leave a name of initials only).
        words = _initials_joined(words, kind)
        tokens, pass_titles, pass_notes = _one_pass(words)
        titles.extend(pass_titles)
        notes.extend(n for n in pass_notes if n not in notes)
        if first is None:
            first = tokens
        again = [(t.folded, t.origin) for t in tokens]
        settled = all(_settled(t.folded, t.origin) for t in tokens)
        if again == words or (settled and _initials_joined(again, kind) == again):
            break
        words = again
    assert first is not None
    if [t.folded for t in first] != [t.folded for t in tokens] and len(first) == len(tokens):
        tokens = [
            t._replace(raw=f.raw, readings=f.readings) for f, t in zip(first, tokens, strict=True)
        ]
    elif len(first) == len(tokens):
        tokens = first
    tokens = _org_rules(tokens, kind)
    return NormalizedName(name, tuple(tokens), tuple(titles), script, tuple(notes))


def warm_up() -> None:
    """Make now the tables the name rules build on first use (`rigour`'s name analyser and its
    legal-form automaton: about 0.1 s), without filling any cache: a process about to fork
    workers calls it so that each worker starts with them, shared.

    >>> warm_up()
    """
    normalize.__wrapped__("Warm-Up Trading Company Limited", "organization")
    normalize.__wrapped__("Warm-Up Trading Ltd", None)


def _initials_joined(words: list[tuple[str, Origin]], kind: str | None) -> list[tuple[str, Origin]]:
    # An initialism (I.B.M.) is one word, for a name all in romanised letters (see names.orgs);
    # folded, and read through the side table like any written word (M D, Md: Muhammad).
    if len(words) < 2 or any(origin != Origin.LATIN for _, origin in words):
        return words
    joined = join_initials([w for w, _ in words], kind)
    if len(joined) == len(words):
        return words
    out: list[tuple[str, Origin]] = []
    for w in joined:
        spelled = SIDE_TABLE.get(fold_token(w)) if len(w) > 1 else None
        out += [(part, Origin.LATIN) for part in (spelled or w).split()]
    return out


def _org_rules(tokens: list[Token], kind: str | None) -> list[Token]:
    """The tokens read by the organisation rules (names.orgs), for a name all in romanised
    letters: legal forms, generic words, numbers and initials take their rules' form and role,
    and are shown as written. Run on the tokens the particle rules leave, so that the rules see
    the same words in a name and in its normalised form."""
    if kind == "person" or not tokens or any(t.origin != Origin.LATIN for t in tokens):
        return tokens
    read = org_words(
        [t.raw for t in tokens],
        kind,
        ["name" if t.role in ("name", "lineage") else t.role for t in tokens],
    )
    same = [
        w.end - w.start == 1 and w.word == tokens[w.start].raw and w.role not in _ORG_ROLES
        for w in read
    ]
    if all(same):
        return tokens
    out: list[Token] = []
    for w, unchanged in zip(read, same, strict=True):
        if unchanged:
            out.append(tokens[w.start])
            continue
        if w.role in ("generic", "symbol"):
            # A generic word keeps its spelling (a typo or a glued word still meets it) and
            # reads as its symbol besides, which its synonyms read as too (Co, Company).
            token = tokens[w.start]
            alt = () if w.word == token.folded else (w.word,)
            out.append(token._replace(role=w.role, readings=alt))
            continue
        folded = w.word if w.role == "number" else fold_token(w.word)
        raw = " ".join(t.raw for t in tokens[w.start : w.end])
        out.append(Token(raw, folded, phonetic_keys(folded), w.role, Origin.LATIN))
    return out


def written_words(norm: NormalizedName) -> tuple[int, ...]:
    """For each token of a normalised name, the written word of the name it came from, where
    the script writes one syllable per character (Chinese 桂花 romanises to "gui hua": one
    word, two tokens); -1 for every other token, and for all when the two cannot be lined up.

    >>> written_words(normalize("桂花 李")), written_words(normalize("Gui Hua Li"))
    ((0, 0, 1), (-1, -1, -1))
    """
    unknown = (-1,) * len(norm.tokens)
    if not any(t.origin == Origin.SYLLABIC for t in norm.tokens):
        return unknown
    text = _prepared(norm.original)
    expected = [
        (syllable, word)
        for word, chunk in enumerate(w for w in text.split() if not w.isascii())
        for syllable, origin in _word_tokens(chunk)
        if origin == Origin.SYLLABIC
    ]
    out: list[int] = []
    at = 0
    for t in norm.tokens:
        if t.origin != Origin.SYLLABIC:
            out.append(-1)
        elif at < len(expected) and expected[at][0] == t.raw:
            out.append(expected[at][1])
            at += 1
        else:
            return unknown
    return tuple(out)
