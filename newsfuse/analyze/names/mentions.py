"""Mentions of actors in one article: names, partial names, titles and speech-verb pronouns, each
with the key of the actor it belongs to inside the article.

Steps, in the order :func:`find_mentions` runs them (each in a module of its own but 2 and 3):

1. :mod:`~newsfuse.analyze.names.spans` takes the model's entities and corrects them by general rules:
   trims "the", possessives and punctuation, splits title words off person names, fixes types the
   small model gets wrong on news (agencies, seats of government, regions, calendar words);
   :mod:`~newsfuse.analyze.names.missed` adds the names the model missed.
2. :func:`_attach_titles` finds the roles around each person ("French President", ", the Kremlin
   spokesman,").
3. :func:`_link_names` gives every name the key of its actor: surnames and first names join the full
   name the article gives, a titled first name joins an otherwise unknown surname.
4. Title-only references ("the French president", :mod:`~newsfuse.analyze.names.titlerefs`) and pronoun
   subjects ("He stated", :mod:`~newsfuse.analyze.names.pronouns`) are linked to the person they most
   likely mean.
5. Descriptions of organisations ("the company", "the accounting software maker", "the ministry")
   are linked to the organisation named just before whose kind and description fit them
   (:mod:`~newsfuse.analyze.names.descriptions`).
6. "It said" / "they said" (pronoun subjects of speech verbs) are linked to the organisation named
   just before, preferring the subject of the sentence before (:mod:`~newsfuse.analyze.names.pronouns`).

The steps share the working records :class:`~newsfuse.analyze.names.mentionspans.Name` and ``Ref``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from newsfuse import defaults
from newsfuse.analyze.names import lexicon as names
from newsfuse.analyze.names import titles
from newsfuse.analyze.names.descriptions import description_refs
from newsfuse.analyze.names.mentionspans import SLIP_LABELS, Name, Ref
from newsfuse.analyze.names.pronouns import SPEECH_VERBS, org_pronoun_refs, pronoun_refs
from newsfuse.analyze.names.spans import ACTOR_LABELS, named_spans
from newsfuse.analyze.names.titlerefs import title_refs
from newsfuse.analyze.parse import ParsedDoc
from newsfuse.ids import content_id
from newsfuse.models import Mention

__all__ = ["ACTOR_LABELS", "NAME_KINDS", "SPEECH_VERBS", "find_mentions", "with_outlet"]

# Mention kinds that are names as written (what an NER benchmark scores).
NAME_KINDS = ("name", "partial")


# ---------------------------------------------------------------------------------------------
# public
# ---------------------------------------------------------------------------------------------


def find_mentions(doc: ParsedDoc, article_id: str) -> list[Mention]:
    """Every mention of an actor in the article, sorted by start offset."""
    # a portfolio is part of its holder's title, no organisation of its own
    found = [n for n in named_spans(doc) if n.label == "PERSON" or not titles.is_portfolio(doc, n.start)]
    _attach_titles(doc, found)
    _link_names(found)
    _unify_labels(found)
    refs = title_refs(doc, found)
    refs += pronoun_refs(doc, found, refs)
    refs += description_refs(doc, found, refs)
    refs += org_pronoun_refs(doc, found, refs)
    mentions = [_name_mention(doc, article_id, n) for n in found]
    mentions += [_ref_mention(doc, article_id, r) for r in refs]
    return sorted(mentions, key=lambda m: (m.start, m.end))


def with_outlet(mentions: list[Mention], text: str, outlet: str | None) -> list[Mention]:
    """The mentions with the article's own outlet (its metadata) recognised: its full name, or
    'the' + its last words ('told the Ledger' in a Brenna Ledger article), is that organisation,
    whatever type the model guessed, under the outlet's full name."""
    full = names.normalise(outlet or "")
    if not full:
        return mentions
    rekey: dict[str, str] = {}
    for m in mentions:
        if m.kind == "name" and _names_outlet(m, text, full):
            rekey[m.entity_key] = full
    return [_as_outlet(m, full) if m.entity_key in rekey else m for m in mentions]


def _names_outlet(m: Mention, text: str, full: str) -> bool:
    own, words = m.text.casefold().split(), full.casefold().split()
    after_the = text[max(0, m.start - 4) : m.start].casefold() == "the "
    return own == words or (after_the and 0 < len(own) < len(words) and words[-len(own) :] == own)


def _as_outlet(m: Mention, full: str) -> Mention:
    if m.kind != "name" or m.text.casefold() == full.casefold():
        return replace(m, label="ORG", entity_key=full)
    kind = "partial"
    return replace(m, id=content_id(m.article_id, m.start, m.end, kind, prefix="m_"), kind=kind,
                   label="ORG", entity_key=full, confidence=defaults.CONF_PARTIAL_NAME)


# ---------------------------------------------------------------------------------------------
# 2. titles
# ---------------------------------------------------------------------------------------------


def _attach_titles(doc: ParsedDoc, found: list[Name]) -> None:
    """Roles before a person's name (pre-modifiers) and after it (appositions)."""
    for n in found:
        if n.label != "PERSON":
            continue
        before = titles.title_before(doc, n.start)
        if before is not None and not n.titles:
            n.titles.append(titles.title_text(doc, before))
        elif before is not None and titles.title_text(doc, before).endswith(n.titles[0]):
            # the title split off the tagged span ('Mayor' of 'Mayor Ana Kovic') is the one before it
            n.titles[0] = titles.title_text(doc, before)
        elif before is not None:
            n.titles[0] = titles.title_text(doc, before) + " " + n.titles[0]
        after = titles.title_after(doc, n.end)
        if after is not None:
            n.titles.append(titles.title_text(doc, after))


# ---------------------------------------------------------------------------------------------
# 3. linking names inside the article
# ---------------------------------------------------------------------------------------------


def _link_names(found: list[Name]) -> None:
    for n in found:
        n.key = _own_key(n)
    fulls = [n for n in found if n.label == "PERSON" and len(n.words) >= 2]
    for n in found:
        full = _full_name_for(n, fulls)
        if full is not None:
            n.key, n.kind, n.confidence = full.key, "partial", defaults.CONF_PARTIAL_NAME
            n.label = "PERSON"
    _join_first_and_surname(found)
    _link_acronyms(found)


def _link_acronyms(found: list[Name]) -> None:
    """'NATO' after 'North Atlantic Treaty Organization': an ALLCAPS name spelling the initials of a
    longer name of the same type in the article takes its key."""
    longs = {names.initials(n.words): n for n in found if len(n.words) >= 2 and n.kind == "name"}
    for n in found:
        full = longs.get(n.text) if n.kind == "name" and names.is_dateline_code(n.text) else None
        if full is not None and full.label == n.label and len(n.text) >= 2:
            n.key, n.kind, n.confidence = full.key, "partial", defaults.CONF_PARTIAL_NAME


def _own_key(n: Name) -> str:
    """A name's key before linking; place names followed by a suffix word take it ('Kursk Region')."""
    return n.place_key or n.text


def _full_name_for(n: Name, fulls: list[Name]) -> Name | None:
    """The longer name in the article this one is part of: surname, first name, or first+last."""
    words = [w.casefold() for w in n.words]
    best: Name | None = None
    best_rank: tuple[int, int, int] | None = None
    for f in fulls:
        fw = [w.casefold() for w in f.words]
        if f is n or len(fw) <= len(words) or not _may_be_person(n, f):
            continue
        surname = words[-1] == fw[-1] and (len(words) == 1 or words[0] == fw[0])
        # a lone first word: a first name, or a family name written first ("Wang" of "Wang Donghai")
        first = len(words) == 1 and words[0] == fw[0] and not n.honorific and n.label in ("PERSON", "ORG")
        if not (surname or first):
            continue
        # Prefer a surname match, then the nearest full name before, then the nearest after.
        rank = (1 if surname else 0, 1 if f.start < n.start else 0, -abs(n.start - f.start))
        if best_rank is None or rank > best_rank:
            best, best_rank = f, rank
    return best


def _may_be_person(n: Name, full: Name) -> bool:
    """Can ``n`` be part of the person ``full``? Persons yes; a type the model often gives surnames
    ("Zelensky" as ORG) yes; a place only after the person was named ("Lebed" after "Alexander
    Lebed"), because a place named before is more likely the place itself."""
    if n.label == "PERSON" or n.label in SLIP_LABELS:
        return True
    place = n.label in ("GPE", "LOC") and n.text.casefold() not in names.COUNTRY_ALIASES
    return place and full.start < n.start


def _join_first_and_surname(found: list[Name]) -> None:
    """'French President Emmanuel' ... 'Macron': a titled lone first name and a surname the article
    never completes are one person when they pair up one-to-one in reading order."""
    singles = [n for n in found if n.label == "PERSON" and n.kind == "name" and len(n.words) == 1]
    counts = Counter(n.key.casefold() for n in singles)
    intros = [n for n in singles if n.titles and counts[n.key.casefold()] == 1 and not n.honorific]
    intro_keys = {n.key.casefold() for n in intros}
    other_types = {n.text.casefold() for n in found if n.label != "PERSON"}
    orphan_first: dict[str, Name] = {}
    for n in singles:
        k = n.key.casefold()
        # 'The Tarva' (a river) or a word also tagged as a place is no one's surname
        if k in intro_keys or n.titles or k in orphan_first or k in other_types or n.after_the:
            continue
        orphan_first[k] = n
    orphans = sorted(orphan_first.values(), key=lambda n: n.start)
    if not intros or len(intros) != len(orphans):
        return
    pairs = list(zip(intros, orphans, strict=True))
    if any(o.start < i.start for i, o in pairs):
        return
    for intro, orphan in pairs:
        key, surname = f"{intro.text} {orphan.text}", orphan.key.casefold()
        for n in singles:
            if n is intro or n.key.casefold() == surname:
                n.key, n.kind, n.confidence = key, "partial", defaults.CONF_JOINED_NAME


def _unify_labels(found: list[Name]) -> None:
    """One actor, one type: mentions of a key take the type most of them have (first one on ties)."""
    by_key: dict[str, list[Name]] = {}
    for n in found:
        by_key.setdefault(n.key, []).append(n)
    for group in by_key.values():
        sure = [n.label for n in group if n.sure]
        if sure:  # a label read from context ('X, the company that') beats the model's votes
            for n in group:
                n.label = Counter(sure).most_common(1)[0][0]
            continue
        votes = Counter(n.label for n in group)
        best = max(votes.items(), key=lambda kv: (kv[1], -_first_index(group, kv[0])))[0]
        for n in group:
            n.label = best


def _first_index(group: list[Name], label: str) -> int:
    return next(i for i, n in enumerate(group) if n.label == label)


# ---------------------------------------------------------------------------------------------
# records
# ---------------------------------------------------------------------------------------------


def _name_mention(doc: ParsedDoc, article_id: str, n: Name) -> Mention:
    start, end = doc.tokens[n.start].idx, doc.tokens[n.end - 1].end
    return Mention(
        id=content_id(article_id, start, end, n.kind, prefix="m_"),
        article_id=article_id, start=start, end=end, text=doc.text[start:end], label=n.label,
        kind=n.kind, entity_key=n.key, titles=tuple(dict.fromkeys(n.titles)), confidence=n.confidence,
    )


def _ref_mention(doc: ParsedDoc, article_id: str, r: Ref) -> Mention:
    start, end = doc.tokens[r.start].idx, doc.tokens[r.end - 1].end
    return Mention(
        id=content_id(article_id, start, end, r.kind, prefix="m_"),
        article_id=article_id, start=start, end=end, text=doc.text[start:end], label=r.label,
        kind=r.kind, entity_key=r.key, titles=r.titles, confidence=r.confidence,
    )
