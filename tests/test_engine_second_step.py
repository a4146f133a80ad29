"""The engine's second step: typos, readings, organisation names, short and long forms, and the
cross-script defects; each both ways, with the confusers that must stay apart."""

from __future__ import annotations

import pytest

from sanctions_screen import DEFAULT_THRESHOLD, Entry, Name, Screener, compare
from sanctions_screen.names import normalize
from sanctions_screen.names.readings import readings
from sanctions_screen.scoring.typos import typo_edits, typo_similarity


def entry(sid: str, *names: str, kind: str = "person") -> Entry:
    return Entry(
        id=f"t:{sid}", list="t", source_id=sid, kind=kind, names=[Name(full=n) for n in names]
    )


def hit_ids(screener: Screener, query: str, **kw) -> list[str]:
    return [h.entry.id for h in screener.screen(query, **kw).hits]


def assert_meet(a: str, b: str) -> None:
    assert compare(a, b) >= DEFAULT_THRESHOLD, (a, b, compare(a, b))
    assert compare(b, a) >= DEFAULT_THRESHOLD, (b, a, compare(b, a))


# -- typos ----------------------------------------------------------------------------------------

TYPOS = {
    "swap": ("Ayman al-Zawahiri", "Ayman al-Zawahrii"),
    "swap across one letter": ("Ayman al-Zawahiri", "Ayman al-Zawarihi"),
    "drop": ("Sirajuddin Haqqani", "Sirajuddin Haqani"),
    "double": ("Qasem Soleimani", "Qasem Soleimmani"),
    "insertion": ("Abu Bakr al-Baghdadi", "Abu Bakr al-Bahgdadi"),
    "neighbouring key": ("Qasem Soleimani", "Qasem Soleimsni"),
}


@pytest.mark.parametrize("kind", sorted(TYPOS))
def test_each_typo_kind_hits_both_ways(kind):
    listed, typed = TYPOS[kind]
    for a, b in ((listed, typed), (typed, listed)):
        s = Screener.from_entries([entry("1", a), entry("2", "Hassan Ali")])
        assert hit_ids(s, b) == ["t:1"], (kind, a, b)


def test_the_famous_typos_hit_on_the_real_list(sdn2021_screener):
    for query, listed in [
        ("Ayman al-Zawarihi", "us_ofac_sdn:2676"),
        ("Qasem Soleimnai", "us_ofac_sdn:10481"),
        ("Abu Bakr al-Bahgdadi", "us_ofac_sdn:12926"),
        ("Sirajuddin Haqqnai", "us_ofac_sdn:10743"),
    ]:
        hits = sdn2021_screener.screen(query).hits
        assert hits and hits[0].entry.id == listed, query
        assert "typo" in [m.kind for m in hits[0].explanation.matches], query


def test_typo_distance_rules():
    assert typo_edits("zawahiri", "zawarihi") == 1  # two letters traded across one
    assert typo_edits("hakani", "haknai") == 1
    # Two edits only for tokens of nine letters or more.
    assert typo_edits("intrenasional", "international") == 2
    assert typo_edits("sulaimani", "sulemani") == 2
    assert typo_edits("zawahiri", "zawhairy") == 0
    # Tokens of three letters or fewer get no typo credit.
    assert typo_edits("amr", "amir") == typo_edits("ali", "adi") == 0


def test_a_typo_scores_below_a_known_romanisation_of_the_same_length():
    # Husayn / Hussein fold alike; Yusuf / Yousef is a spelling variant; Yusif / Yusuf a vowel,
    # Yusuf / Yudsf a slip: one letter each, the slip counts least.
    variant = compare("Yusuf", "Yusif")
    typo = compare("Yusuf", "Yusfu")
    assert 0 < typo < variant < 1.0
    explanation = (
        Screener.from_entries([entry("1", "Yusuf Haqqani")]).screen("Yusuf Haqqnai").hits[0]
    ).explanation
    assert sorted(m.kind for m in explanation.matches) == ["exact", "typo"]


def test_typos_in_arabic_script_one_letter():
    s = Screener.from_entries([entry("1", "سراج الدين حقاني"), entry("2", "محمد رضا")])
    assert hit_ids(s, "سراج الدين حقانى") == ["t:1"]  # ى for ي: already one letter
    assert hit_ids(s, "سراج الدين حقلني") == ["t:1"]  # a slip: ل for ا
    # A final long ī is another name, not a slip (Mohammadi محمدی is not Mohammad محمد).
    assert typo_similarity("mhmdy", "mhmd", arabic=True) == 0.0
    assert compare("محمدی", "محمد") == 0.0


def test_a_typo_alone_in_a_common_short_name_does_not_hit():
    s = Screener.from_entries([entry("1", "Amir Hassan"), entry("2", "Rami Ali")])
    assert hit_ids(s, "Amin Hassan") == [] or compare("Amin Hassan", "Amir Hassan") < 0.95
    assert hit_ids(s, "Adi Ali") == []  # three letters: no typo credit


# -- readings -------------------------------------------------------------------------------------

READINGS = [
    ("Haitham", "Heysem"),  # th said s
    ("Thabit", "Sabit"),
    ("Kawthar", "Kowsar"),
    ("Athar", "Asar"),
    ("Uthman", "Osman"),
    ("Hussein", "Khusein"),  # Russian kh for ح
    ("Hajji", "Khadzhi"),  # (a title before a name: met as a name alone)
    ("Khan", "Han"),  # Turkish h for kh
    ("Jamal", "Cemal"),  # Turkish c for j
    ("Jafar", "Cafer"),
    ("Khalid", "Chalid"),  # German ch for kh
]


@pytest.mark.parametrize(("a", "b"), READINGS)
def test_each_reading_meets_both_ways(a, b):
    assert_meet(a, b)
    if a == "Hajji":
        return
    s = Screener.from_entries([entry("1", f"{a} Tikriti"), entry("2", "Zayd Tikriti")])
    assert hit_ids(s, f"{b} Tikriti") == ["t:1"]
    s = Screener.from_entries([entry("1", f"{b} Tikriti"), entry("2", "Zayd Tikriti")])
    assert hit_ids(s, f"{a} Tikriti") == ["t:1"]


def test_readings_apply_only_where_the_letters_are():
    # A romanised th may be s; an s is never a th; an h is never a kh; a j never a c.
    assert readings("sabit") == readings("halid") == readings("jamal") == ()
    assert readings("thabit") == ("sabit",)
    # A c before a consonant is no Turkish j, and a reading is never a person's own spelling.
    assert "jemal" in readings("cemal") and all("j" not in r for r in readings("mecbur"))
    # ...so names with neither letter stay apart.
    assert compare("Sabit", "Tabit") < DEFAULT_THRESHOLD
    assert compare("Hasan", "Kasan") < DEFAULT_THRESHOLD


# -- organisation names ---------------------------------------------------------------------------

LEGAL_FORMS = [
    ("Rosneft Trading S.A.", "Rosneft Trading Societe Anonyme"),
    ("Samsung Electronics Co., Ltd.", "Samsung Electronics Company Limited"),
    ("Nestle S.A.", "Nestle Societe Anonyme"),
    ("Acme Widgets LLC", "Acme Widgets Limited Liability Company"),
    ("OOO Romashka", "Obshchestvo s Ogranichennoy Otvetstvennostyu Romashka"),
    ("Vektor AG", "Vektor Aktiengesellschaft"),
    ("Granit S.A.", "Granit Sociedad Anonima"),
    ("Kometa Ltd", "Kometa Limited"),
    ("Kometa Trading Co", "Kometa Trading Company"),
    ("Mahan Air", "Mahan Airlines"),
    ("Orion Shipping", "Orion Shipping Ltd"),  # a legal form left out
]


@pytest.mark.parametrize(("listed", "query"), LEGAL_FORMS)
def test_legal_forms_written_out_abbreviated_or_left_out_meet(listed, query):
    s = Screener.from_entries(
        [entry("1", listed, kind="organization"), entry("2", "Zenith Holding", kind="organization")]
    )
    assert hit_ids(s, query) == ["t:1"]
    assert hit_ids(s, query, kind="organization") == ["t:1"]
    s = Screener.from_entries([entry("1", query, kind="organization")])
    assert hit_ids(s, listed) == ["t:1"]


def test_generic_words_and_legal_forms_never_hit_alone():
    s = Screener.from_entries(
        [
            entry("1", "First Republic Bank", kind="organization"),
            entry("2", "Zenith Trading Company Limited", kind="organization"),
            entry("3", "Alpha Beta LLC", kind="organization"),
            entry("4", "General Trading International Group Holding", kind="organization"),
        ]
    )
    assert hit_ids(s, "First National Bank") == []
    assert hit_ids(s, "Acme Trading Company Limited") == []
    assert hit_ids(s, "A.B. LLC") == []  # initials and a legal form
    assert hit_ids(s, "Orion General Trading Holding") == []
    # ...while a name of generic words alone still meets itself.
    assert hit_ids(s, "First Republic Bank") == ["t:1"]
    assert hit_ids(s, "General Trading International Group Holding Co") == ["t:4"]


LEGAL_WORD_TYPOS = [
    ("Maketir Limited Liability Company", "Maketir Limited Liabilty Compnay"),
    ("OOO Romashka", "Obshchestvo s Ogranichenoy Otvetstvennostyu Romashka"),
    ("Kazan Compressor Plant Joint Stock Company", "Kazan Compressor Plant Joint Stokc Company"),
    ("Perm Powder Plant Federal State Enterprise", "Perm Powder Plant Federal State Enterprie"),
]


@pytest.mark.parametrize(("listed", "query"), LEGAL_WORD_TYPOS)
def test_a_typo_in_a_legal_form_word_still_reads_the_legal_form(listed, query):
    # The words are put right toward the words the loaded lists write legal forms with: the
    # list below writes them out, and its other entry only adds them to the vocabulary.
    s = Screener.from_entries(
        [
            entry("1", listed, kind="organization"),
            entry("2", "Orion Limited Liability Company", kind="organization"),
            entry("3", "Obshchestvo s Ogranichennoy Otvetstvennostyu Vega", kind="organization"),
            entry("4", "Vega Joint Stock Company", kind="organization"),
            entry("5", "Vega Federal State Enterprise", kind="organization"),
        ]
    )
    for kind in (None, "organization"):
        result = s.screen(query, kind=kind)
        assert [h.entry.id for h in result.hits] == ["t:1"], (query, kind)
        assert result.hits[0].score >= DEFAULT_THRESHOLD
    # Without the correction, the typo'd word weighs as a name word that meets nothing.
    assert compare(listed, query) < s.screen(query).hits[0].score


def test_legal_word_typos_leave_persons_and_listed_words_alone():
    s = Screener.from_entries(
        [
            entry("1", "Police Department Limited", kind="organization"),
            entry("2", "PONCE FELIX, Martin Humberto"),
            entry("3", "Compnay Holdings Limited", kind="organization"),  # a listed spelling
        ]
    )
    words = s.index.legal_words
    # A person's name, or one with no other organisation word, is never read into one.
    assert [t.raw for t in words.correct("Polnce Felix, Martin Humberto", None).tokens] == [
        t.raw for t in normalize("Polnce Felix, Martin Humberto").tokens
    ]
    assert words.correct("Martin Limitd", "person") == normalize("Martin Limitd", "person")
    # A word a listed name is written with stays as written.
    assert "compnay" in [t.raw for t in words.correct("Compnay Holdings Ltd", None).tokens]
    assert hit_ids(s, "Compnay Holdings Ltd") == ["t:3"]


def test_legal_forms_written_with_dotted_letters_read_whole():
    # S.A. de C.V. is one legal form (Mexican companies fill pages of the OFAC list): its letters
    # are joined as written (cv, not the folded kw), so the legal form reads whole, and a query
    # that writes it otherwise, or leaves it out, meets the name with nothing left over.
    tokens = normalize("LABORATORIOS WILLMAR, S.A. DE C.V.", "organization").tokens
    assert [t.role for t in tokens].count("legal") == 1
    assert "de" not in [t.raw for t in tokens]
    s = Screener.from_entries(
        [entry("1", "LABORATORIOS WILLMAR, S.A. DE C.V.", kind="organization")]
    )
    for q in ("Laboratorios Willmar S.A. de C.V.", "Laboratorios Willmar SA de CV"):
        assert s.screen(q).hits[0].score >= 0.95, q
    assert hit_ids(s, "Laboratorios Willmar") == ["t:1"]


def test_a_surname_a_legal_form_table_holds_still_hits_a_person():
    # Saad (سعد) is also S.A.D. in the legal-form table, Ko a KO: a name of unknown kind is read
    # both ways, the person reading meeting listed persons only.
    s = Screener.from_entries(
        [
            entry("1", "SAD, Isam Ahmad"),
            entry("2", "KO, Il-hwan"),
            entry("3", "Acme Trading S.A.D.", kind="organization"),
        ]
    )
    for q in ("SAAD, Issam Ahmad", "Issam Ahmad Saad", "Ko Il Hwan"):
        hits = s.screen(q).hits
        assert [h.entry.id for h in hits][:1] in (["t:1"], ["t:2"]), q
        assert hits[0].score >= 0.95, q
    assert hit_ids(s, "Acme Trading SAD") == ["t:3"]
    assert hit_ids(s, "Issam Ahmad Saad", kind="organization") == []
    assert hit_ids(s, "Hussein Saad") == []


def test_initialisms_and_numbers_meet():
    s = Screener.from_entries(
        [
            entry("1", "IBM", kind="organization"),
            entry("2", "Battalion 101", kind="organization"),
            entry("3", "Second Martyrs Brigade", kind="organization"),
        ]
    )
    for q in ("I.B.M.", "I B M", "I-B-M"):
        assert hit_ids(s, q) == ["t:1"], q
    assert hit_ids(s, "Battalion One Hundred One") == ["t:2"]
    assert hit_ids(s, "2nd Martyrs Brigade") == ["t:3"]
    assert hit_ids(s, "Battalion 102") == []


def test_glued_and_split_organisation_words_meet():
    s = Screener.from_entries([entry("1", "JSC ARGUMENT", kind="organization")])
    assert hit_ids(s, "JSCARGUMENT") == ["t:1"]
    s = Screener.from_entries([entry("1", "JSCARGUMENT", kind="organization")])
    assert hit_ids(s, "JSC ARGUMENT") == ["t:1"]


def test_person_names_keep_person_rules():
    # Ag Ghali is a Tuareg name, not Aktiengesellschaft; As-Sadr an article and a name.
    tokens = normalize("AG GHALI, Iyad", "person").tokens
    assert [t.role for t in tokens] == ["name", "name", "name"]
    assert [t.role for t in normalize("Iyad Ag Ghali").tokens] == ["name", "name", "name"]
    assert normalize("as-Sadr").folded == "sadr"
    # An organisation's name reads its legal form; an unknown kind at either end.
    assert normalize("Ag Ghali", "organization").tokens[0].role == "legal"
    assert normalize("Acme GmbH").tokens[-1].role == "legal"
    # J. R. Smith stays two initials for a person or an unknown kind.
    assert normalize("J. R. Smith").folded == "j r smit"
    s = Screener.from_entries([entry("1", "AG GHALI, Iyad")])
    assert hit_ids(s, "Iyad Ag Ghali", kind="person") == ["t:1"]
    assert hit_ids(s, "Iyad Ag Ghali") == ["t:1"]


# -- short and long forms -------------------------------------------------------------------------


def test_short_and_long_forms_hit_at_the_default_threshold():
    s = Screener.from_entries(
        [
            entry("1", "AL-AMIRI, Adnan Talib Hassim"),
            entry("2", "SALEHI, Ali Akbar"),
            entry("3", "PETROV, Ivan"),
            entry("4", "Hussein Ali"),
        ]
    )
    assert hit_ids(s, "Adnan al-Amiri") == ["t:1"]
    assert hit_ids(s, "Ali Salehi") == ["t:2"]
    assert hit_ids(s, "Ivan Sergeyevich Petrov") == ["t:3"]  # a middle name added
    explanation = s.screen("Adnan al-Amiri").hits[0].explanation
    assert explanation.unmatched_listed == ["talib", "hassim"]


def test_common_names_stay_safe():
    s = Screener.from_entries(
        [
            entry("1", "Muhammad Hussein Ali al-Tikriti"),
            entry("2", "Muhammad Ahmad Ali"),
            entry("3", "John Michael Smith"),
        ]
    )
    assert hit_ids(s, "Muhammad Ali") == []
    assert hit_ids(s, "Hussein Ali") == []
    # Two common names are no short form: John Smith scores as it did before short forms.
    assert (
        s.screen("John Smith", threshold=0.5).hits[0].score
        < s.screen("John M. Smith", threshold=0.5).hits[0].score
    )


# -- cross-script defects -------------------------------------------------------------------------


def test_a_long_u_written_in_latin_needs_its_waw():
    assert compare("محمد", "Mahmud") == compare("Mahmud", "محمد") == 0.0
    assert compare("Muhammad", "Mahmud") == 0.0
    assert compare("محمود", "Mahmud") >= DEFAULT_THRESHOLD
    assert compare("منصور", "Mansur") >= DEFAULT_THRESHOLD
    assert compare("محمد", "Muhammad") >= DEFAULT_THRESHOLD
    s = Screener.from_entries([entry("1", "ASHTARI, Mahmud", "ASHTARI, Mahmoud")])
    assert hit_ids(s, "محمد اشتری") == []


def test_explanations_quote_the_matched_name_not_another_spelling():
    s = Screener.from_entries(
        [
            entry("1", "SUN, Li"),
            entry("2", "YU, Son"),
            entry("3", "MAHMOUD, Ahmad", "ASHTARI, Mahmud"),
        ]
    )
    hit = s.screen("瑜 孙", threshold=0.5).hits
    listed = {m.listed for h in hit if h.entry.id == "t:2" for m in h.explanation.matches}
    assert "son" in listed and "sun" not in listed
    hit = s.screen("Mahmud Ashtari").hits[0]
    assert hit.entry.id == "t:3"
    assert {m.listed for m in hit.explanation.matches} == {"mahmud", "ashtari"}
