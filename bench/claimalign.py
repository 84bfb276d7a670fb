"""Cross-document claim alignment through the product path: the ``alignment`` section of
``bench/claims.py``.

The documents of ECB+ (dev by default; train to develop on) and GVC val are ingested, analysed
and fused as a user would run them (``newsfuse.pipeline.run`` on a JSONL file, temp SQLite store,
stories found by the product). Each gold event mention is then placed in one of the product's
claims, and the gold cross-document event chains are scored against those claims:

* a gold mention belongs to the claim whose evidence covers it *at the statement's anchor*: a
  stored claim's evidence is a sentence, and ECB+ marks nearly every event word of a sentence
  ('news', 'getting', 'help', 'checked into'), so a sentence-wide rule would put all of them in
  each claim of that sentence. The bench records, while the product fuses, which statements each
  stored claim was built from (:class:`ClaimRecorder`), and a mention belongs to the claim of the
  statement anchored inside it (an event's trigger, an amount's figure, a quote's cue); else, when
  exactly one claim's evidence covers it, to that claim; else it is alone (``PLACEMENT``
  'covering'; 'anchored' drops the second step; both are printed under ``placement_rules``).
  Evidence is what the *stored* claim shows (:func:`stored_evidence`, session 16): a statement of
  an article the claim dropped (``records._grounded``) anchors nothing; the rule before that, over
  the recorded statements' sentences, is printed as 'covering_recorded';
* wrong and missed pairs are counted by cause (:func:`failures`: placed through sentence-wide
  evidence, a claim holding two gold events, a mention in no claim, two stories, two claims); a
  mention in no claim whose words hold an analysed event by why (:func:`alone_causes`: no statement,
  its statement made no claim, its article dropped from the claim); and what the claims would score
  if each of the product's event chains were one claim (``chain_else_claim``: a ceiling, no product);
* pairwise precision, recall and F1 over *cross-document* mention pairs: a pair is predicted when
  both mentions are in one claim, gold when both are in one gold chain (singleton mentions count:
  a claim joining one to another mention is a wrong pair);
* peer in the same run: same head lemma (spaCy on the gold tokens for ECB+, the corpus' own lemma
  for GVC) in the same gold subtopic (ECB+ ``36_1ecb`` -> ``36_ecb``) or incident (GVC), which
  also hands it the gold story; and the same rule inside the product's stories.

The one setting, ``PLACEMENT``, was chosen on ECB+ train (first 4 topics, ``--align-splits
ecb_train --align-topics 4``) by pairwise F1 ('covering' 0.088 against 'anchored' 0.037; the
precision is the other way round: 0.19 against 0.54); ECB+ dev and GVC val are reported once.
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

_NO_SPACE_BEFORE = re.compile(r"^(?:[,.;:!?%)\]}]|n't|'s|'re|'ve|'ll|'d|'m)$")
_NO_SPACE_AFTER = re.compile(r"^[(\[{$]$")
BENCH_HOST = "https://bench.invalid"
RULES = ("anchored", "covering")
PLACEMENT = "covering"  # chosen on ECB+ train (first 4 topics) by pairwise F1: 0.088 against 0.037


@dataclass
class Doc:
    key: str
    scope: str  # gold subtopic (ECB+) or incident (GVC)
    sentences: dict[int, list[str]]  # sentence number -> tokens
    title_sentences: tuple[int, ...] = ()  # sentences sent as the title (GVC), not in the text
    published: str | None = None


@dataclass
class GoldMention:
    doc: str
    sent: int
    tokens: list[int]
    chain: str
    scope: str
    lemma: str = ""
    start: int = -1  # character range in the stored article text (-1: not placed)
    end: int = -1
    words: list[str] = field(default_factory=list)


# -- data ----------------------------------------------------------------------------------------


def detokenized(tokens: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """Readable text of CoNLL tokens and each token's character range in it (no space before
    punctuation and clitics, none after an opening bracket)."""
    out, offsets = "", []
    for n, tok in enumerate(tokens):
        if n and not _NO_SPACE_BEFORE.match(tok) and not _NO_SPACE_AFTER.match(tokens[n - 1]):
            out += " "
        offsets.append((len(out), len(out) + len(tok)))
        out += tok
    return out, offsets


def _read_conll(path: Path, doc_col: int) -> dict[str, dict[int, list[str]]]:
    docs: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    with path.open(encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 4 and parts[1].isdigit() and parts[2].isdigit():
                docs[parts[doc_col]][int(parts[1])].append(parts[3])
    return docs


def ecb_scope(doc_id: str) -> str:
    topic, rest = doc_id.split("_", 1)
    return f"{topic}_{'ecbplus' if rest.endswith('ecbplus') else 'ecb'}"


def read_ecb(folder: Path, split: str, topics: int | None) -> tuple[list[Doc], list[GoldMention]]:
    corpus = _read_conll(folder / f"ECB_{split}_corpus.txt", 0)
    keep = sorted({d.split("_")[0] for d in corpus}, key=int)
    keep = keep[:topics] if topics else keep
    docs = [Doc(d, ecb_scope(d), dict(s)) for d, s in corpus.items() if d.split("_")[0] in keep]
    mentions = [GoldMention(m["doc_id"], int(m["sent_id"]), list(m["tokens_number"]), m["coref_chain"],
                            ecb_scope(m["doc_id"]))
                for m in json.loads((folder / f"ECB_{split}_Event_gold_mentions.json").read_text("utf-8"))
                if m["doc_id"].split("_")[0] in keep]
    return docs, mentions


def read_gvc(folder: Path, topics: int | None) -> tuple[list[Doc], list[GoldMention]]:
    """GVC: sentence 0 of a document is its date, sentence 1 its title (sent as the title)."""
    corpus = _read_conll(folder / "dataset.conll", 0)
    incidents = sorted({k.split("/")[1] for k in corpus})
    keep = set(incidents[:topics] if topics else incidents)
    docs = []
    for key, sents in corpus.items():
        if key.split("/")[1] not in keep:
            continue
        first = " ".join(sents.get(0, []))
        published = first if re.fullmatch(r"\d{4}-\d{2}-\d{2}", first) else None
        body = {n: t for n, t in sents.items() if not (n == 0 and published)}
        docs.append(Doc(key, key.split("/")[1], body, (1,) if len(body) > 1 else (), published))
    mentions = [GoldMention(m["conll_doc_key"], int(m["sent_id"]), list(m["tokens_number"]),
                            m["coref_chain"], m["conll_doc_key"].split("/")[1],
                            str(m.get("mention_head_lemma") or "").casefold())
                for m in json.loads((folder / "event_mentions.json").read_text("utf-8"))
                if m["conll_doc_key"].split("/")[1] in keep]
    return docs, mentions


def ecb_lemmas(docs: Sequence[Doc], mentions: Sequence[GoldMention]) -> None:
    """Head lemma of each ECB+ mention from spaCy on its gold-tokenised sentence (bench/coref.py)."""
    import coref

    corpus = {d.key: d.sentences for d in docs}
    found = [coref.Mention(n, m.doc, m.scope, m.sent, m.tokens, "", m.chain, "EVENT")
             for n, m in enumerate(mentions)]
    coref.add_heads(corpus, found)
    for m, f in zip(mentions, found, strict=True):
        m.lemma = f.lemma


def record(doc: Doc) -> dict[str, Any]:
    """The JSONL record a user would import: title (GVC), text of the other sentences, a URL."""
    title = " ".join(detokenized(doc.sentences[n])[0] for n in doc.title_sentences) or None
    body = [t for n, t in sorted(doc.sentences.items()) if n not in doc.title_sentences]
    text = "\n".join(detokenized(t)[0] for t in body)
    return {"title": title, "text": text, "published": doc.published, "url": f"{BENCH_HOST}/{doc.key}"}


def place(doc: Doc, stored: str, mentions: Iterable[GoldMention]) -> None:
    """Character ranges of ``mentions`` in the stored text (found sentence by sentence in order;
    the product's cleaning may change white space)."""
    where: dict[int, tuple[int, list[tuple[int, int]]]] = {}
    at = 0
    for n, tokens in sorted(doc.sentences.items()):
        if n in doc.title_sentences:
            continue
        text, offsets = detokenized(tokens)
        pattern = r"\s*".join(re.escape(t) for t in text.split(" "))
        found = re.compile(pattern).search(stored, at)
        if found is None:
            continue
        at = found.end()
        # token offsets shift by the white space the stored text dropped or added between them
        where[n] = (found.start(), offsets if found.group() == text else _realigned(found.group(), tokens))
    for m in mentions:
        if m.sent not in where or not m.tokens or max(m.tokens) >= len(where[m.sent][1]):
            continue
        base, offsets = where[m.sent]
        m.start, m.end = base + offsets[min(m.tokens)][0], base + offsets[max(m.tokens)][1]
        m.words = [doc.sentences[m.sent][t] for t in m.tokens]


def _realigned(found: str, tokens: Sequence[str]) -> list[tuple[int, int]]:
    out, at = [], 0
    for tok in tokens:
        i = found.find(tok, at)
        i = at if i < 0 else i
        out.append((i, i + len(tok)))
        at = i + len(tok)
    return out


# -- scoring -------------------------------------------------------------------------------------


def pairwise(
    labels: Mapping[int, Any], gold: Mapping[int, Any], doc_of: Mapping[int, str]
) -> dict[str, float]:
    """Pairwise P/R/F1 over cross-document pairs: predicted when both mentions share a label
    (``None``: alone), gold when they share a gold label."""
    def pairs(of: Mapping[int, Any]) -> set[tuple[int, int]]:
        groups: dict[Any, list[int]] = defaultdict(list)
        for m, label in of.items():
            if label is not None:
                groups[label].append(m)
        return {(a, b) for members in groups.values() for a, b in combinations(sorted(members), 2)
                if doc_of[a] != doc_of[b]}

    pred, true = pairs(labels), pairs(gold)
    hit = len(pred & true)
    p = hit / len(pred) if pred else 0.0
    r = hit / len(true) if true else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "predicted_pairs": len(pred), "gold_pairs": len(true)}


class ClaimRecorder:
    """Which statements each stored claim was built from, recorded while the product fuses.

    The bench wraps ``newsfuse.fuse.claims.build.claim_of`` (the step turning one aligned cluster
    into a Claim) for the run, so each claim's statements, with the character where each is
    anchored (an event's trigger, an amount's figure, a quote's cue), are known; the last build of
    a story is the one stored. Nothing in the product changes."""

    def __init__(self) -> None:
        # story -> (article ID, statement kind, statement ID, anchor, evidence start, end) -> claim ID
        self.by_story: dict[str, dict[tuple[str, str, str, int, int, int], str]] = {}
        self._building: dict[str, dict[tuple[str, str, str, int, int, int], str]] = {}
        # story -> (article ID, anchor of an event statement) -> its event chain in the story's last build
        self.chains: dict[str, dict[tuple[str, int], int]] = {}

    def __enter__(self) -> ClaimRecorder:
        from newsfuse.fuse.claims import build
        from newsfuse.fuse.claims.resume import ALIGNMENTS

        self._original, self._build = build.claim_of, build.build_claims
        self._aligned = ALIGNMENTS.aligned
        build.claim_of = self._wrapped  # type: ignore[assignment]
        build.build_claims = self._built  # type: ignore[assignment]
        ALIGNMENTS.aligned = self._chained  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        from newsfuse.fuse.claims import build
        from newsfuse.fuse.claims.resume import ALIGNMENTS

        build.claim_of, build.build_claims = self._original, self._build  # type: ignore[assignment]
        ALIGNMENTS.aligned = self._aligned  # type: ignore[method-assign]

    def _chained(self, story_id: str, *args: Any, **kwargs: Any) -> Any:
        chains, groups = self._aligned(story_id, *args, **kwargs)
        self.chains[story_id] = {(st.article.id, st.at): n for n, chain in enumerate(chains) for st in chain}
        return chains, groups

    def _built(self, story_id: str, *args: Any, **kwargs: Any) -> Any:
        self._building[story_id] = {}
        claims = self._build(story_id, *args, **kwargs)
        self.by_story[story_id] = self._building.pop(story_id)
        return claims

    def _wrapped(self, story_id: str, members: Any, *args: Any) -> Any:
        claim = self._original(story_id, members, *args)
        if claim is not None and story_id in self._building:
            for st, _, _ in members:
                key = (st.article.id, st.kind, st.id, st.at, st.span.start, st.span.end)
                self._building[story_id][key] = claim.id
        return claim


Evidence = Mapping[str, Mapping[str, Sequence[tuple[int, int]]]]  # claim -> article -> its stored spans


def stored_evidence(store: Any) -> dict[str, dict[str, list[tuple[int, int]]]]:
    """Each stored claim's evidence: claim ID -> article ID -> the character spans its source shows."""
    from newsfuse.store import queries

    out: dict[str, dict[str, list[tuple[int, int]]]] = {}
    for claim in queries.all_claims(store):
        for source in claim.sources:
            out.setdefault(claim.id, {}).setdefault(source.article_id, []).extend(
                (sp.start, sp.end) for sp in source.evidence)
    return out


def claim_labels(
    store: Any, recorder: ClaimRecorder, live: Iterable[str], mentions: Sequence[GoldMention],
    article_of: Mapping[str, str], rule: str = PLACEMENT, evidence: Evidence | None = None,
) -> dict[int, Any]:
    """The claim of each placed mention: the claim holding a statement anchored inside the mention
    (an event's trigger, an amount's figure, a quote's cue; the first by position when several);
    with ``rule`` 'covering', else the one claim whose evidence covers the mention, when only one
    does; else none. With ``evidence`` (:func:`stored_evidence`) a claim's evidence is what the
    stored claim shows, as the issue defines it: a statement the claim was built from but whose
    article the claim dropped (``records._grounded``) anchors nothing, and a mention is covered by
    the stored spans (else by the recorded statements' sentences)."""
    from newsfuse.store import queries

    anchors: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    spans: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for story in live:
        for (article, kind, sid, at, lo, hi), claim in recorder.by_story.get(story, {}).items():
            shown = evidence.get(claim, {}).get(article) if evidence is not None else [(lo, hi)]
            if not shown or not any(x < hi and lo < y for x, y in shown):
                continue  # not in what the stored claim shows of this article
            if evidence is None:
                spans[article].append((lo, hi, claim))
            if kind != "quote":
                anchors[article].append((at, at + 1, claim))
                continue
            quote = next((q for q in queries.get_analysis(store, article).quotes if q.id == sid), None)
            if quote is not None and quote.cue_start is not None and quote.cue_end is not None:
                anchors[article].append((quote.cue_start, quote.cue_end, claim))
    for claim, shown in (evidence or {}).items():
        for article, pieces in shown.items():
            spans[article] += [(lo, hi, claim) for lo, hi in pieces]
    out: dict[int, Any] = {}
    for n, m in enumerate(mentions):
        article = article_of.get(m.doc, "")
        inside = sorted((lo, c) for lo, hi, c in anchors.get(article, ()) if m.start < hi and lo < m.end)
        covering = {c for lo, hi, c in spans.get(article, ()) if lo <= m.start and m.end <= hi}
        if m.start < 0:
            out[n] = None
        elif inside:
            out[n] = inside[0][1]
        else:
            out[n] = covering.pop() if rule == "covering" and len(covering) == 1 else None
    return out


def with_event(
    store: Any, mentions: Sequence[GoldMention], article_of: Mapping[str, str], untyped: bool = True
) -> list[bool]:
    """Whether the analysis found any event (whatever its confidence; with ``untyped`` also the
    events no PLOVER word names) whose trigger stands inside each mention: the coverage the claims
    can have at most, since an event claim is anchored at its trigger."""
    from newsfuse.store import queries

    triggers: dict[str, list[int]] = {}
    for article in set(article_of.values()):
        analysis = queries.get_analysis(store, article)
        found = [*analysis.events, *(analysis.untyped if untyped else ())] if analysis is not None else []
        triggers[article] = [e.trigger_start for e in found]
    return [m.start >= 0 and any(m.start <= t < m.end for t in triggers.get(article_of.get(m.doc, ""), ()))
            for m in mentions]


# -- the product path ----------------------------------------------------------------------------


def run_split(name: str, docs: list[Doc], mentions: list[GoldMention]) -> dict[str, Any]:
    from newsfuse.pipeline import RunContext, run
    from newsfuse.store import Store, queries

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = Path(tmp) / f"{name}.jsonl"
        jsonl.write_text("".join(json.dumps(record(d)) + "\n" for d in docs), encoding="utf-8")
        store = Store(str(Path(tmp) / f"{name}.db"))
        try:
            with ClaimRecorder() as recorder:
                run(store, RunContext(paths=[jsonl]))
            stored = {a.url: a for a in queries.list_articles(store) if a.url}
            article_of: dict[str, str] = {}
            for d in docs:
                a = stored.get(f"{BENCH_HOST}/{d.key}")
                if a is not None:
                    article_of[d.key] = a.id
                    place(d, a.text, [m for m in mentions if m.doc == d.key])
            story_of = {d: queries.story_of_article(store, a) or f"none-{d}" for d, a in article_of.items()}
            live = [s.id for s in queries.list_stories(store, limit=1_000_000)]
            shown = stored_evidence(store)
            ours = claim_labels(store, recorder, live, mentions, article_of, evidence=shown)
            variants = {rule: claim_labels(store, recorder, live, mentions, article_of, rule, shown)
                        for rule in RULES}
            # the rule before session 16: statements' sentences, whether the stored claim kept them
            variants["covering_recorded"] = claim_labels(store, recorder, live, mentions, article_of)
            chained = chain_labels(recorder, live, mentions, article_of)
            recorded = claim_labels(store, recorder, live, mentions, article_of, "anchored")
            analysed = with_event(store, mentions, article_of)
            typed = with_event(store, mentions, article_of, untyped=False)
        finally:
            store.close()
    placed = [n for n, m in enumerate(mentions) if m.start >= 0]
    doc_of = {n: mentions[n].doc for n in placed}
    gold = {n: (mentions[n].scope, mentions[n].chain) for n in placed}
    out: dict[str, Any] = {
        "documents": len(docs), "stored": len(article_of), "mentions": len(mentions), "placed": len(placed),
        "in_a_claim": sum(1 for n in placed if ours[n] is not None),
        # coverage: a mention no analysed event is anchored in can only join a claim by its sentence
        "anchored_in_a_claim": sum(1 for n in placed if variants["anchored"][n] is not None),
        "with_an_analysed_event": sum(1 for n in placed if analysed[n]),
        "with_a_typed_event": sum(1 for n in placed if typed[n]),
        "stories": len(set(story_of.values())), "gold_stories": len({d.scope for d in docs}),
        "ours_claims": pairwise({n: ours[n] for n in placed}, gold, doc_of),
        "same_head_lemma_gold_story": pairwise(
            {n: (mentions[n].scope, mentions[n].lemma) for n in placed}, gold, doc_of),
        "same_head_lemma_our_story": pairwise(
            {n: (story_of.get(mentions[n].doc), mentions[n].lemma) for n in placed}, gold, doc_of),
    }
    out["placement_rules"] = {rule: pairwise({n: v[n] for n in placed}, gold, doc_of)
                              for rule, v in variants.items()}
    out["gap"] = coverage_gap(placed, variants["anchored"], ours, gold, doc_of,
                              {n: (mentions[n].scope, mentions[n].lemma) for n in placed}, chained)
    out["failures"] = failures(placed, mentions, variants["anchored"], ours, chained, analysed,
                               {n: story_of.get(mentions[n].doc) for n in placed},
                               {c: set(arts) for c, arts in shown.items()},
                               alone_causes(placed, ours, chained, recorded, analysed))
    # what the claims would score if each product event chain were one claim (else its claim)
    out["chain_else_claim"] = pairwise(
        {n: ("chain", chained[n]) if chained.get(n) is not None else ours[n] for n in placed}, gold, doc_of)
    out["seconds"] = round(time.perf_counter() - started, 1)
    print(f"alignment {name:<9} placed {len(placed)}: in a claim {out['in_a_claim']}, anchored in one "
          f"{out['anchored_in_a_claim']}, with an analysed event {out['with_an_analysed_event']} "
          f"(typed {out['with_a_typed_event']})")
    for system in ("ours_claims", "same_head_lemma_gold_story", "same_head_lemma_our_story"):
        s = out[system]
        print(f"alignment {name:<9} {system:<27} P {s['precision']:.3f}  R {s['recall']:.3f}  "
              f"F1 {s['f1']:.3f}  ({s['predicted_pairs']} pairs predicted, {s['gold_pairs']} gold)")
    g = out["gap"]
    print(f"alignment {name:<9} gap: gold pairs with both mentions anchored in a claim "
          f"{g['gold_pairs_anchored']} of {g['gold_pairs']}; on those mentions ours F1 "
          f"{g['ours_on_anchored']['f1']:.3f}, "
          f"lemma F1 {g['lemma_on_anchored']['f1']:.3f}")
    print(f"alignment {name:<9} gap: {g['chained']} mentions hold an event of the product's chains; on "
          f"those its event chains F1 {g['chains_on_chained']['f1']:.3f}, "
          f"lemma F1 {g['lemma_on_chained']['f1']:.3f}")
    c = out["chain_else_claim"]
    print(f"alignment {name:<9} each product event chain one claim, else the claim: P {c['precision']:.3f}  "
          f"R {c['recall']:.3f}  F1 {c['f1']:.3f}")
    for kind in ("wrong", "missed"):
        print(f"alignment {name:<9} {kind} pairs by cause: "
              + "; ".join(f"{k} {v}" for k, v in out["failures"][kind].items()))
    return out


def failures(
    placed: Sequence[int], mentions: Sequence[GoldMention], anchored: Mapping[int, Any],
    ours: Mapping[int, Any], chained: Mapping[int, Any], analysed: Sequence[bool],
    story_of: Mapping[int, Any], articles_of: Mapping[str, set[str]],
    alone: Mapping[int, str] | None = None,
) -> dict[str, dict[str, int]]:
    """Wrong and missed cross-document pairs counted by cause (aggregate counts, for diagnosis):
    wrong pairs placed through a claim's sentence-wide evidence (the placement rule) or anchored in
    a claim holding two gold events (the product's claims: their statements one product event chain
    or not); missed pairs with a mention in no claim (with or without an analysed event at its
    words; with ``alone`` (:func:`alone_causes`) why an analysed event's mention is in none: the
    first of the pair's lone mentions by that order), in two stories, or in two claims of one story
    (one product chain or not; two claims an article is in never join)."""
    how = {n: "anchored" if anchored[n] is not None else "covering" if ours[n] is not None else "none"
           for n in placed}
    gold = {n: (mentions[n].scope, mentions[n].chain) for n in placed}

    def pairs(labels: Mapping[int, Any]) -> set[tuple[int, int]]:
        groups: dict[Any, list[int]] = defaultdict(list)
        for n in placed:
            if labels[n] is not None:
                groups[labels[n]].append(n)
        return {(a, b) for v in groups.values() for a, b in combinations(v, 2)
                if mentions[a].doc != mentions[b].doc}

    predicted, true = pairs(ours), pairs(gold)
    wrong: dict[str, int] = defaultdict(int)
    for a, b in sorted(predicted - true):
        one_chain = chained.get(a) is not None and chained.get(a) == chained.get(b)
        if "covering" in (how[a], how[b]):
            wrong["placed by a claim's sentence-wide evidence"] += 1
        else:
            kind = "one product chain" if one_chain else "not one chain"
            wrong[f"claim holds two gold events, {kind}"] += 1
        if mentions[a].scope != mentions[b].scope:
            wrong["(of all: two gold subtopics)"] += 1
    missed: dict[str, int] = defaultdict(int)
    for a, b in sorted(true - predicted):
        one_chain = chained.get(a) is not None and chained.get(a) == chained.get(b)
        if "none" in (how[a], how[b]):
            lone = [n for n in (a, b) if how[n] == "none"]
            if not all(analysed[n] for n in lone):
                missed["in no claim: no analysed event"] += 1
            elif alone is None:
                missed["in no claim: an analysed event"] += 1
            else:
                missed["in no claim: " + min((alone[n] for n in lone), key=ALONE.index)] += 1
        elif story_of[a] != story_of[b]:
            missed["two stories"] += 1
        elif one_chain and articles_of.get(ours[a], set()) & articles_of.get(ours[b], set()):
            missed["two claims of one chain sharing an article"] += 1
        else:
            missed["two claims, " + ("one product chain" if one_chain else "not one chain")] += 1
    return {"wrong": dict(sorted(wrong.items(), key=lambda x: -x[1])),
            "missed": dict(sorted(missed.items(), key=lambda x: -x[1]))}


# Why a mention whose words hold an analysed event is in no claim, most basic first.
ALONE = (
    "an analysed event, no statement",  # e.g. inside a no-comment phrase or boilerplate
    "its statement made no claim",  # weak only (untyped / light verb) and one originator: noise
    "its article dropped from its claim",  # records._grounded: untyped, no actor shared
)


def alone_causes(
    placed: Sequence[int], ours: Mapping[int, Any], chained: Mapping[int, Any],
    recorded: Mapping[int, Any], analysed: Sequence[bool],
) -> dict[int, str]:
    """For each placed mention in no claim whose words hold an analysed event, why (:data:`ALONE`):
    no event statement is anchored in it (``chained`` None), its statement is in no recorded claim
    (the claim was dropped as noise), or the claim holds it but the stored claim dropped its
    article (``recorded``: :func:`claim_labels` 'anchored' over the recorded statements)."""
    out = {}
    for n in placed:
        if ours[n] is not None or not analysed[n]:
            continue
        out[n] = (ALONE[0] if chained.get(n) is None else ALONE[1] if recorded.get(n) is None
                  else ALONE[2])
    return out


def chain_labels(
    recorder: ClaimRecorder, live: Iterable[str], mentions: Sequence[GoldMention],
    article_of: Mapping[str, str],
) -> dict[int, Any]:
    """The event chain (story, number) of the event statement anchored inside each mention (the
    first by position), None when no event statement of a live story is anchored in it."""
    anchors: dict[str, list[tuple[int, tuple[str, int]]]] = defaultdict(list)
    for story in live:
        for (article, at), n in recorder.chains.get(story, {}).items():
            anchors[article].append((at, (story, n)))
    out: dict[int, Any] = {}
    for k, m in enumerate(mentions):
        inside = sorted(a for a in anchors.get(article_of.get(m.doc, ""), ()) if m.start <= a[0] < m.end)
        out[k] = inside[0][1] if m.start >= 0 and inside else None
    return out


def coverage_gap(
    placed: Sequence[int], anchored: Mapping[int, Any], ours: Mapping[int, Any], gold: Mapping[int, Any],
    doc_of: Mapping[int, str], lemma: Mapping[int, Any], chained: Mapping[int, Any] | None = None,
) -> dict[str, Any]:
    """How much of the distance to the peer is coverage and how much is chaining: the gold pairs whose
    two mentions each hold a claim statement's anchor (the most any grouping of claims can find
    without sentence-wide evidence), and ours against the lemma peer on those mentions alone; with
    ``chained`` (:func:`chain_labels`), the product's event chains against the peer on the mentions
    holding an event of them (what claims would score if every chain were one claim)."""
    held = [n for n in placed if anchored[n] is not None]
    on = {n: gold[n] for n in held}
    out: dict[str, Any] = {
        "gold_pairs": pairwise(gold, gold, doc_of)["gold_pairs"],
        "gold_pairs_anchored": pairwise(on, on, doc_of)["gold_pairs"],
        "ours_on_anchored": pairwise({n: ours[n] for n in held}, on, doc_of),
        "lemma_on_anchored": pairwise({n: lemma[n] for n in held}, on, doc_of),
    }
    if chained is not None:
        ev = [n for n in placed if chained.get(n) is not None]
        on_ev = {n: gold[n] for n in ev}
        out["chained"] = len(ev)
        out["chains_on_chained"] = pairwise({n: chained[n] for n in ev}, on_ev, doc_of)
        out["lemma_on_chained"] = pairwise({n: lemma[n] for n in ev}, on_ev, doc_of)
    return out


SPLITS = ("ecb_dev", "gvc_val", "ecb_train")


def run(
    data_path: Path, splits: Sequence[str] = ("ecb_dev", "gvc_val"), topics: int | None = None
) -> dict[str, Any]:
    """The alignment section: each split of ``splits`` (``ecb_dev``, ``gvc_val``, ``ecb_train``),
    the first ``topics`` topics (ECB+) or incidents (GVC) of each when given."""
    out: dict[str, Any] = {}
    for name in splits:
        if name.startswith("ecb_"):
            docs, mentions = read_ecb(data_path / "ecbplus", name.split("_")[1].capitalize(), topics)
            ecb_lemmas(docs, mentions)
        elif name == "gvc_val":
            docs, mentions = read_gvc(data_path / "gvc" / "val", topics)
        else:
            raise SystemExit(f"alignment: unknown split {name!r}; choose from {', '.join(SPLITS)}")
        out[name] = run_split(name, docs, mentions)
    return out
