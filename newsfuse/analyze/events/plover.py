"""PLOVER event categories: the trigger lexicon, the CAMEO <-> PLOVER map and a country gazetteer.

Categories are PLOVER 0.5 (the names used in the PLOVER gold-standard records). PLOVER 0.8 (2021)
renamed DEMAND to REQUEST, folded DISAPPROVE and INVESTIGATE into ACCUSE and FIGHT into ASSAULT;
:data:`PLOVER_08_TO_05` reads those names too. The lexicon maps word *lemmas* to the category of
the action they name; how sure the action is (said, planned, denied) is the event's mode, decided
in :mod:`newsfuse.analyze.events.extract`. :func:`coded_type` turns (type, mode) into the category a PLOVER
coder would give, e.g. a planned aid delivery is an AGREE ("express intent to ...").
"""

from __future__ import annotations

from newsfuse.errors import ConfigError


def _set(words: str) -> frozenset[str]:
    """A set from space-separated words: keeps the word lists short to read."""
    return frozenset(words.split())


# The 18 substantive PLOVER 0.5 categories, cooperative first, as in the PLOVER manual.
COOPERATIVE = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT")
VERBAL_CONFLICT = ("INVESTIGATE", "DEMAND", "DISAPPROVE", "REJECT", "THREATEN")
MATERIAL_CONFLICT = ("PROTEST", "MOBILIZE", "SANCTION", "COERCE", "ASSAULT", "FIGHT")
TYPES: tuple[str, ...] = COOPERATIVE + VERBAL_CONFLICT + MATERIAL_CONFLICT

# PLOVER type -> CAMEO root code (2 digits), for exports that speak CAMEO (GDELT). Where PLOVER
# merges CAMEO roots the most typical root wins: CONCEDE and RETREAT share 08 in CAMEO, ASSAULT is
# CAMEO 18 (unconventional violence) while FIGHT is 19 (conventional military force).
PLOVER_TO_CAMEO: dict[str, str] = {
    "AGREE": "03",
    "CONSULT": "04",
    "SUPPORT": "05",
    "COOPERATE": "06",
    "AID": "07",
    "CONCEDE": "08",
    "RETREAT": "08",
    "INVESTIGATE": "09",
    "DEMAND": "10",
    "DISAPPROVE": "11",
    "REJECT": "12",
    "THREATEN": "13",
    "PROTEST": "14",
    "MOBILIZE": "15",
    "SANCTION": "16",
    "COERCE": "17",
    "ASSAULT": "18",
    "FIGHT": "19",
}

# PLOVER 0.8 names that differ from 0.5, so both read back.
PLOVER_08_TO_05: dict[str, str] = {"REQUEST": "DEMAND", "ACCUSE": "DISAPPROVE"}

# CAMEO root -> PLOVER 0.5 type. Root 20 (mass violence) is ASSAULT.
_CAMEO_ROOTS: dict[str, str] = {code: t for t, code in PLOVER_TO_CAMEO.items() if t not in ("RETREAT",)}
_CAMEO_ROOTS["20"] = "ASSAULT"
_CAMEO_ROOTS["01"] = "SUPPORT"  # make public statement: closest is verbal support (no 0.5 category)
_CAMEO_ROOTS["02"] = "DEMAND"  # appeal

# CAMEO codes whose PLOVER category differs from their root's (from the 2021 conversion table).
_CAMEO_EXCEPTIONS: dict[str, str] = {
    "084": "RETREAT",  # return, release
    "085": "RETREAT",  # ease economic sanctions
    "086": "RETREAT",  # allow international involvement
    "087": "RETREAT",  # de-escalate militarily
    "0813": "RETREAT",  # ease curfew
    "0814": "RETREAT",  # ease state of emergency
    "163": "COERCE",  # impose embargo, boycott or sanctions
    "1712": "ASSAULT",  # destroy property
    "175": "ASSAULT",  # violent repression
    "191": "COERCE",  # blockade
    "192": "COERCE",  # occupy territory
}


def cameo_root(event_type: str) -> str:
    """The 2-digit CAMEO root code of a PLOVER type (0.5 or 0.8 name), e.g. ``ASSAULT`` -> ``18``."""
    name = PLOVER_08_TO_05.get(event_type.upper(), event_type.upper())
    try:
        return PLOVER_TO_CAMEO[name]
    except KeyError:
        raise ConfigError(
            f"unknown PLOVER event type {event_type!r}: use one of {', '.join(TYPES)}"
        ) from None


def plover_type(cameo_code: str) -> str:
    """The PLOVER 0.5 type of a CAMEO code ('0831', '19', '190'), most specific rule first."""
    code = cameo_code.strip()
    for n in range(len(code), 2, -1):
        if code[:n] in _CAMEO_EXCEPTIONS:
            return _CAMEO_EXCEPTIONS[code[:n]]
    if code[:2] not in _CAMEO_ROOTS:
        raise ConfigError(f"unknown CAMEO code {cameo_code!r}: expected 2-4 digits from 01 to 20")
    return _CAMEO_ROOTS[code[:2]]


# --------------------------------------------------------------------------------------------
# coding convention: intent, refusal
# --------------------------------------------------------------------------------------------

# Categories naming a hostile act: announcing one without doing it is a THREATEN in PLOVER.
HOSTILE = frozenset({"SANCTION", "COERCE", "ASSAULT", "FIGHT", "PROTEST", "MOBILIZE"})
# Categories naming a friendly act: announcing one is an AGREE, refusing one a REJECT.
FRIENDLY = frozenset({"CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"})
# Categories of physical acts: their object is their target even when it is a thing ('homes').
PHYSICAL = frozenset({"ASSAULT", "FIGHT", "COERCE"})
NOT_DONE_MODES = frozenset({"planned", "possible", "conditional"})


def coded_type(event_type: str, mode: str, negated: bool = False) -> str:
    """The category a PLOVER coder gives an event: intent to help is AGREE, to harm THREATEN.

    PLOVER codes what the report asserts: "X will give aid" asserts an intent (AGREE), "X will not
    accept refugees" a refusal (REJECT). Our Event keeps the action's type and its mode apart so
    that articles saying "will strike" and "struck" still align on one event; this joins them back.
    """
    if (negated or mode == "denied") and event_type in FRIENDLY | {"AGREE"}:
        return "REJECT"
    if mode in NOT_DONE_MODES and event_type in FRIENDLY:
        return "AGREE"
    if mode in NOT_DONE_MODES and event_type in HOSTILE:
        return "THREATEN"
    return event_type


# --------------------------------------------------------------------------------------------
# trigger lexicon (lemmas)
# --------------------------------------------------------------------------------------------


def _expand(table: dict[str, str]) -> dict[str, str]:
    """{'TYPE': 'lemma lemma ...'} -> {lemma: TYPE}; keeps the tables readable."""
    return {lemma: t for t, words in table.items() for lemma in words.split()}


# Verbs that name an action of one category. "allow/authorize/permit" are CONCEDE: the actor
# eases a restriction it imposed or accedes to a demand (CAMEO 08), as the gold standard codes
# "decided to allow X to participate"; "lift" a ban likewise.
VERBS: dict[str, str] = _expand({
    "AGREE": "agree pledge promise commit",
    "CONSULT": "meet visit host negotiate discuss consult mediate confer",
    "SUPPORT": "praise support endorse back welcome hail commend applaud defend recognize recognise "
    "apologize apologise forgive sign thank congratulate reaffirm laud salute sympathize sympathise "
    "console vouch",
    "CONCEDE": "allow permit authorize authorise lift ease relax accede concede yield legalize "
    "pardon",
    "COOPERATE": "cooperate collaborate share coordinate",
    "AID": "aid provide supply donate grant deliver fund finance assist equip arm shelter",
    "RETREAT": "withdraw retreat surrender resign release free evacuate demobilize disarm",
    "INVESTIGATE": "investigate probe inquire inspect",
    "DEMAND": "demand urge request appeal insist",
    "DISAPPROVE": "criticize criticise condemn denounce accuse blame complain sue deplore slam "
    "rebuke censure oppose summon",
    "REJECT": "reject refuse decline dismiss veto renege defy violate",
    "THREATEN": "threaten warn",
    "PROTEST": "protest demonstrate rally march riot boycott picket",
    "MOBILIZE": "mobilize mobilise deploy reinforce patrol",
    "SANCTION": "sanction suspend expel sever embargo freeze",
    "COERCE": "arrest detain seize confiscate deport kidnap abduct imprison jail ban censor restrict "
    "demolish destroy raze hack occupy blockade evict",
    "ASSAULT": "attack strike bomb kill assassinate murder massacre torture beat wound injure "
    "ambush stab behead execute",
    "FIGHT": "fight shell bombard shoot invade retake recapture clash battle",
})

# Verbs that often but not always name the action: lower confidence (see defaults).
GENERIC_VERBS: dict[str, str] = _expand({
    "AID": "give send help",
    "CONSULT": "talk",
    "RETREAT": "return",
    "SANCTION": "cut halt end cancel",
    "PROTEST": "block",  # CAMEO 144 'obstruct passage, block'; a blocked bill is a REJECT (below)
    "CONCEDE": "accept",
    "DEMAND": "seek ask order press",
    "FIGHT": "fire capture",
    "ASSAULT": "hit",
    "COERCE": "force hold retaliate respond",
})

# Verb + particle or preposition: "blow up", "pull out", "call for". The particle makes another verb:
# "give up" yields (CONCEDE) where "give" aids, "back down" yields where "back" supports. A generic verb
# with a particle not listed here is no event ('end up', 'hold on', 'give out'); a specific verb with
# one keeps its type ('fight back', 'shoot down') unless NON_EVENTS says otherwise.
PHRASAL: dict[tuple[str, str], str] = {
    ("blow", "up"): "COERCE",
    ("pull", "out"): "RETREAT",
    ("pull", "back"): "RETREAT",
    ("call", "for"): "DEMAND",
    ("call", "on"): "DEMAND",
    ("beat", "up"): "ASSAULT",
    ("crack", "down"): "COERCE",
    ("shut", "down"): "COERCE",
    ("set", "free"): "RETREAT",
    ("give", "up"): "CONCEDE",
    ("give", "in"): "CONCEDE",
    ("give", "back"): "RETREAT",  # return, release (CAMEO 084)
    ("back", "down"): "CONCEDE",
    ("back", "off"): "CONCEDE",
    ("back", "away"): "CONCEDE",
    ("step", "down"): "RETREAT",
    ("stand", "down"): "RETREAT",
    ("hand", "over"): "RETREAT",
    ("hand", "back"): "RETREAT",
    ("stand", "by"): "SUPPORT",
    ("side", "with"): "SUPPORT",
    ("help", "out"): "AID",
    ("force", "out"): "COERCE",
    ("cut", "off"): "SANCTION",
    ("kick", "out"): "COERCE",
    ("lock", "up"): "COERCE",
    ("round", "up"): "COERCE",
    ("wipe", "out"): "ASSAULT",
    ("shoot", "down"): "FIGHT",
    ("lash", "out"): "DISAPPROVE",
    ("hit", "out"): "DISAPPROVE",
}

# Verb + particle or object that names no event at all: "the dam gave way", "gave rise to", "gave
# birth". Checked before the verb alone, so "give" is not read as AID there.
NON_EVENTS: frozenset[tuple[str, str]] = frozenset(
    (
        ("give", "way"), ("give", "rise"), ("give", "birth"), ("give", "chase"), ("give", "speech"),
        ("give", "interview"), ("give", "evidence"), ("give", "testimony"), ("give", "statement"),
        ("give", "detail"), ("give", "thought"), ("give", "reason"), ("give", "impression"),
        ("give", "example"), ("give", "lecture"), ("give", "off"), ("give", "out"), ("give", "away"),
        ("back", "up"),  # 'traffic backed up'; support is 'back' alone or 'stand by'
        ("strike", "up"),  # 'struck up a friendship'
        ("hold", "up"), ("end", "up"), ("turn", "out"), ("set", "up"),
    )
)

# Verb + object noun whose meaning differs from the verb alone.
VERB_OBJECT: dict[tuple[str, str], str] = {
    ("lift", "blockade"): "RETREAT",
    ("lift", "siege"): "RETREAT",
    ("withdraw", "ambassador"): "SANCTION",
    ("withdraw", "envoy"): "SANCTION",
    ("withdraw", "aid"): "SANCTION",
    ("cut", "tie"): "SANCTION",
    ("break", "relation"): "SANCTION",
    ("break", "tie"): "SANCTION",
    ("send", "troop"): "MOBILIZE",
    ("send", "soldier"): "MOBILIZE",
    ("open", "fire"): "FIGHT",
    ("open", "border"): "AID",
    ("expel", "diplomat"): "SANCTION",
    ("fire", "missile"): "ASSAULT",
    ("launch", "missile"): "ASSAULT",
    ("follow", "lead"): "COOPERATE",  # 'following the U.S. lead': aligning with an ally's policy
    ("follow", "suit"): "COOPERATE",
    ("follow", "example"): "COOPERATE",
    # signing a formal agreement and diplomatic recognition are SUPPORT in PLOVER (CAMEO 057, 054)
    ("sign", "agreement"): "SUPPORT",
    ("sign", "accord"): "SUPPORT",
    ("sign", "pact"): "SUPPORT",
    ("sign", "treaty"): "SUPPORT",
    ("sign", "deal"): "SUPPORT",
    ("sign", "memorandum"): "SUPPORT",
    ("sign", "protocol"): "SUPPORT",
    ("establish", "tie"): "SUPPORT",
    ("establish", "relation"): "SUPPORT",
    ("restore", "tie"): "SUPPORT",
    ("restore", "relation"): "SUPPORT",
    ("open", "embassy"): "SUPPORT",
    ("give", "ground"): "CONCEDE",
    ("block", "resolution"): "REJECT",
    ("block", "bill"): "REJECT",
    ("block", "proposal"): "REJECT",
    ("block", "deal"): "REJECT",
    ("block", "measure"): "REJECT",
    ("block", "nomination"): "REJECT",
}

# Nouns that name an event ("a massive strike", "the invasion of ...", "imposed sanctions").
NOUNS: dict[str, str] = _expand({
    "AGREE": "pledge promise agreement accord pact deal",
    "CONSULT": "talk meeting summit visit negotiation mediation consultation",
    "SUPPORT": "endorsement praise recognition apology support backing solidarity sympathy condolence "
    "gratitude",
    "CONCEDE": "permission concession",
    "COOPERATE": "cooperation collaboration exercise",
    "AID": "aid assistance asylum donation grant",
    "RETREAT": "withdrawal retreat ceasefire truce release surrender resignation",
    "INVESTIGATE": "investigation probe inquiry hearing",
    "DEMAND": "demand appeal ultimatum",
    "DISAPPROVE": "criticism condemnation accusation complaint lawsuit",
    "REJECT": "rejection refusal veto",
    "THREATEN": "threat warning",
    "PROTEST": "protest demonstration rally riot boycott",
    "MOBILIZE": "mobilization mobilisation deployment patrol",
    "SANCTION": "sanction embargo suspension expulsion",
    "COERCE": "arrest detention curfew crackdown blockade occupation confiscation deportation",
    "ASSAULT": "attack strike airstrike bombing assassination massacre killing raid",
    "FIGHT": "invasion offensive fighting clash shelling bombardment battle",
})

# Compound modifiers that change a nominal trigger's category: "hunger strike" is a protest.
NOUN_COMPOUNDS: dict[tuple[str, str], str] = {
    ("hunger", "strike"): "PROTEST",
    ("general", "strike"): "PROTEST",
    ("labor", "strike"): "PROTEST",
    ("military", "aid"): "AID",
    ("peace", "talk"): "CONSULT",
    ("war", "game"): "COOPERATE",
}

# Business transactions: one company buying another ('agreed to buy Y', 'the takeover of Y by X').
# PLOVER has no business category: CAMEO codes the deal as economic cooperation (061 -> COOPERATE)
# and an agreement to buy as intent to cooperate economically (0311 -> AGREE), which is what
# coded_type makes of a planned COOPERATE. Only a deal whose bought company is named is an event
# (analyze/events/deals.py): 'customers buy bread' is none.
DEAL_TYPE = "COOPERATE"
DEAL_VERBS = _set("buy acquire purchase")
DEAL_NOUNS = _set("acquisition purchase takeover buyout")

# Verbs that take an event noun as object without adding meaning: the noun's category wins
# ("launched a strike", "imposed sanctions", "held talks", "gave permission").
LIGHT_VERBS = _set(
    "launch carry conduct stage hold mount make take impose issue express give begin start "
    "continue resume open lodge file declare wage unleash intensify step trigger announce order "
    "grant reach sign"
)


def verb_type(
    lemma: str, particle: str | None = None, obj: str | None = None, particles: tuple[str, ...] = ()
) -> tuple[str, bool] | None:
    """(category, generic?) of a verb lemma with its particle and object lemma, or None.

    ``particles``: the verb's own particles ('up' in 'gave up'), when the caller did not find the
    phrasal verb in :data:`PHRASAL`: they make a generic verb no event ('ended up').
    """
    lemma = lemma.lower()
    if particle and (lemma, particle) in PHRASAL:
        return PHRASAL[(lemma, particle)], False
    if obj and (lemma, obj) in NON_EVENTS:
        return None
    if obj and (lemma, obj) in VERB_OBJECT:
        return VERB_OBJECT[(lemma, obj)], False
    if any((lemma, p) in NON_EVENTS for p in particles):
        return None
    if particles and lemma in GENERIC_VERBS:
        return None  # 'end up', 'hold on', 'send off': the particle makes another verb
    if lemma in VERBS:
        return VERBS[lemma], False
    if lemma in GENERIC_VERBS:
        return GENERIC_VERBS[lemma], True
    return None


def noun_type(lemma: str, compound: str | None = None) -> str | None:
    lemma = lemma.lower()
    if compound and (compound, lemma) in NOUN_COMPOUNDS:
        return NOUN_COMPOUNDS[(compound, lemma)]
    return NOUNS.get(lemma)


# English derivation between an event noun and its verb, as (noun ending, verb ending): 'withdrawal' <-
# 'withdraw', 'invasion' <- 'invade', 'suspension' <- 'suspend', 'mediation' <- 'mediate'. A word the
# lexicon lacks whose derived form it names is read as that form's act (derived_type); the table is
# grammar, not written with any record in view.
DERIVATIONS: tuple[tuple[str, str], ...] = (
    ("ation", "ate"), ("ation", "e"), ("ation", ""), ("ication", "y"), ("ition", "ish"),
    ("sion", "d"), ("sion", "de"), ("ulsion", "el"), ("ion", ""), ("ion", "e"),
    ("ment", ""), ("al", ""), ("al", "e"), ("ure", "e"), ("ance", ""), ("ence", "e"), ("ence", ""),
    ("ing", ""), ("ing", "e"),
)
# noun endings read from a noun to its verb only: an '-ing' noun often names a thing of its own
# ('hearing', 'building'), so a verb is not read through one ('heard' is no inquiry)
NOUN_ONLY_ENDINGS = frozenset({"ing"})
DERIVED_STEM_MIN_CHARS = 3  # shorter stems ('ring' -> 'r') are no words


def derived_type(lemma: str, noun: bool) -> str | None:
    """The category of a word the lexicon lacks, read from its derived form that the lexicon names:
    a noun's verb (VERBS: a generic verb names too many acts) or a verb's noun; None when neither."""
    nouns, verbs = _derived_tables()
    return (nouns if noun else verbs).get(lemma.lower())


_DERIVED_CACHE: list[tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]] = []


def _derived_tables() -> tuple[dict[str, str], dict[str, str]]:
    """(noun -> category of its listed verb, verb -> category of its listed noun), built once per
    lexicon (bench/events.py swaps the tables for a while: the cache holds the tables it was built
    from, so it is rebuilt when they are not the current ones)."""
    if _DERIVED_CACHE and _DERIVED_CACHE[0][0] is VERBS and _DERIVED_CACHE[0][1] is NOUNS:
        return _DERIVED_CACHE[0][2], _DERIVED_CACHE[0][3]
    nouns: dict[str, str] = {}
    verbs: dict[str, str] = {}
    for noun_end, verb_end in DERIVATIONS:  # in rule order: the first rule that reaches a word wins
        for verb, etype in VERBS.items():
            stem = verb[: len(verb) - len(verb_end)] if verb.endswith(verb_end) else ""
            if len(stem) >= DERIVED_STEM_MIN_CHARS and stem + noun_end != verb:
                nouns.setdefault(stem + noun_end, etype)
        if noun_end in NOUN_ONLY_ENDINGS:
            continue
        for noun, etype in NOUNS.items():
            stem = noun[: len(noun) - len(noun_end)] if noun.endswith(noun_end) else ""
            if len(stem) >= DERIVED_STEM_MIN_CHARS and stem + verb_end != noun:
                verbs.setdefault(stem + verb_end, etype)
    _DERIVED_CACHE[:] = [(VERBS, NOUNS, nouns, verbs)]
    return nouns, verbs


# --------------------------------------------------------------------------------------------
# countries: names, demonyms and capitals -> ISO 3166 alpha-3 (CAMEO actor codes), IGO for bodies
# --------------------------------------------------------------------------------------------

_COUNTRIES = """
USA: united states|u.s.|us|usa|america|american|americans|washington|white house|pentagon
GBR: britain|great britain|united kingdom|uk|u.k.|british|london|england|english|scotland|irish
FRA: france|french|paris|elysee
DEU: germany|german|germans|berlin|bonn
RUS: russia|russian|russians|moscow|kremlin|soviet|ussr
UKR: ukraine|ukrainian|ukrainians|kyiv|kiev
CHN: china|chinese|beijing|prc
JPN: japan|japanese|tokyo
PRK: north korea|north korean|pyongyang|dprk
KOR: south korea|south korean|seoul
IND: india|indian|indians|new delhi|delhi
PAK: pakistan|pakistani|islamabad
AFG: afghanistan|afghan|afghans|kabul|taliban
IRN: iran|iranian|tehran
IRQ: iraq|iraqi|iraqis|baghdad
SYR: syria|syrian|damascus
LBN: lebanon|lebanese|beirut|hezbollah
ISR: israel|israeli|israelis|jerusalem|tel aviv
PSE: palestine|palestinian|palestinians|gaza|west bank|hamas|plo
JOR: jordan|jordanian|amman
EGY: egypt|egyptian|cairo
SAU: saudi arabia|saudi|riyadh
TUR: turkey|turkish|ankara
GRC: greece|greek|athens
ITA: italy|italian|rome
ESP: spain|spanish|madrid
POL: poland|polish|warsaw
HUN: hungary|hungarian|budapest
ROU: romania|romanian|bucharest
SRB: serbia|serbian|serb|serbs|belgrade|yugoslav|yugoslavia
HRV: croatia|croatian|croat|zagreb
BIH: bosnia|bosnian|sarajevo
ALB: albania|albanian|albanians|tirana
MKD: macedonia|macedonian|skopje
GEO: georgia|georgian|tbilisi
ARM: armenia|armenian|yerevan
AZE: azerbaijan|azerbaijani|baku
BLR: belarus|belarusian|minsk
CZE: czechia|czech republic|czech|prague|czechoslovak
CHE: switzerland|swiss|geneva|bern
NLD: netherlands|dutch|amsterdam|the hague
BEL: belgium|belgian|brussels
SWE: sweden|swedish|stockholm
FIN: finland|finnish|helsinki
NOR: norway|norwegian|oslo
CAN: canada|canadian|ottawa
MEX: mexico|mexican
BRA: brazil|brazilian|brasilia
ARG: argentina|argentine|argentinian|buenos aires
VEN: venezuela|venezuelan|caracas
COL: colombia|colombian|bogota
CUB: cuba|cuban|havana
HTI: haiti|haitian
NIC: nicaragua|nicaraguan|managua
NGA: nigeria|nigerian|abuja|lagos
NER: niger|nigerien|niamey
GHA: ghana|ghanaian|ghanaians|accra
BEN: benin|beninese
CIV: ivory coast|ivorian|cote d'ivoire|abidjan
SEN: senegal|senegalese|dakar
GMB: gambia|gambian
MRT: mauritania|mauritanian
LBR: liberia|liberian
SLE: sierra leone|sierra leonean
GIN: guinea|guinean
DZA: algeria|algerian|algerians|algiers
MAR: morocco|moroccan|rabat
LBY: libya|libyan|tripoli
SDN: sudan|sudanese|khartoum|darfur
TCD: chad|chadian
ETH: ethiopia|ethiopian|addis ababa
ERI: eritrea|eritrean
SOM: somalia|somali|mogadishu
KEN: kenya|kenyan|nairobi
UGA: uganda|ugandan|kampala
RWA: rwanda|rwandan|kigali
BDI: burundi|burundian
COD: congo|congolese|kinshasa
TZA: tanzania|tanzanian
MOZ: mozambique|mozambican|maputo
ZMB: zambia|zambian|lusaka
ZWE: zimbabwe|zimbabwean|harare
ZAF: south africa|south african|pretoria
NAM: namibia|namibian
VNM: vietnam|vietnamese|hanoi
KHM: cambodia|cambodian|phnom penh
THA: thailand|thai|bangkok
MMR: myanmar|burma|burmese
BGD: bangladesh|bangladeshi|dhaka
LKA: sri lanka|sri lankan|colombo|tamil
IDN: indonesia|indonesian|jakarta
TLS: east timor|timorese|dili
PHL: philippines|philippine|filipino|manila
TWN: taiwan|taiwanese|taipei
QAT: qatar|qatari|doha
ARE: united arab emirates|emirates|emirati|abu dhabi|dubai
KWT: kuwait|kuwaiti
YEM: yemen|yemeni|sanaa
AUS: australia|australian|canberra|sydney
FJI: fiji|fijian
IGO: united nations|u.n.|un|nato|european union|eu|european community|security council|iaea
IGO: unhcr|red cross|arab league|african union|imf|world bank
"""


def _gazetteer() -> dict[str, str]:
    out: dict[str, str] = {}
    for line in _COUNTRIES.strip().splitlines():
        code, names = line.split(":", 1)
        for name in names.split("|"):
            out[name.strip()] = code.strip()
    return out


COUNTRY_CODES: dict[str, str] = _gazetteer()
_LONGEST_NAME = max(len(n.split()) for n in COUNTRY_CODES)


def country_code(actor_text: str) -> str | None:
    """ISO3 code (or IGO) of the first country name, demonym or capital in an actor's text."""
    words = [_norm_word(w) for w in actor_text.split()]
    for i in range(len(words)):
        for n in range(min(_LONGEST_NAME, len(words) - i), 0, -1):
            code = COUNTRY_CODES.get(" ".join(words[i : i + n]))
            if code:
                return code
    return None


def _norm_word(word: str) -> str:
    """Lower-case, no quotes or possessive; a final period goes unless it ends an abbreviation."""
    w = word.strip(",;:'\"()").lower()
    if w.endswith("'s") or w.endswith("’s"):
        w = w[:-2]
    if w.endswith(".") and "." not in w[:-1]:
        w = w[:-1]
    return w
