"""Amounts: a number with its unit, approximation marker and the phrase it counts.

'around 11,000 North Korean soldiers' -> value 11000, approx 'around', counted 'North Korean soldiers';
'$40 billion' -> 4e10 USD; '10,000 to 12,000' / 'between 3 and 5' -> low/high with the midpoint as
value; 'two', 'a dozen', 'half a million', '1.2 million', '11k' as numbers; 'dozens of', 'thousands of'
as open ranges (value = the least they can mean, approx = the phrase as written).

The span runs from the marker or currency sign to the unit; the counted phrase follows it and is
left out. Not amounts: years ('in 2023'), dates ('January 20'), clock times, durations and ages
('two months', 'a 45-year-old'; durations belong to time expressions), ordinals, and digits glued
to letters or hyphens ('G20', 'F-16', wire IDs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsfuse import defaults
from newsfuse.analyze.parse import ParsedDoc
from newsfuse.ids import content_id
from newsfuse.models import Amount

__all__ = ["find_amounts", "parse_number"]

_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
         "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_WORD_VALUES = {w: n for n, w in enumerate(_ONES)} | {w: 20 + 10 * n for n, w in enumerate(_TENS)}
_SCALES = {"hundred": 100.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
           "bn": 1e9, "mn": 1e6, "tn": 1e12, "k": 1e3}
_HYPHEN_SCALES = frozenset(("million", "billion", "trillion", "mn", "bn", "tn"))
# A currency sign lost to a text encoding ('e80 million', 'p74million'), with its glued scale if any.
_MANGLED_MONEY = re.compile(r"([ep])(\d+(?:\.\d+)?)(million|billion|bn|mn|m)?")
_MANGLED_SIGNS = {"e": "EUR", "p": "GBP"}
_GLUED = re.compile(r"(\d+(?:\.\d+)?)(k|m|mn|bn|b|tn)", re.I)  # '11k', '2.5bn'; 'm' only for money
_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
# Open quantities: the least they mean and the most, and whether 'of' must follow.
_VAGUE = {
    ("dozens",): (24.0, 99.0), ("scores",): (40.0, 99.0), ("hundreds",): (200.0, 999.0),
    ("thousands",): (2e3, 9999.0), ("millions",): (2e6, 9_999_999.0), ("billions",): (2e9, 9.99e9),
    ("tens", "of", "thousands"): (2e4, 99_999.0), ("hundreds", "of", "thousands"): (2e5, 999_999.0),
    ("tens", "of", "millions"): (2e7, 99_999_999.0), ("hundreds", "of", "millions"): (2e8, 999_999_999.0),
}
_APPROX = re.compile(
    r"(?i)(?<![\w-])(more than|less than|fewer than|at least|at most|up to|as many as|as much as|as few as|"
    r"close to|nearly|almost|around|about|roughly|approximately|some|over|under|just over|just under|"
    r"well over|upwards of|an estimated|estimated|an average of|on average|a total of|between|"
    r"a minimum of|a maximum of|no more than|no fewer than|no less than)\s+$"
)
_NOT_APPROX = {"a total of", "between"}  # markers that say nothing about precision
_CURRENCY_SIGNS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₽": "RUB",
                   "₴": "UAH", "C$": "CAD", "A$": "AUD", "HK$": "HKD", "CHF": "CHF"}
_CURRENCY_CODES = {"USD", "EUR", "GBP", "JPY", "CNY", "RUB", "UAH", "INR", "CHF", "CAD", "AUD", "SEK",
                   "NOK", "DKK", "PLN", "CZK", "BRL"}
_UNIT_WORDS = {
    "percent": "%", "per cent": "%", "%": "%", "percentage point": "pp", "percentage points": "pp",
    "dollar": "USD", "euro": "EUR", "pound sterling": "GBP", "sterling": "GBP", "yen": "JPY",
    "yuan": "CNY", "renminbi": "CNY", "rouble": "RUB", "ruble": "RUB", "hryvnia": "UAH",
    "hryvnias": "UAH", "rupee": "INR", "franc": "CHF", "crown": "crown", "krona": "SEK", "krone": "NOK",
    "km": "km", "kilometre": "km", "kilometer": "km", "mile": "mi", "metre": "m", "meter": "m",
    "cm": "cm", "mm": "mm", "centimetre": "cm", "millimetre": "mm", "kg": "kg", "kilogram": "kg",
    "tonne": "t", "ton": "t", "metric ton": "t", "hectare": "ha", "acre": "acre", "sq km": "km2",
    "square kilometre": "km2", "square kilometer": "km2", "square mile": "mi2", "litre": "l",
    "liter": "l", "cubic metre": "m3", "cubic meter": "m3", "barrel": "bbl", "megawatt": "MW",
    "mw": "MW", "gigawatt": "GW", "gw": "GW", "kwh": "kWh", "degree": "deg", "mph": "mph",
    "km/h": "km/h", "foot": "ft", "feet": "ft", "ft": "ft", "pound": "lb", "lb": "lb", "lbs": "lb",
}
_UNIT_WORDS |= {code.lower(): code for code in _CURRENCY_CODES}  # '5 million EUR'
_TIME_UNITS = {"second", "minute", "hour", "day", "night", "week", "weekend", "month", "year", "decade",
               "century", "a.m.", "p.m.", "am", "pm", "gmt", "utc", "o'clock", "hrs", "h", "years-old",
               "year-old", "seconds", "minutes", "hours", "days", "nights", "weeks", "months", "years",
               "decades", "centuries"}
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
           "sept", "oct", "nov", "dec"}
_YEAR_BEFORE = {"in", "since", "by", "until", "till", "from", "of", "during", "before", "after",
                "early", "late", "mid", "through", "spring", "summer", "autumn", "winter", "fall"}
_RANGE_WORDS = {"to", "-", "\u2013", "\u2014", "or"}


@dataclass(frozen=True, slots=True)
class _Num:
    start: int  # token indices, end exclusive
    end: int
    base: float  # the number before any scale word
    scale: float  # 1 when no 'million'/'k' followed
    kind: str  # digits | words | vague
    low: float | None = None  # for open quantities ('dozens of')
    high: float | None = None

    @property
    def value(self) -> float:
        return self.base * self.scale


def parse_number(text: str) -> float | None:
    """The value of a number as written ('11,000', '1.2 million', 'twenty-five', 'a dozen', '11k'),
    or None; usable without a parse (e.g. to compare amounts quoted in claims)."""
    words = re.findall(r"[\w.,$]+", text.lower().replace("-", " "))
    if not words:
        return None
    glued = _GLUED.fullmatch(words[0])
    if glued and len(words) == 1:
        return float(glued[1]) * (1e6 if glued[2].lower() == "m" else _SCALES.get(glued[2].lower(), 1e9))
    if _DIGITS.fullmatch(words[0]):
        total = float(words[0].replace(",", ""))
        for w in words[1:]:
            if w not in _SCALES:
                return None
            total *= _SCALES[w]
        return total
    return _words_value(words)


def _words_value(words: list[str]) -> float | None:
    """'two hundred and five thousand' -> 205000; 'a dozen' -> 12; 'half a million' -> 500000."""
    total, current, seen = 0.0, 0.0, False
    for n, w in enumerate(words):
        if w in _WORD_VALUES:
            current += _WORD_VALUES[w]
        elif w in ("a", "an") and n + 1 < len(words) and words[n + 1] in (*_SCALES, "dozen"):
            current += 1
        elif w == "half" and n + 2 < len(words) and words[n + 1] in ("a", "an"):
            current -= 0.5  # the 'a' that follows adds 1: 'half a million' = 0.5 million
        elif w == "and" and seen:
            continue
        elif w == "dozen":
            current = (current or 1) * 12
        elif w == "hundred":
            current = (current or 1) * 100
        elif w in ("thousand", "million", "billion", "trillion"):
            total += (current or 1) * _SCALES[w]
            current = 0.0
        else:
            return None
        seen = True
    return total + current if seen else None


# --- reading one number from the tokens -------------------------------------------------------


def _lower(doc: ParsedDoc, i: int) -> str:
    return doc.tokens[i].text.lower() if 0 <= i < len(doc.tokens) else ""


def _read_number(doc: ParsedDoc, i: int, money: bool) -> _Num | None:
    tok = doc.tokens[i]
    if _DIGITS.fullmatch(tok.text):
        end, scale = _scale_after(doc, i + 1, money)
        return _Num(i, end, float(tok.text.replace(",", "")), scale, "digits")
    glued = _GLUED.fullmatch(tok.text)
    if glued and (glued[2].lower() != "m" or money):
        suffix = glued[2].lower()
        scale = 1e6 if suffix == "m" else 1e9 if suffix == "b" else _SCALES[suffix]
        return _Num(i, i + 1, float(glued[1]), scale, "digits")
    return _read_vague(doc, i) or _read_words(doc, i)


def _scale_after(doc: ParsedDoc, j: int, money: bool) -> tuple[int, float]:
    scale = 1.0
    if _hyphen_scale(doc, j):
        j += 1  # '$137-million', '2.5-billion': one number, not a range up to a million
    while j < len(doc.tokens) and (_lower(doc, j) in _SCALES or (money and _lower(doc, j) == "m")):
        scale *= _SCALES.get(_lower(doc, j), 1e6)
        j += 1
    return j, scale


def _hyphen_scale(doc: ParsedDoc, j: int) -> bool:
    """A hyphen glued between a number and a scale word ('137-million')."""
    if _lower(doc, j) != "-" or doc.tokens[j - 1].ws or doc.tokens[j].ws:
        return False
    return _lower(doc, j + 1) in _HYPHEN_SCALES


def _mangled_money(doc: ParsedDoc, i: int) -> tuple[_Num, str] | None:
    """'e80 million', 'p74million': a euro or pound sign a text encoding turned into 'e' or 'p'. Read
    only with a scale word, so codes ('e80' alone) stay words."""
    m = _MANGLED_MONEY.fullmatch(doc.tokens[i].text)
    if m is None:
        return None
    if m[3]:
        end, scale = i + 1, _SCALES.get(m[3].lower(), 1e6)
    else:
        end, scale = _scale_after(doc, i + 1, money=True)
        if scale == 1.0:
            return None
    return _Num(i, end, float(m[2]), scale, "digits"), _MANGLED_SIGNS[m[1]]


_VAGUE_LONGEST_FIRST = sorted(_VAGUE.items(), key=lambda kv: -len(kv[0]))


def _read_vague(doc: ParsedDoc, i: int) -> _Num | None:
    if _lower(doc, i) not in _VAGUE_STARTS:
        return None
    for words, (low, high) in _VAGUE_LONGEST_FIRST:
        written = tuple(_lower(doc, i + k) for k in range(len(words)))
        if written == words and _lower(doc, i + len(words)) == "of":
            return _Num(i, i + len(words), low, 1.0, "vague", low, high)
    return None


_WORDISH = set(_WORD_VALUES) | {"hundred", "thousand", "million", "billion", "trillion", "dozen"}
_VAGUE_STARTS = {words[0] for words in _VAGUE}
_STARTS = _WORDISH | _VAGUE_STARTS | {"a", "an", "half"}  # words an amount can begin with


def _read_words(doc: ParsedDoc, i: int) -> _Num | None:
    first = _lower(doc, i)
    if first in ("a", "an", "half"):
        if _lower(doc, i + 1) not in (*_WORDISH, "a", "an") or _lower(doc, i + 1) in _WORD_VALUES:
            return None
    elif first not in _WORDISH or doc.tokens[i].tag != "CD":
        return None
    if first == "one" and doc.tokens[i].dep != "nummod":
        return None  # 'one of them', 'no one': a pronoun far more often than a count
    j = i + 1
    while j < len(doc.tokens):
        w = _lower(doc, j)
        joins = w in ("-", "and", "a", "an") and _lower(doc, j + 1) in _WORDISH
        if not (w in _WORDISH or joins):
            break
        j += 1
    words = [_lower(doc, k) for k in range(i, j) if _lower(doc, k) != "-"]
    value = _words_value(words)
    if value is None or value == 0:
        return None
    return _Num(i, j, value, 1.0, "words")


# --- what is not an amount --------------------------------------------------------------------


def _glued_to_word(doc: ParsedDoc, num: _Num) -> bool:
    """'G20', 'F-16', 'COVID-19', wire IDs: digits stuck to letters are names, not quantities."""
    text = doc.text
    start, end = doc.tokens[num.start].idx, doc.tokens[num.end - 1].end
    before = text[start - 1] if start else " "
    before2 = text[start - 2] if start > 1 else " "
    after = text[end] if end < len(text) else " "
    if before.isalnum() or after.isalpha() or (before == "-" and before2.isalnum()):
        return True
    digits = re.sub(r"\D", "", doc.tokens[num.start].text)
    return num.kind == "digits" and len(digits) > defaults.AMOUNT_MAX_DIGITS


def _is_date_or_time(doc: ParsedDoc, num: _Num, has_unit: bool) -> bool:
    if _lower(doc, num.start - 1) in _MONTHS or _lower(doc, num.end) in _MONTHS:
        return True
    nxt = _lower(doc, num.end + 1) if num.kind == "vague" else _lower(doc, num.end)  # 'hundreds of years'
    if nxt in _TIME_UNITS or (nxt in ("-", "\u2013") and _lower(doc, num.end + 1) in _TIME_UNITS):
        return True  # a duration, an age or a clock time
    if has_unit or num.kind == "vague":
        return False
    if _looks_like_year(doc, num):
        return True
    # The small model often calls counts DATE ('Between 3 and 5 people'): trust it only when the
    # number does not count a noun.
    in_date = any(t.ent_type in ("DATE", "TIME", "ORDINAL") for t in doc.tokens[num.start : num.end])
    return in_date and not _counts_noun(doc, num)


def _counts_noun(doc: ParsedDoc, num: _Num) -> bool:
    for tok in doc.tokens[num.start : num.end]:
        head = doc.tokens[tok.head]
        if tok.dep == "nummod" and head.tag in ("NNS", "NNPS") and head.text.lower() not in _TIME_UNITS:
            return True
    return False


def _looks_like_year(doc: ParsedDoc, num: _Num) -> bool:
    tok = doc.tokens[num.start]
    if num.kind != "digits" or num.scale != 1 or not re.fullmatch(r"\d{4}", tok.text):
        return False
    if not defaults.TIME_MIN_YEAR <= int(tok.text) <= defaults.TIME_MAX_YEAR:
        return False
    if _lower(doc, num.start - 1) in _YEAR_BEFORE or _lower(doc, num.end) in ("-", "\u2013", "/"):
        return True
    head = doc.tokens[tok.head]
    counts = tok.dep == "nummod" and head.tag in ("NNS", "NNPS")
    if tok.ent_type == "DATE":
        # '2005 levels' is a year, '2000 soldiers' a count: the model calls both DATE, round
        # hundreds before a plural noun are far more often counts
        return not (counts and int(tok.text) % 100 == 0)
    return not counts


# --- around the number: currency, marker, range, unit, counted -------------------------------


def _currency_before(doc: ParsedDoc, i: int) -> str | None:
    if i <= 0:
        return None
    prev = doc.tokens[i - 1].text
    return _CURRENCY_SIGNS.get(prev) or (prev if prev in _CURRENCY_CODES else None)


def _unit_after(doc: ParsedDoc, j: int) -> tuple[str | None, int]:
    """(unit, index after it) for the unit starting at token ``j``; hyphenated ('a 10-km stretch') too."""
    if _lower(doc, j) == "-":
        unit, after = _unit_after(doc, j + 1)
        return (unit, after) if unit else (None, j)
    for width in (2, 1):
        words = [doc.tokens[k] for k in range(j, min(j + width, len(doc.tokens)))]
        if len(words) < width:
            continue
        phrase = " ".join(t.text.lower() for t in words)
        lemma = " ".join([*(t.text.lower() for t in words[:-1]), words[-1].lemma.lower()])
        unit = _UNIT_WORDS.get(phrase) or _UNIT_WORDS.get(lemma) or _UNIT_WORDS.get(phrase.rstrip("s"))
        if unit:
            return unit, j + width
    return None, j


def _approx_before(doc: ParsedDoc, char: int) -> tuple[str | None, int]:
    m = _APPROX.search(doc.text, max(0, char - 30), char)
    if not m:
        return None, char
    return re.sub(r"\s+", " ", m[1].lower()), m.start(1)


def _read_range(doc: ParsedDoc, first: _Num, money: bool, between: bool) -> _Num | None:
    """The second number of '10,000 to 12,000', '3-5', 'two or three', 'between 3 and 5'."""
    j = first.end
    sep = _lower(doc, j)
    if not (sep in _RANGE_WORDS or (between and sep == "and")):
        return None
    k = j + 1 + (1 if j + 1 < len(doc.tokens) and doc.tokens[j + 1].text in _CURRENCY_SIGNS else 0)
    if k >= len(doc.tokens):
        return None
    second = _read_number(doc, k, money)
    if second is None or second.kind == "vague" or first.kind == "vague":
        return None
    low = first.base * (first.scale if first.scale != 1 else second.scale)
    if low >= second.value:  # a range rises; "4-4" or "3-1" is a score
        return None
    return second


def _counted(doc: ParsedDoc, num: _Num, after: int) -> str | None:
    """Head phrase the number counts: '11,000 North Korean soldiers' -> 'North Korean soldiers'."""
    if _lower(doc, after) == "of":
        return _of_phrase(doc, after)
    if _lower(doc, after) in ("-", "\u2013"):
        return None  # '15-count indictment', '10-point plan': the number describes, it does not count
    inside = range(num.start, num.end)
    heads = [doc.tokens[i].head for i in inside if doc.tokens[i].head not in inside]
    if not heads:
        return None
    head = heads[0]
    if head < after and after < len(doc.tokens) and doc.tokens[after].tag in ("NNS", "NNPS"):
        head = after  # a mis-attached number right before a plural noun ('10,000-12,000 troops')
    tok = doc.tokens[head]
    if head < after or tok.pos not in ("NOUN", "PROPN") or head - after >= defaults.AMOUNT_MAX_COUNTED_TOKENS:
        return None
    if any(head not in (k, *doc.ancestors(k)) for k in range(after, head)):
        return None
    return _with_conjuncts(doc, after, head)


def _of_phrase(doc: ParsedDoc, of: int) -> str | None:
    objs = [k for k in doc.children(of) if doc.tokens[k].dep == "pobj"]
    if not objs or objs[0] - of > defaults.AMOUNT_MAX_COUNTED_TOKENS or doc.tokens[objs[0]].pos == "PRON":
        return None
    start = of + 1
    while start < objs[0] and doc.tokens[start].tag in ("DT", "PRP$"):  # 'of the soldiers' -> 'soldiers'
        start += 1
    return _with_conjuncts(doc, start, objs[0])


def _is_counted(doc: ParsedDoc, i: int) -> bool:
    """A noun with its own number ('boats and dozens of volunteers'): a separate amount, not a conjunct."""
    tok = doc.tokens[i]
    own_number = any(doc.tokens[c].dep == "nummod" for c in doc.children(i))
    return tok.tag == "CD" or own_number or _read_vague(doc, i) is not None


def _with_conjuncts(doc: ParsedDoc, start: int, head: int) -> str:
    """Extend 'shops' to 'shops and workshops' when a conjunct noun follows at once."""
    end = head
    kids = doc.children(head)
    cc = [k for k in kids if doc.tokens[k].dep == "cc" and k == end + 1]
    conj = [k for k in kids if doc.tokens[k].dep == "conj" and k == end + 2]
    if cc and conj and doc.tokens[conj[0]].pos in ("NOUN", "PROPN") and not _is_counted(doc, conj[0]):
        end = conj[0]
    return doc.span_text(start, end + 1)


@dataclass(frozen=True, slots=True)
class _Found:
    amount: Amount | None  # None: tokens read and rejected together (a score)
    last_token: int


def _amount_at(doc: ParsedDoc, i: int, article_id: str) -> _Found | None:
    word = doc.tokens[i].text
    if not any(c.isdigit() for c in word) and word.lower() not in _STARTS:
        return None  # cheap test first: most tokens are not numbers
    currency = _currency_before(doc, i)
    sign = currency is not None  # a currency sign token before the number
    num = _read_number(doc, i, money=sign)
    if num is None and not sign and (mangled := _mangled_money(doc, i)) is not None:
        num, currency = mangled
    if num is None or _glued_to_word(doc, num):
        return None
    approx, start_char = _approx_before(doc, doc.tokens[i - 1 if sign else i].idx)
    second = _read_range(doc, num, currency is not None, approx == "between")
    if second is None and _lower(doc, num.end) == "-" and _DIGITS.fullmatch(_lower(doc, num.end + 1)):
        return _Found(None, num.end + 1)  # '4-4', '3-1': a score or a code, not an amount
    if _lower(doc, i - 1) == "from" or (sign and _lower(doc, i - 2) == "from"):
        second = None  # 'from 2 to 5' is a change, not a range
    last = second or num
    unit, after = _unit_after(doc, last.end)
    unit = currency or unit
    whole = _Num(num.start, last.end, num.base, num.scale, num.kind)
    if _is_date_or_time(doc, whole, unit is not None) or (second and _looks_like_year(doc, second)):
        return None
    if currency is None and approx is None:
        start_char = doc.tokens[i].idx
    elif sign and approx is None:
        start_char = doc.tokens[i - 1].idx
    end_char = doc.tokens[after - 1].end
    amount = _make(doc, article_id, num, second, unit, approx, start_char, end_char, after)
    return _Found(amount, after - 1)


def _make(doc: ParsedDoc, article_id: str, num: _Num, second: _Num | None, unit: str | None,
          approx: str | None, start: int, end: int, after: int) -> Amount:
    low, high, value = num.low, num.high, num.value
    if second is not None:
        first_scale = num.scale if num.scale != 1 else second.scale
        low, high = num.base * first_scale, second.value
        value = (low + high) / 2
    if num.kind == "vague" and approx is None:
        approx = doc.span_text(num.start, num.end + 1).lower()  # 'dozens of'
    conf = {"digits": defaults.AMOUNT_CONF_DIGITS, "words": defaults.AMOUNT_CONF_WORDS}.get(
        num.kind, defaults.AMOUNT_CONF_VAGUE)
    counted = None if unit else _counted(doc, second or num, after)
    return Amount(
        id=content_id(article_id, start, end, prefix="am_"),
        article_id=article_id, start=start, end=end, text=doc.text[start:end], value=value,
        low=low, high=high, unit=unit, counted=counted,
        approx=None if approx in _NOT_APPROX else approx, confidence=conf,
    )


def find_amounts(doc: ParsedDoc, article_id: str) -> list[Amount]:
    """Amounts of ``doc``, sorted by start."""
    out: list[Amount] = []
    i = 0
    while i < len(doc.tokens):
        found = _amount_at(doc, i, article_id)
        if found is None:
            i += 1
            continue
        if found.amount is not None:
            out.append(found.amount)
        i = found.last_token + 1
    return out
