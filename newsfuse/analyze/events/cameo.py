"""CAMEO coding of events and actors, for exports that speak GDELT.

- Event codes: the PLOVER type gives the CAMEO root (``plover.cameo_root``); the trigger lemma picks a
  more specific code where CAMEO has one for that verb ('arrest' under COERCE is 173), else the root's
  unspecified base code ('080'). Every code is checked against the CAMEO codebook list shipped in
  ``newsfuse/data/cameo/event_codes.tsv``, which also gives each code's Goldstein scale value.
- Actors: a CAMEO actor code is a country code (ISO 3166 alpha-3, from the ``countryinfo`` package's
  names, other spellings and demonyms) followed by a role type (GOV, MIL, COP, ...) read from the
  actor's words. A pronoun, or words that name no actor ('cubic metres of water'), is no actor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from newsfuse.analyze.events import plover
from newsfuse.errors import ConfigError

CODES_FILE = Path(__file__).resolve().parents[2] / "data" / "cameo" / "event_codes.tsv"

# CAMEO codes for trigger lemmas, by root: only where the codebook names the act itself.
_TRIGGER_CODES: dict[str, dict[str, str]] = {
    "01": {"say": "010", "state": "010", "decline": "011", "deny": "016", "acknowledge": "015",
           "claim": "015", "sympathize": "018", "agree": "019"},
    "02": {"appeal": "020", "urge": "020", "ask": "020", "request": "020", "call": "020"},
    "03": {"pledge": "030", "promise": "030", "offer": "030", "vow": "030"},
    "04": {"meet": "040", "consult": "040", "discuss": "040", "phone": "041", "visit": "042",
           "host": "043", "mediate": "045", "negotiate": "046", "talk": "046"},
    "05": {"praise": "051", "endorse": "051", "support": "051", "back": "051", "defend": "052",
           "recognize": "054", "apologize": "055", "forgive": "056", "sign": "057"},
    "06": {"cooperate": "060", "trade": "061", "invest": "061", "share": "064"},
    "07": {"aid": "070", "help": "070", "donate": "070", "fund": "071", "arm": "072", "supply": "072",
           "rescue": "073", "evacuate": "073", "shelter": "073", "asylum": "075"},
    "08": {"yield": "080", "release": "084", "free": "084", "return": "084", "lift": "085",
           "allow": "086", "authorize": "086", "truce": "0871", "ceasefire": "0871", "withdraw": "0874",
           "retreat": "0874", "surrender": "0874", "resign": "0831"},
    "09": {"investigate": "090", "probe": "090", "inspect": "090", "examine": "090"},
    "10": {"demand": "100", "insist": "100"},
    "11": {"criticize": "111", "condemn": "111", "denounce": "111", "blame": "112", "accuse": "112",
           "sue": "115", "convict": "116", "complain": "114"},
    "12": {"reject": "120", "refuse": "120", "oppose": "120", "veto": "129", "defy": "128"},
    "13": {"threaten": "130", "warn": "130"},
    "14": {"protest": "141", "demonstrate": "141", "rally": "141", "march": "141", "strike": "143",
           "boycott": "143", "block": "144", "riot": "145"},
    "15": {"mobilize": "154", "deploy": "154", "patrol": "150"},
    "16": {"sanction": "163", "embargo": "163", "cut": "160", "suspend": "160", "expel": "166"},
    "17": {"arrest": "173", "detain": "173", "charge": "173", "jail": "173", "imprison": "173",
           "deport": "174", "seize": "171", "confiscate": "1711", "destroy": "1712", "demolish": "1712",
           "ban": "172", "curfew": "1723", "crack": "175"},
    "18": {"abduct": "181", "kidnap": "181", "hijack": "181", "assault": "182", "beat": "182",
           "stab": "182", "torture": "1822", "kill": "1823", "murder": "1823", "bomb": "183",
           "assassinate": "186"},
    "19": {"attack": "190", "strike": "190", "blockade": "191", "occupy": "192", "capture": "192",
           "shoot": "193", "fire": "193", "clash": "193", "fight": "190", "shell": "194",
           "airstrike": "195", "violate": "196"},
    "20": {"massacre": "202", "expel": "201"},
}


@cache
def event_codes() -> dict[str, tuple[str, float]]:
    """CAMEO code -> (description, Goldstein scale), from the codebook list."""
    out = {}
    for line in CODES_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, description, goldstein = line.split("\t")
            out[code] = (description, float(goldstein))
    return out


@dataclass(frozen=True)
class EventCode:
    code: str  # the most specific code known ('173', '0871')
    base: str  # 3 digits ('173', '087')
    root: str  # 2 digits ('17')
    quad_class: int  # 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict
    goldstein: float


def event_code(plover_type: str | None, trigger: str | None) -> EventCode | None:
    """The CAMEO code of an event of this PLOVER type and trigger lemma; None for an unknown type."""
    try:
        root = plover.cameo_root(plover_type or "")
    except ConfigError:
        return None
    table = event_codes()
    code = _TRIGGER_CODES.get(root, {}).get((trigger or "").casefold().strip(), root + "0")
    if code not in table:
        code = root + "0"
    return EventCode(code=code, base=code[:3], root=root, quad_class=_quad_class(root),
                     goldstein=table[code][1])


def _quad_class(root: str) -> int:
    """CAMEO roots 01-05 verbal cooperation, 06-08 material cooperation, 09-13 verbal conflict,
    14-20 material conflict."""
    n = int(root)
    return 1 if n <= 5 else 2 if n <= 8 else 3 if n <= 13 else 4


# -- actors ----------------------------------------------------------------------------------

PRONOUNS = frozenset((
    "i", "me", "my", "we", "us", "our", "you", "your", "he", "him", "his", "she", "her", "hers", "it",
    "its", "they", "them", "their", "theirs", "this", "that", "these", "those", "who", "whom", "which",
    "what", "someone", "somebody", "anyone", "everyone", "one",
))
# CAMEO actor role types, by the words that name them (CAMEO actor codebook, role codes).
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "GOV": ("government", "president", "prime minister", "minister", "ministry", "governor", "mayor",
            "official", "officials", "authorities", "administration", "cabinet", "chancellor",
            "secretary", "spokesman", "spokeswoman", "spokesperson", "white house", "kremlin", "king",
            "queen", "premier", "council"),
    "MIL": ("army", "military", "troops", "soldiers", "soldier", "forces", "navy", "air force",
            "general", "commander", "defence", "defense"),
    "COP": ("police", "officers", "officer", "sheriff", "deputies", "detectives"),
    "REB": ("rebels", "rebel", "insurgents", "militants", "militia", "separatists"),
    "OPP": ("opposition", "protesters", "demonstrators", "dissidents", "activists"),
    "JUD": ("court", "judge", "judges", "prosecutor", "prosecutors", "attorney general"),
    "LEG": ("parliament", "lawmakers", "senator", "senators", "congress", "legislature", "assembly",
            "senate", "mps", "legislators"),
    "BUS": ("company", "firm", "corporation", "bank", "business", "businesses", "operator",
            "executives", "executive", "ceo", "investors", "shareholders", "board"),
    "MED": ("newspaper", "journalist", "journalists", "reporter", "reporters", "media", "broadcaster"),
    "EDU": ("university", "school", "students", "teachers", "professor"),
    "HLH": ("hospital", "doctors", "medics", "nurses", "health"),
    "REF": ("refugees", "migrants", "asylum seekers", "displaced"),
    "LAB": ("union", "unions", "workers", "employees", "staff"),
    "NGO": ("charity", "ngo", "red cross", "aid group", "aid agency"),
    "IGO": ("united nations", "nato", "european union", "world bank", "imf", "african union"),
    "CRM": ("gang", "gangs", "criminals", "smugglers", "traffickers", "gunman", "gunmen", "attackers"),
    "CVL": ("residents", "civilians", "people", "villagers", "men", "women", "man", "woman",
            "families", "citizens", "children", "voters", "drivers", "passengers", "rescuers"),
}
_ROLE = {w: code for code, words in ROLE_WORDS.items() for w in words}
_CONNECTORS = frozenset(["of", "the", "and", "for", "de", "al", "la", "le", "von", "van", "der"])


@dataclass(frozen=True)
class Actor:
    name: str  # as GDELT writes it: capitals
    code: str  # country + role ('FRAGOV'), role alone ('COP'), country alone ('FRA') or ''
    country: str  # ISO alpha-3 or ''
    role: str  # CAMEO role type or ''


def actor(text: str | None, key: str | None = None) -> Actor | None:
    """The CAMEO actor that ``text`` names, or None for a pronoun or words naming no actor. A pronoun
    whose ``key`` (the entity it was resolved to) is a name stands for that name."""
    words = _words(text)
    if not words or all(w.casefold() in PRONOUNS for w in words):
        words = _words(key) if key and _named(_words(key)) else []
        text = key
    if not words:
        return None
    folded = " ".join(w.casefold() for w in words)
    country = _country(folded)
    role = _role(folded)
    if not (country or role or _named(words)):
        return None
    return Actor(name=" ".join(" ".join(words).upper().split()), code=country + role, country=country,
                 role=role)


def _words(text: str | None) -> list[str]:
    return re.findall(r"[\w’'.-]+", text or "")


def _named(words: list[str]) -> bool:
    """A proper name: every content word capitalised ('Tarvan Hydro', 'Bank of Marovia')."""
    content = [w for w in words if w.casefold() not in _CONNECTORS]
    return bool(content) and all(w[:1].isupper() for w in content) and not all(
        w.casefold() in PRONOUNS for w in content)


def _role(folded: str) -> str:
    tokens = folded.split()
    for n in (3, 2, 1):
        for i in range(len(tokens) - n + 1):
            code = _ROLE.get(" ".join(tokens[i : i + n]))
            if code:
                return code
    return ""


def _country(folded: str) -> str:
    names = country_names()
    tokens = [t.replace(".", "") if re.fullmatch(r"(?:\w\.){2,}", t) else t.strip(".")
              for t in folded.split()]
    for n in (4, 3, 2, 1):
        for i in range(len(tokens) - n + 1):
            phrase = " ".join(tokens[i : i + n])
            if phrase in names:
                return names[phrase]
    return ""


@cache
def country_names() -> dict[str, str]:
    """Folded country name, other spelling, demonym (and its plural) -> ISO alpha-3 code, from the
    countryinfo package. Two-letter codes are left out ('IN', 'IT' would read English words as
    countries), except the 'US'/'UK' that news writes for two countries."""
    from countryinfo import all_countries

    out: dict[str, str] = {}
    # A name several countries share ('American': the USA and its territories) goes to the most
    # populous of them.
    for c in sorted(all_countries(), key=lambda c: -_population(c)):
        try:
            code = str(c.iso(3))
        except (KeyError, ValueError, AttributeError):
            continue
        names = [c.name(), *(c.alt_spellings() or [])]
        demonym = _safe(c, "demonym")
        if demonym:
            names += [demonym, demonym + "s"]
        for n in names:
            key = " ".join(str(n).casefold().replace(".", "").split())
            if len(key) > 3 or key in ("us", "usa", "uk"):
                out.setdefault(key, code)
    out.setdefault("us", "USA")
    out.setdefault("uk", "GBR")
    return out


def _population(country: object) -> int:
    try:
        return int(country.population() or 0)  # type: ignore[attr-defined]
    except (KeyError, ValueError, AttributeError, TypeError):
        return 0


def _safe(country: object, attr: str) -> str:
    try:
        value = getattr(country, attr)()
    except (KeyError, ValueError, AttributeError):
        return ""
    return str(value) if value else ""


def capital_latlng(iso3: str) -> tuple[float | None, float | None]:
    """A country's latitude and longitude (its centroid as countryinfo gives it)."""
    from countryinfo import CountryInfo

    try:
        lat, lon = CountryInfo(iso3).latlng()
        return float(lat), float(lon)
    except Exception:
        return None, None
