"""Word lists the normaliser consults: titles, articles, nasab particles, and a side table of
spellings no rule reaches (abbreviations, West African and Somali forms, glued nasab)."""

from __future__ import annotations

# Leading honorifics and ranks; set aside only when they lead the name, since Amir, Sharif and
# Syed are also given names.
TITLES = frozenset(
    [
        "sheikh",
        "shaykh",
        "shaikh",
        "sheik",
        "shaik",
        "cheikh",
        "cheik",
        "shekh",
        "sayyid",
        "sayid",
        "sayed",
        "sayyed",
        "seyed",
        "seyyed",
        "syed",
        "sayyida",
        "hajji",
        "haji",
        "hajj",
        "haj",
        "hadj",
        "hadji",
        "alhaji",
        "alhaj",
        "mullah",
        "mulla",
        "molla",
        "imam",
        "dr",
        "doctor",
        "mr",
        "mrs",
        "ms",
        "miss",
        "prof",
        "professor",
        "gen",
        "general",
        "col",
        "colonel",
        "maj",
        "major",
        "capt",
        "captain",
        "lt",
        "brig",
        "brigadier",
        "maulana",
        "mawlana",
        "moulana",
        "ayatollah",
        "ayatullah",
        "hojatoleslam",
        "sir",
        "lord",
        "mufti",
        "qari",
        "hafiz",
        "emir",
    ]
)

# The same titles written in Arabic script, as our letter table romanises them (shaykh شيخ, mulla
# ملا, hajj حاج, duktur دكتور ...). A separate set: a romanised Arabic word may spell a Latin title
# by accident (مر, Murr, romanises to "mr"). Sayyid سيد would romanise like Saʿid سعيد once the
# ʿayn is silent: the normaliser tells them apart in the script and names a leading سيد "sayyid".
ARABIC_TITLES = frozenset(
    ["sayyid", "shikh", "mla", "haj", "haji", "dktur", "mulana", "imam", "amam", "hafz", "mfti"]
)

# The Arabic article, written apart or hyphenated; `al` also after Romanisers that glue it.
ARTICLES = frozenset({"al", "el", "ul", "il"})
# Sun-letter forms count as the article only before a word starting with the assimilated letter.
SUN_ARTICLES = {
    "ad": "d",
    "adh": "dh",
    "ar": "r",
    "as": "s",
    "ash": "sh",
    "at": "t",
    "ath": "th",
    "az": "z",
    "an": "n",
    "ed": "d",
    "er": "r",
    "es": "s",
    "esh": "sh",
    "et": "t",
    "ez": "z",
    "ud": "d",
    "ur": "r",
    "us": "s",
    "ut": "t",
    "uz": "z",
    "un": "n",
    "en": "n",
}

# Nasab particles: kept as a low-weight token, all spellings folded to one.
NASAB = {
    "bin": "bin",
    "ibn": "bin",
    "ben": "bin",
    "bn": "bin",
    "b": "bin",
    "bint": "bint",
    "binti": "bint",
    "bte": "bint",
    "ould": "bin",
    "wld": "bin",
    "uld": "bin",
    "wuld": "bin",
    "oulad": "bin",
}

# Kunya heads: Abu (father of) and Umm (mother of) are joined to the next word.
KUNYA = {
    "abu": "abu",
    "abou": "abu",
    "abo": "abu",
    "aboo": "abu",
    "abi": "abu",
    "umm": "umm",
    "um": "umm",
    "oum": "umm",
    "om": "umm",
    "umme": "umm",
}

# Spellings no rule reaches, folded to the form the rules produce for the usual spelling.
# Values with a space expand to several tokens.
SIDE_TABLE = {
    "mohd": "muhammad",
    "md": "muhammad",
    "muhd": "muhammad",
    "mhd": "muhammad",
    "mohamd": "muhammad",
    "mamadou": "muhammad",
    "mamadu": "muhammad",
    "maxamed": "muhammad",
    "maxamuud": "mahmud",
    "magomed": "muhammad",
    "mukhammad": "muhammad",
    "mukhammed": "muhammad",
    "mochammad": "muhammad",  # Indonesian (Javanese ch for h)
    "mochamad": "muhammad",
    "muchammad": "muhammad",
    "muchamad": "muhammad",
    "maghomed": "muhammad",
    "boubacar": "abubakr",
    "boubakar": "abubakr",
    "aboubacar": "abubakr",
    "abubakar": "abubakr",
    "abubaker": "abubakr",
    "aboubakar": "abubakr",
    "bubakar": "abubakr",
    "binladin": "bin ladin",
    "binladen": "bin ladin",
    "ibragim": "ibrahim",
    "brahim": "ibrahim",
    "ebrahim": "ibrahim",
    "smail": "ismail",
    "esmail": "ismail",
    "ismael": "ismail",
    "abdulla": "abdallah",
    "cabdi": "abdi",
    "cali": "ali",
    "xasan": "hasan",
    "xuseen": "husayn",
    "cumar": "umar",
    "cabdullahi": "abdallahi",
    "mohamud": "muhammad",
}

# Western given names that begin like a glued article; never split.
NOT_ARTICLE = frozenset(
    [
        "albert",
        "alberto",
        "albertina",
        "alfred",
        "alfredo",
        "alfonso",
        "alvaro",
        "alvin",
        "alvarez",
        "almeida",
        "allison",
        "allan",
        "allen",
        "almond",
        "alden",
        "aldo",
        "alma",
        "elbert",
        "elmer",
        "elton",
        "elvis",
        "elliot",
        "elliott",
        "ellis",
        "elsa",
        "elmo",
        "eldon",
        "elgin",
        "elsie",
        "elspeth",
        "alban",
        "albin",
        "alfie",
        "alfonse",
        "alphonse",
        "alston",
        "alford",
        "elric",
    ]
)
