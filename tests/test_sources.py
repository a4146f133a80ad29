"""List loaders: every real file in the shared data folder, small fixtures in the official formats,
and every malformed case."""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctions_screen import Entry, ListFormatError, Name, Screener, Watchlist, load_list
from sanctions_screen.sources import detect_format
from sanctions_screen.sources.native import dump_jsonl, parse_jsonl
from sanctions_screen.sources.ofac_remarks import parse_date, parse_remarks

FIXTURES = Path(__file__).parent / "fixtures"


def kinds(wl: Watchlist) -> tuple[dict[str, int], dict[str, int]]:
    return dict(Counter(e.kind for e in wl.entries)), dict(
        Counter(n.kind for e in wl.entries for n in e.names)
    )


# -- real files ------------------------------------------------------------------------------------

REAL = [
    (
        "ofac_sdn_2021-07-07",
        "us_ofac_sdn",
        None,
        {"organization": 3673, "person": 4620, "vessel": 406, "aircraft": 277},
        {"primary": 8976, "aka": 11541, "weak": 2417, "fka": 369},
    ),
    (
        "ofac_sdn_2024-05-03/sdn.csv",
        "us_ofac_sdn",
        None,
        {"organization": 6884, "person": 6854, "vessel": 851, "aircraft": 376},
        {"primary": 14965, "weak": 3575},
    ),
    (
        "ofac_cons_2025-12",
        "us_ofac_cons",
        None,
        {"person": 79, "organization": 363},
        {"primary": 442, "aka": 932, "weak": 69, "fka": 141},
    ),
    (
        "ofac_cons_enhanced_2025-01/CONS_ENHANCED.ZIP",
        "us_ofac_cons",
        "2025-01-10",
        {"person": 80, "organization": 363},
        {"primary": 443, "aka": 925, "weak": 70, "fka": 141, "original_script": 45},
    ),
    (
        "un_2026-02-27/consolidated.xml",
        "un_sc",
        "2026-02-27",
        {"person": 730, "organization": 273},
        {"primary": 1003, "aka": 2186, "weak": 619, "original_script": 378, "fka": 19},
    ),
    (
        "uk_ofsi_2025-04-14/ConList.xlsx",
        "gb_ofsi",
        "2025-04-14",
        {"person": 3663, "organization": 1010, "vessel": 15},
        {"primary": 4691, "aka": 7417, "original_script": 3226, "weak": 617, "fka": 15},
    ),
    (
        "opensanctions_ftm_subsets/zala_entities.ftm.json",
        "opensanctions",
        "2026-04-29",
        {"person": 6, "organization": 11},
        {"primary": 17, "aka": 142, "original_script": 78, "fka": 1, "weak": 7},
    ),
    (
        "opensanctions_ftm_subsets/t1_entities.ftm.json",
        "opensanctions",
        "2024-03-28",
        {"organization": 2, "person": 4},
        {"primary": 6, "aka": 18, "original_script": 11},
    ),
]


@pytest.mark.parametrize(
    ("rel", "name", "version", "entry_kinds", "name_kinds"), REAL, ids=[r[0] for r in REAL]
)
def test_real_file_counts(data, rel, name, version, entry_kinds, name_kinds):
    wl = load_list(data / rel)
    assert wl.name == name
    if version:
        assert wl.version == version
    else:
        assert wl.version.startswith("sha256:")
    assert kinds(wl) == (entry_kinds, name_kinds)
    assert wl.sources and all(len(h) == 64 for h in wl.sources.values())
    assert all(e.id == f"{e.list}:{e.source_id}" for e in wl.entries)


def test_sdn_seed_entry(sdn2021):
    e = next(e for e in sdn2021.entries if e.source_id == "27994")
    assert e.id == "us_ofac_sdn:27994" and e.kind == "person"
    assert [(n.full, n.kind) for n in e.names] == [
        ("AL-LAMI, Hussein Falah", "primary"),
        ("AL-LAMI, Abu Zainab", "aka"),
        ("AZIZ, Hussein Faleh", "aka"),
    ]
    assert e.birth_dates == ["1969-06-20"] and e.nationalities == ["Iraq"]
    assert e.gender == "Male" and e.programs == ["GLOMAG"]


def test_sdn_weak_akas_and_several_dobs(sdn2021):
    e = next(e for e in sdn2021.entries if e.source_id == "6365")
    assert e.birth_dates == ["1957-07-30", "1958"]
    weak = [n.full for e in sdn2021.entries for n in e.names if n.kind == "weak"]
    assert "BNC" in weak  # a.k.a. 'BNC' in the remarks of entry 306


def test_sdn_2024_with_2025_aliases_reports_dangling_rows(data):
    wl = load_list(
        [
            data / "ofac_sdn_2024-05-03/sdn.csv",
            data / "ofac_sdn_aux_2025-12/alt.csv",
            data / "ofac_sdn_aux_2025-12/add.csv",
            data / "ofac_sdn_aux_2025-12/sdn_comments.csv",
        ]
    )
    assert len(wl.entries) == 14965 and len(wl.sources) == 4
    assert any("1567 entry numbers" in n and "alt.csv" in n for n in wl.notes)
    assert any("4253 entry numbers" in n and "add.csv" in n for n in wl.notes)


def test_un_entry_with_arabic_script_name(data):
    wl = load_list(data / "un_2026-02-27/consolidated.xml")
    e = next(e for e in wl.entries if e.source_id == "IQi.001")
    assert e.names[0].full == "SADDAM HUSSEIN AL-TIKRITI"
    assert ("صدام حسين التكريتي", "original_script", "Arabic") in [
        (n.full, n.kind, n.script) for n in e.names
    ]
    assert ("Abu Ali", "weak") in [(n.full, n.kind) for n in e.names]
    assert e.birth_dates == ["1937-04-28"] and e.nationalities == ["Iraq"]
    # BETWEEN and APPROXIMATELY dates, and alias values holding several names separated by ";"
    dobs = {d for e in wl.entries for d in e.birth_dates}
    assert any("/" in d for d in dobs) and any(d.startswith("~") for d in dobs)
    assert not any(";" in n.full for e in wl.entries for n in e.names)


def test_uk_group_with_non_latin_name(data):
    wl = load_list(data / "uk_ofsi_2025-04-14/ConList.xlsx")
    e = next(e for e in wl.entries if e.source_id == "13814")
    assert e.names[0].full == "ABBAS, Yasir" and e.kind == "person"
    assert ("ياسر عزيز عباس", "original_script") in [(n.full, n.kind) for n in e.names]
    assert "1978-08-22" in e.birth_dates


def test_opensanctions_person_with_aliases(data):
    wl = load_list(data / "opensanctions_ftm_subsets/t1_entities.ftm.json")
    e = next(e for e in wl.entries if e.source_id == "NK-2Ka3UvopqbpZmVDFjWd4LA")
    assert e.kind == "person" and e.names[0].full == "Vitaly Yurievich KUZMENKO"
    assert {n.full for n in e.names if n.kind == "aka"} == {"Vitalij Kuzmenko"}
    assert {n.script for n in e.names if n.kind == "original_script"} == {"Cyrillic"}
    assert e.birth_dates == ["1971-01-22"] and e.nationalities == ["ru"]
    zala = load_list(data / "opensanctions_ftm_subsets/zala_entities.ftm.json")
    assert any(e.programs for e in zala.entries)  # programs come from Sanction entities


def test_enhanced_xml_translations(data):
    wl = load_list(data / "ofac_cons_enhanced_2025-01/CONS_ENHANCED.ZIP")
    e = next(e for e in wl.entries if e.source_id == "17013")
    assert ("БАНК ВТБ ПУБЛИЧНОЕ АКЦИОНЕРНОЕ ОБЩЕСТВО", "original_script", "Cyrillic") in [
        (n.full, n.kind, n.script) for n in e.names
    ]
    haniya = next(e for e in wl.entries if e.source_id == "9639")
    assert haniya.birth_dates == ["1962"] and haniya.programs == ["NS-PLC"]


def test_format_detected_from_content_not_name(data, tmp_path):
    odd = tmp_path / "list.dat"
    odd.write_bytes((data / "un_2026-02-27/consolidated.xml").read_bytes())
    assert load_list(odd).name == "un_sc"
    assert detect_format(odd.read_bytes()[:4096], odd) == "un_xml"


# -- fixtures in the official formats ------------------------------------------------------------


def ofac_set(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sdn.csv").write_bytes(
        b'27994,"AL-LAMI, Hussein Falah","individual","GLOMAG",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
        b'"DOB 20 Jun 1969; POB Baghdad, Iraq; nationality Iraq; Gender Male."\r\n'
        b'100,"EXAMPLE TRADING CO.",-0- ,"SDGT] [IRGC",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
        b"\"a.k.a. 'EXTRA'; alt. a.k.a. 'ABU MUS'AB TRADING'.\"\r\n"
        b'101,"AL-DURI, Izzat",individual,IRAQ2,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"DOB circa 1942; alt. DOB 1940 to 1943; citizen Iraq."\r\n\x1a'
    )
    (folder / "alt.csv").write_bytes(
        b'27994,44351,"aka","AL-LAMI, Abu Zainab",-0- \r\n27994,44352,"aka","AZIZ, Hussein Faleh",-0- \r\n'
        b'555,1,"aka","NOBODY",-0- \r\n\x1a'
    )
    (folder / "add.csv").write_bytes(b'27994,42576,-0- ,-0- ,"Iraq",-0- \r\n\x1a')
    (folder / "sdn_comments.csv").write_bytes(b'101,"; Gender Male."\r\n\x1a')
    return folder


def test_ofac_fixture_set(tmp_path):
    wl = load_list(ofac_set(tmp_path / "ofac"))
    by = {e.source_id: e for e in wl.entries}
    assert [n.full for n in by["27994"].names] == [
        "AL-LAMI, Hussein Falah",
        "AL-LAMI, Abu Zainab",
        "AZIZ, Hussein Faleh",
    ]
    assert by["100"].kind == "organization" and by["100"].programs == ["SDGT", "IRGC"]
    assert [(n.full, n.kind) for n in by["100"].names[1:]] == [
        ("EXTRA", "weak"),
        ("ABU MUS'AB TRADING", "weak"),
    ]
    assert by["101"].birth_dates == ["~1942", "1940/1943"] and by["101"].nationalities == ["Iraq"]
    assert by["101"].gender == "Male"  # from sdn_comments.csv
    assert any("1 alias rows over 1 entry numbers" in n for n in wl.notes)
    assert (
        load_list(tmp_path / "ofac" / "sdn.csv").entries == wl.entries
    )  # the primary file finds its siblings


def test_remarks_parser_forms():
    assert parse_date("01 Jan 1960 to 31 Dec 1962") == "1960/1962"
    assert parse_date("circa 1955") == "~1955" and parse_date("Feb 1970") == "1970-02"
    r = parse_remarks(
        "DOB 1962; alt. DOB 05 May 1963; POB Shati; nationality Palestinian; citizen Jordan; Gender Female"
    )
    assert r.birth_dates == ["1962", "1963-05-05"] and r.nationalities == ["Palestinian", "Jordan"]
    assert r.places_of_birth == ["Shati"] and r.gender == "Female"


def test_eu_fixture():
    wl = load_list(FIXTURES / "eu_fsf_sample.xml")
    assert wl.name == "eu_fsf" and wl.version == "2025-03-14"
    by = {e.source_id: e for e in wl.entries}
    z = by["13"]
    assert z.kind == "person" and z.names[0] == Name(
        full="Aiman Muhammed Rabi Al-Zawahiri", kind="primary"
    )
    assert ("Abu Muhammad", "weak") in [(n.full, n.kind) for n in z.names]
    assert ("أيمن محمد ربيع الظواهري", "original_script") in [(n.full, n.kind) for n in z.names]
    assert (
        z.birth_dates == ["1951-06-19"]
        and z.nationalities == ["EGYPT"]
        and z.programs == ["EU.AQD"]
    )
    assert by["2001"].kind == "organization" and by["3001"].birth_dates == ["~1972"]


def test_ofsi_csv_fixture(tmp_path):
    header = (
        "Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,Name Non-Latin Script,Non-Latin Script Type,"
        "Non-Latin Script Language,DOB,Town of Birth,Country of Birth,Nationality,Passport Number,"
        "Passport Details,National Identification Number,National Identification Details,Position,"
        "Address 1,Address 2,Address 3,Address 4,Address 5,Address 6,Post/Zip Code,Country,Other Information,"
        "Group Type,Alias Type,Alias Quality,Regime,Listed On,UK Sanctions List Date Designated,Last Updated,Group ID"
    )
    blank = [""] * 36

    def row(**cols: str) -> str:
        names = header.split(",")
        values = list(blank)
        for k, v in cols.items():
            values[names.index(k.replace("_", " "))] = v
        return ",".join(f'"{v}"' for v in values)

    text = (
        "\n".join(
            [
                "Last Updated,14/04/2025" + "," * 34,
                header,
                row(
                    **{
                        "Name_6": "ABBAS",
                        "Name_1": "Yasir",
                        "DOB": "22/08/1978",
                        "Nationality": "(1) Iraq (2) Jordan",
                        "Group_Type": "Individual",
                        "Alias_Type": "Primary name",
                        "Regime": "Iraq",
                        "Group_ID": "1",
                        "Name_Non-Latin_Script": "ياسر عزيز عباس",
                        "Other_Information": "(Gender):Male",
                    }
                ),
                row(
                    **{
                        "Name_6": "ABAS",
                        "Name_1": "Yaser",
                        "DOB": "00/00/1978",
                        "Group_Type": "Individual",
                        "Alias_Type": "AKA",
                        "Alias_Quality": "Low quality",
                        "Group_ID": "1",
                    }
                ),
            ]
        )
        + "\n"
    )
    f = tmp_path / "ConList.csv"
    f.write_text(text, encoding="utf-8")
    wl = load_list(f)
    assert wl.name == "gb_ofsi" and wl.version == "2025-04-14"
    (e,) = wl.entries
    assert [(n.full, n.kind) for n in e.names] == [
        ("ABBAS, Yasir", "primary"),
        ("ياسر عزيز عباس", "original_script"),
        ("ABAS, Yaser", "weak"),
    ]
    assert (
        e.birth_dates == ["1978-08-22", "1978"]
        and e.nationalities == ["Iraq", "Jordan"]
        and e.gender == "Male"
    )


def test_native_csv_and_jsonl(tmp_path):
    f = tmp_path / "mine.csv"
    f.write_text(
        "id,name,kind,name_kind,birth_dates,programs\n7,Abu Ali,person,primary,1970;1971,X\n"
        "7,Ali Hasan,person,aka,,\n8,Acme,organization,,,\n",
        encoding="utf-8",
    )
    wl = load_list(f)
    assert [e.id for e in wl.entries] == ["mine:7", "mine:8"]
    assert [n.kind for n in wl.entries[0].names] == ["primary", "aka"] and wl.entries[
        0
    ].birth_dates == ["1970", "1971"]
    j = tmp_path / "mine.jsonl"
    j.write_text(dump_jsonl(wl), encoding="utf-8")
    again = load_list(j)
    assert again.entries == wl.entries and again.name == wl.name and again.version == wl.version


# -- malformed input -----------------------------------------------------------------------------------


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def test_truncated_xml_names_file_and_line(data, tmp_path):
    full = (data / "un_2026-02-27/consolidated.xml").read_bytes()
    p = _write(tmp_path, "consolidated.xml", full[: len(full) // 2])
    with pytest.raises(ListFormatError, match=r"consolidated\.xml, line \d+: malformed XML"):
        load_list(p)


def test_csv_with_wrong_columns(tmp_path):
    p = _write(tmp_path, "sdn.csv", b'1,"X",individual\r\n')
    with pytest.raises(ListFormatError, match=r"sdn\.csv, line 1: expected 12 fields, found 3"):
        load_list(p)
    p2 = _write(tmp_path, "mine.csv", b"ident,fullname\n1,Ali\n")
    with pytest.raises(ListFormatError, match="unknown list format"):
        load_list(p2)
    p3 = _write(tmp_path, "native.csv", b"id,name\n1,Ali\n")
    with pytest.raises(ListFormatError, match=r"native\.csv, line 1: missing columns kind"):
        load_list(p3)


def test_wrongly_encoded_file(tmp_path):
    p = _write(
        tmp_path,
        "sdn.csv",
        '1,"ÄL",individual,X,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\r\n'.encode("utf-16"),
    )
    with pytest.raises(ListFormatError, match=r"sdn\.csv.*UTF-16, not UTF-8"):
        load_list(p)
    with pytest.raises(ListFormatError, match=r"sdn\.csv, line 1: .*UTF-16, not UTF-8"):
        load_list(p, format="ofac_csv")
    nul = _write(
        tmp_path, "sdn.csv", b'1,"AL",individual,X,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\r\n2,"B\x00"'
    )
    with pytest.raises(ListFormatError, match=r"sdn\.csv, line 2: NUL byte"):
        load_list(nul, format="ofac_csv")
    bad = _write(
        tmp_path,
        "l.jsonl",
        b'{"id": "x:1", "list": "x", "source_id": "1", "names": [{"full": "\xff"}]}\n',
    )
    with pytest.raises(ListFormatError, match=r"l\.jsonl, line 1: not valid UTF-8"):
        load_list(bad)


def test_zip_without_expected_member(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("README.txt", "nothing here")
    p = _write(tmp_path, "CONS_ENHANCED.ZIP", buf.getvalue())
    with pytest.raises(
        ListFormatError,
        match=r"CONS_ENHANCED\.ZIP: the zip holds no \*\.xml member \(has README\.txt\)",
    ):
        load_list(p, format="ofac_xml")


def test_empty_file_and_zero_entries(tmp_path):
    with pytest.raises(ListFormatError, match=r"empty\.xml: the file is empty"):
        load_list(_write(tmp_path, "empty.xml", b""))
    zero = _write(
        tmp_path,
        "un.xml",
        b'<?xml version="1.0"?><CONSOLIDATED_LIST dateGenerated="2026-01-01"><INDIVIDUALS/>'
        b"<ENTITIES/></CONSOLIDATED_LIST>",
    )
    with pytest.raises(
        ListFormatError, match=r"un\.xml, element CONSOLIDATED_LIST: no INDIVIDUAL or ENTITY"
    ):
        load_list(zero)
    with pytest.raises(ListFormatError, match="no entries found"):
        load_list(_write(tmp_path, "none.jsonl", b'{"watchlist": {"name": "x", "version": "1"}}\n'))


def test_bad_native_entry_names_line(tmp_path):
    p = _write(
        tmp_path,
        "l.jsonl",
        b'{"id":"x:1","list":"x","source_id":"1","names":[{"full":"A"}]}\n{"id":"x:2"}\n',
    )
    with pytest.raises(ListFormatError, match=r"l\.jsonl, line 2: not an entry"):
        load_list(p)


# -- invariants -----------------------------------------------------------------------------------------

_name = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30).filter(
    lambda s: s.strip()
)
_entry = st.builds(
    lambda sid, names, kind, dobs, progs: Entry(
        id=f"x:{sid}",
        list="x",
        source_id=sid,
        kind=kind,
        names=[Name(full=n) for n in names],
        birth_dates=dobs,
        programs=progs,
    ),
    st.from_regex(r"[A-Za-z0-9.]{1,8}", fullmatch=True),
    st.lists(_name, min_size=1, max_size=3),
    st.sampled_from(["person", "organization", "vessel", "aircraft", "unknown"]),
    st.lists(st.from_regex(r"\d{4}(-\d{2}-\d{2})?", fullmatch=True), max_size=2),
    st.lists(_name, max_size=2),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_entry, min_size=1, max_size=5, unique_by=lambda e: e.id))
def test_native_round_trip(entries):
    wl = Watchlist(name="x", version="v1", entries=entries)
    again = parse_jsonl(dump_jsonl(wl).encode(), Path("x.jsonl"))
    assert again.entries == entries and again.version == "v1"


@settings(max_examples=20, deadline=None)
@given(st.permutations([0, 1, 2]))
def test_load_order_does_not_change_results(order):
    lists = [
        Watchlist(
            name="a",
            version="1",
            entries=[
                Entry(id="a:1", list="a", source_id="1", names=[Name(full="Hussein Falah al-Lami")])
            ],
        ),
        Watchlist(
            name="b",
            version="1",
            entries=[
                Entry(id="b:1", list="b", source_id="1", names=[Name(full="Hussein Faleh Aziz")])
            ],
        ),
        Watchlist(
            name="c",
            version="1",
            entries=[Entry(id="c:1", list="c", source_id="1", names=[Name(full="Hasan Falih")])],
        ),
    ]
    reference = Screener(lists).screen("Hussein Falih Aziz al-Lami", threshold=0.3)
    assert (
        Screener([lists[i] for i in order]).screen("Hussein Falih Aziz al-Lami", threshold=0.3)
        == reference
    )


def test_real_files_in_any_order_give_same_results(data):
    a = load_list(data / "un_2026-02-27/consolidated.xml")
    b = load_list(data / "ofac_cons_2025-12")
    queries = ["Saddam Hussein al-Tikriti", "Ismail Haniya", "VTB Bank"]
    assert [Screener([a, b]).screen(q) for q in queries] == [
        Screener([b, a]).screen(q) for q in queries
    ]
