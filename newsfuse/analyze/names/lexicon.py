"""Word lists and string rules for names: what a news agency, a seat of government, a region or a
calendar word looks like, and how a name as written becomes the normalised key of its actor.

Everything here works on plain strings so it can be tested without a parse. The lists are general
news knowledge (agencies, metonyms for governments), never lifted from one benchmark sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

# News agencies and wire services: the small model often tags them NORP or PERSON.
AGENCIES = frozenset(
    s.casefold()
    for s in (
        "Reuters", "AFP", "Agence France-Presse", "AP", "Associated Press", "MENAFN", "TASS",
        "Interfax", "Xinhua", "RIA Novosti", "RIA", "Ukrinform", "UNIAN", "Anadolu", "Bloomberg",
        "dpa", "ANSA", "EFE", "Kyodo", "Yonhap", "PTI", "IANS", "Bernama", "Antara", "KCNA",
        "IRNA", "Sputnik", "BelTA", "AAP", "Prensa Latina", "Jiji", "ANI", "WAM", "APA",
    )
)

# Buildings or streets that stand for a government body ("the Kremlin said"): always ORG.
SEATS = frozenset(
    s.casefold()
    for s in (
        "Kremlin", "Pentagon", "White House", "Downing Street", "Elysee", "Élysée", "Elysee Palace",
        "Élysée Palace", "Whitehall", "Quai d'Orsay", "Foggy Bottom", "Capitol Hill", "Blue House",
        "Zhongnanhai", "Bankova", "Knesset", "Bundestag", "Duma", "State Duma",
    )
)

# Last words that make a name an administrative area ("Kursk Region", "Donetsk Oblast").
PLACE_SUFFIXES = frozenset(
    (
        "region", "oblast", "province", "governorate", "district", "krai", "prefecture", "county",
        "canton", "raion", "municipality", "voivodeship",
    )
)

# Last words that make a name a building or structure ("Orlen Dam", "Heathrow Airport").
FACILITY_SUFFIXES = frozenset(
    (
        "dam", "bridge", "airport", "station", "port", "harbour", "harbor", "stadium", "arena",
        "tower", "plant", "reactor", "canal", "tunnel", "highway", "motorway", "barracks", "prison",
        "hospital", "embassy", "cathedral", "mosque", "temple", "pipeline",
    )
)

# Street and square words: a name holding one is a place in a city ('Oxford Street', 'Fifth Avenue',
# 'Rue de la Paix', 'Champs-Elysees'), never a person. Continental names open with the word, English
# ones end with it; 'Place' and 'Plaza' go either way.
STREET_FIRST_WORDS = frozenset(
    ("rue", "avenue", "boulevard", "place", "plaza", "piazza", "via", "calle", "champs", "platz", "quai")
)
STREET_LAST_WORDS = frozenset(
    (
        "street", "st.", "avenue", "ave", "ave.", "road", "rd.", "boulevard", "blvd", "blvd.", "square",
        "lane", "place", "plaza", "drive", "terrace", "crescent", "strasse", "straße", "platz",
    )
)

# Common nouns a name modifies when it names a natural feature ("the Orlen reservoir", "the Tarva
# river"): the name is a place, never a person, whatever the model guessed.
# Nouns of made things a name before them names as a product: "ATACMS missiles", "Leopard tanks".
PRODUCT_NOUNS = frozenset(
    (
        "missile", "missiles", "rocket", "rockets", "tank", "tanks", "jet", "jets", "fighter",
        "fighters", "drone", "drones", "rifle", "rifles", "howitzer", "howitzers", "vaccine",
        "vaccines", "smartphone", "smartphones",
    )
)

FEATURE_NOUNS = frozenset(
    (
        "reservoir", "river", "lake", "valley", "mountain", "mountains", "sea", "bay", "gulf",
        "island", "coast", "delta", "basin", "plain", "forest", "desert", "strait",
    )
)

# Nouns of settlements and areas: a name in apposition to one is a place ("the regional capital,
# Kessel", "the village of Brask").
SETTLEMENT_NOUNS = frozenset(
    ("capital", "city", "town", "village", "hamlet", "suburb", "province", "district", "county", "region")
)

# First words that name a part of a place as a place of its own ("Upper Lisk", "Lower Dunmere"):
# never a person's first name.
PLACE_PART_WORDS = frozenset(("upper", "lower", "inner", "outer"))

# Lowercase words that may join the words of a name ("Ministry of Water", "Chamber of Commerce &
# Industry"); any other lowercase word inside a span marks a phrase, not a name ("People in Brask").
NAME_JOINERS = frozenset(
    (
        "of", "and", "&", "the", "for", "de", "du", "des", "da", "di", "von", "van", "der", "la", "le",
        "on", "y", "al",
    )
)

# Regions the small model tends to call PERSON/PRODUCT/ORG although they carry no suffix word.
REGIONS = frozenset(
    s.casefold()
    for s in (
        "Donbas", "Donbass", "Crimea", "Kashmir", "Gaza", "Gaza Strip", "West Bank", "Sahel",
        "Balkans", "Caucasus", "Kurdistan", "Darfur", "Tigray", "Transnistria", "Golan Heights",
    )
)

# Alternative spellings of a few countries, so every spelling of one country gets one key.
COUNTRY_ALIASES = {
    "us": "United States", "u.s.": "United States", "usa": "United States",
    "u.s.a.": "United States", "united states": "United States",
    "united states of america": "United States", "america": "United States",
    "uk": "United Kingdom", "u.k.": "United Kingdom", "britain": "United Kingdom",
    "great britain": "United Kingdom", "united kingdom": "United Kingdom",
    "russian federation": "Russia", "dprk": "North Korea", "uae": "United Arab Emirates",
    "u.a.e.": "United Arab Emirates",
}

# Calendar words: an entity that is only one of these is a date the model mislabelled.
CALENDAR_WORDS = frozenset(
    (
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
        "sept", "oct", "nov", "dec", "today", "yesterday", "tomorrow", "tonight",
    )
)

# Words that make the weekday after them a named day ('Black Friday', 'Super Tuesday'). Any other
# capitalised word before a weekday is a place, person or body the news puts the day after ('police
# in Vancouver Friday said').
WEEKDAYS = frozenset(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
NAMED_DAY_WORDS = frozenset(
    ("black", "good", "cyber", "super", "ash", "holy", "maundy", "easter", "palm", "bloody", "shrove",
     "fat", "giving", "whit", "business", "orthodox", "patch")
)

# Nouns that make an apposition or a modified name an organisation ("X, the state-owned company
# that ...", "X, the maker of ..."): general business and public-body words.
ORG_NOUNS = frozenset(
    (
        "company", "firm", "group", "operator", "maker", "manufacturer", "producer", "provider",
        "supplier", "retailer", "carrier", "airline", "bank", "lender", "insurer", "utility",
        "corporation", "conglomerate", "subsidiary", "start-up", "startup", "business", "developer",
        "agency", "ministry", "department", "regulator", "watchdog", "authority", "broadcaster",
        "newspaper", "publisher", "charity", "organisation", "organization", "association",
        "federation", "union", "party", "movement", "militia", "institute", "university", "club",
    )
)

# What kind of organisation each noun of ORG_NOUNS describes, so that "the company" never stands for
# a ministry and "the regulator" never for a software maker. "any" nouns fit every kind ("the group"
# may be a company or a militia).
_BUSINESS = (
    "company", "firm", "operator", "maker", "manufacturer", "producer", "provider", "supplier",
    "retailer", "carrier", "airline", "bank", "lender", "insurer", "utility", "corporation",
    "conglomerate", "subsidiary", "start-up", "startup", "business", "developer",
)
# Newspapers and broadcasters: "the company" is never the paper the article quotes ('told the Ledger').
_PRESS = ("broadcaster", "newspaper", "publisher")
_PUBLIC = ("agency", "ministry", "department", "regulator", "watchdog", "authority")
_CIVIC = (
    "charity", "association", "federation", "union", "party", "movement", "militia", "institute",
    "university", "club",
)
ORG_NOUN_KINDS = (
    dict.fromkeys(_BUSINESS, "business") | dict.fromkeys(_PRESS, "press") | dict.fromkeys(_PUBLIC, "public")
    | dict.fromkeys(_CIVIC, "civic") | dict.fromkeys(("group", "organisation", "organization"), "any")
)
# Nouns a described body must carry in its own name or description: "the ministry" is a ministry
# the article named ("Ministry of Water"), never just the nearest body.
STRICT_ORG_NOUNS = frozenset(("ministry", "department"))
# Words in a name that make it a public body ("Marovian Competition Authority", "Ministry of Water").
PUBLIC_NAME_WORDS = frozenset(
    (
        "ministry", "department", "agency", "authority", "commission", "office", "council", "bureau",
        "regulator", "directorate", "inspectorate", "government", "parliament", "court", "police",
        "army", "navy", "service", "committee", "senate", "congress", "administration",
    )
)
# Modifiers that make "the ... company" a body other than one named before: "the combined company"
# (a merger's result), "the other firm", "the rival bank", "the parent company".
NEW_ORG_MODIFIERS = frozenset(
    (
        "combined", "merged", "new", "other", "another", "rival", "competing", "parent", "former",
        "latter", "joint", "first", "second", "third", "last", "next", "enlarged", "resulting",
        "proposed", "planned", "future",
    )
)


def org_kind(name: str, after_the: bool = False) -> str:
    """Kind of organisation a name reads as: 'business' ('Solvik Systems'), 'press' ('the Ledger'),
    'public' ('Ministry of Water', 'the Kremlin'), or '' when the name alone does not say."""
    words = [w.casefold() for w in name.replace(".", "").split()]
    if is_outlet_name(name, after_the):
        return "press"
    if is_seat(name) or any(w in PUBLIC_NAME_WORDS for w in words):
        return "public"
    return "business" if has_org_head(name) else ""


def kinds_fit(noun_kind: str, org: str) -> bool:
    """May a noun of kind ``noun_kind`` describe an organisation of kind ``org`` ('' = unknown)?"""
    return noun_kind == "any" or not org or noun_kind == org


# Last words that make a name of two or more words a company or body, whatever the model says
# ("Tarvan Hydro", "Solvik Systems", "Orbis Holdings"): no person's surname is one of these.
ORG_NAME_HEADS = frozenset(
    (
        "hydro", "energy", "power", "systems", "group", "holdings", "bank", "airlines", "airways",
        "motors", "media", "technologies", "technology", "labs", "partners", "capital", "pharma",
        "pharmaceuticals", "foods", "steel", "petroleum", "telecom", "railways", "insurance",
        "industries", "enterprises", "ventures", "solutions", "logistics", "networks", "inc", "ltd",
        "llc", "corp", "plc", "gmbh", "corporation", "company", "foundation",
    )
)


def has_org_head(name: str) -> bool:
    """True for a name of two or more words whose last word only companies and bodies end with."""
    words = name.replace(".", "").split()
    return len(words) >= 2 and words[-1].casefold() in ORG_NAME_HEADS


# Nouns only a company or body owns ("X's chief executive", "X shareholders", "X's engineering
# division"): a name that owns one is an organisation.
ORG_OWNED_NOUNS = frozenset(
    (
        "ceo", "executive", "executives", "shareholders", "employees", "workforce", "subsidiary",
        "subsidiaries", "headquarters", "division", "divisions", "branch", "branches", "factory",
        "factories", "plants", "customers", "profits", "revenue", "earnings",
    )
)

# Nouns only a place owns: "X's mayor" names a town, whatever a recogniser makes of the possessive
# ("Smith's lawyer" is a person's).
PLACE_OWNED_NOUNS = frozenset(
    (
        "mayor", "mayors", "governor", "residents", "inhabitants", "townspeople", "villagers",
        "outskirts", "suburbs", "townsfolk",
    )
)

# Nouns for people (besides the role nouns of :mod:`titles`): an apposition "X, a teacher who ..."
# or "the founder, X" makes X a person.
PERSON_NOUNS = frozenset(
    (
        "teacher", "farmer", "resident", "student", "worker", "nurse", "doctor", "engineer",
        "mother", "father", "son", "daughter", "wife", "husband", "widow", "grandmother",
        "grandfather", "owner", "shopkeeper", "pensioner", "driver", "pilot", "survivor", "victim",
        "witness", "volunteer", "activist", "scientist", "researcher", "writer", "author", "artist",
        "singer", "actor", "actress", "player", "athlete", "businessman", "businesswoman",
        "entrepreneur", "investor", "man", "woman", "boy", "girl", "veteran", "priest", "pastor",
    )
)

# Nouns for groups of people that 'they' may stand for ('officials', 'staff', 'analysts'), besides
# PERSON_NOUNS and role nouns: after one of them, 'they said' is not an organisation speaking.
PEOPLE_NOUNS = frozenset(
    (
        "people", "staff", "employee", "official", "analyst", "source", "member", "customer",
        "shareholder", "lawyer", "expert", "critic", "protester", "union", "family", "parent",
        "child", "passenger", "user", "buyer", "client", "voter", "citizen", "local", "neighbour",
        "neighbor",
    )
)

# Last words of newspaper and broadcaster names ("The Lowland Herald", "the Post"): re-exported
# here so name rules need not import the quote cues.
OUTLET_LAST_WORDS = frozenset(
    (
        "times", "post", "journal", "guardian", "telegraph", "tribune", "herald", "gazette",
        "observer", "courier", "ledger", "chronicle", "globe", "mail", "express", "mirror",
        "examiner", "inquirer", "dispatch", "register", "sentinel", "bulletin", "standard",
    )
)

# Forms of address: dropped from names and not kept as titles (they say nothing of the role).
HONORIFICS = frozenset(("mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "mx", "mx.", "sir", "dame"))

# Abbreviations whose final period belongs to the name ("Acme Corp.").
_ABBREVIATIONS = frozenset(("inc", "corp", "co", "ltd", "jr", "sr", "st", "bros", "plc", "llc"))

# Possessive endings, articles and punctuation around a name as written.
_POSSESSIVE = re.compile(r"['’]s$|['’]$")
_LEADING_ARTICLE = re.compile(r"^(?:the|The|THE)\s+")
_EDGE_PUNCT = "\"'“”‘’`«»()[]{}<>,;:!?-–—*|/\\"
_SPACES = re.compile(r"\s+")


def is_agency(name: str) -> bool:
    return name.casefold() in AGENCIES


def is_seat(name: str) -> bool:
    return name.casefold() in SEATS


def is_region(name: str) -> bool:
    """A named region: listed, or ending in an administrative suffix word ("Kursk Region")."""
    words = name.split()
    return name.casefold() in REGIONS or (len(words) >= 2 and words[-1].casefold() in PLACE_SUFFIXES)


def is_facility(name: str) -> bool:
    words = name.split()
    return len(words) >= 2 and words[-1].casefold() in FACILITY_SUFFIXES


def is_street(name: str) -> bool:
    """'Avenue Montaigne', 'Oxford Street', 'Champs-Elysees': a street or square word opens or ends a
    name of two or more words. A listed given name first ('Nathan Lane') keeps a person a person."""
    words = name.replace("-", " ").split()
    if len(words) < 2 or is_given_name(words[0]):
        return False
    return words[0].casefold() in STREET_FIRST_WORDS or words[-1].casefold() in STREET_LAST_WORDS


def is_given_name(word: str) -> bool:
    """A common given name of the packaged list (data/given_names.tsv), either gender."""
    return word.strip(".,").casefold() in _given_names()


@lru_cache(maxsize=1)
def _given_names() -> frozenset[str]:
    text = resources.files("newsfuse").joinpath("data/given_names.tsv").read_text(encoding="utf-8")
    rows = (line.partition("\t")[0].strip() for line in text.splitlines() if not line.startswith("#"))
    return frozenset(r.casefold() for r in rows if r)


def is_outlet_name(name: str, after_the: bool) -> bool:
    """'Lowland Herald', 'the Herald': a newspaper's name. A lone word counts only after 'the'
    ('Emily Post' is a person; 'Post' alone is too)."""
    words = name.split()
    if not words or words[-1].casefold() not in OUTLET_LAST_WORDS:
        return False
    return after_the or (len(words) >= 2 and all(w[:1].isupper() for w in words))


def is_calendar(name: str) -> bool:
    return name.strip(_EDGE_PUNCT + ". ").casefold() in CALENDAR_WORDS


def is_dateline_code(word: str) -> bool:
    """ALLCAPS code such as ``MENAFN`` or ``AFP``: two or more capitals, nothing else."""
    return len(word) >= 2 and word.isalpha() and word.isupper()


def normalise(text: str) -> str:
    """The key form of a name: one space between words, no leading 'the', no possessive, no
    surrounding punctuation, known country spellings unified ("the U.S.'s" -> "United States")."""
    name = _SPACES.sub(" ", text).strip()
    previous = None
    while name != previous:  # peel layers until stable: '"the Kremlin's",' -> 'Kremlin'
        previous = name
        name = name.strip(_EDGE_PUNCT + " ")
        name = _LEADING_ARTICLE.sub("", name)
        name = _POSSESSIVE.sub("", name) if len(name) > 2 else name
        name = _strip_final_period(name)
    return COUNTRY_ALIASES.get(name.casefold(), name)


def _strip_final_period(name: str) -> str:
    """Drop a sentence period after a name, keeping those of abbreviations ("U.S.", "Corp.")."""
    if not name.endswith("."):
        return name
    last = name.split()[-1][:-1] if name.split() else ""
    if "." in last or len(last) <= 1 or last.casefold() in _ABBREVIATIONS:
        return name
    return name[:-1]


def singular(noun: str) -> str:
    """'companies' -> 'company', 'start-ups' -> 'start-up', 'firms' -> 'firm' (regular plurals only,
    which is all the organisation nouns need)."""
    if noun.endswith("ies") and len(noun) > 4:
        return noun[:-3] + "y"
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun


def initials(words: list[str]) -> str:
    """Capital initials of a multi-word name ("North Atlantic Treaty Organization" -> "NATO")."""
    return "".join(w[0] for w in words if w[:1].isupper())
