"""A spaCy-free view of a parsed text: tokens, sentences and named entities with char offsets.

:mod:`newsfuse.analyze.nlp` is the only module that touches spaCy; it turns each ``Doc`` into a
:class:`ParsedDoc`. Every rule (entities, quotes, events, dates, amounts) works on this view, which
keeps the rules testable with hand-made parses and lets parses be cached or sent between processes.
Offsets are those of the text that was parsed (the article's cleaned text).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Tok:
    i: int  # index in the document
    text: str
    idx: int  # character offset of the token's start
    lemma: str
    pos: str  # universal POS: NOUN VERB PROPN PRON ...
    tag: str  # fine-grained tag: VBD NNP ...
    dep: str  # dependency label: nsubj dobj ccomp ...
    head: int  # index of the syntactic head (itself for the root)
    ent_type: str = ""  # PERSON ORG ... or ''
    ent_iob: str = "O"  # B I O
    ws: str = ""  # trailing whitespace
    sent: int = 0  # index of the sentence holding the token

    @property
    def end(self) -> int:
        return self.idx + len(self.text)


@dataclass(frozen=True, slots=True)
class Sent:
    start: int  # first token index
    end: int  # one past the last token index
    start_char: int
    end_char: int


@dataclass(frozen=True, slots=True)
class Ent:
    start: int  # token indices, end exclusive
    end: int
    start_char: int
    end_char: int
    label: str
    text: str


@dataclass(slots=True)
class ParsedDoc:
    text: str
    tokens: tuple[Tok, ...]
    sents: tuple[Sent, ...]
    ents: tuple[Ent, ...]
    _children: list[list[int]] | None = field(default=None, repr=False)

    def children(self, i: int) -> list[int]:
        """Indices of the tokens whose head is token ``i``, in text order."""
        if self._children is None:
            kids: list[list[int]] = [[] for _ in self.tokens]
            for t in self.tokens:
                if t.head != t.i:
                    kids[t.head].append(t.i)
            self._children = kids
        return self._children[i]

    def subtree(self, i: int) -> list[int]:
        """Token ``i`` and everything below it, sorted."""
        out, stack = [], [i]
        while stack:
            j = stack.pop()
            out.append(j)
            stack.extend(self.children(j))
        return sorted(out)

    def ancestors(self, i: int) -> list[int]:
        out: list[int] = []
        while self.tokens[i].head != i and len(out) < len(self.tokens):
            i = self.tokens[i].head
            out.append(i)
        return out

    def span_text(self, start: int, end: int) -> str:
        """Text of tokens ``start:end`` (token indices), as written."""
        if start >= end:
            return ""
        return self.text[self.tokens[start].idx : self.tokens[end - 1].end]

    def sent_of(self, i: int) -> Sent:
        return self.sents[self.tokens[i].sent]

    def token_at(self, char: int) -> int | None:
        """Index of the token covering character offset ``char``."""
        lo, hi = 0, len(self.tokens) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            t = self.tokens[mid]
            if char < t.idx:
                hi = mid - 1
            elif char >= t.end + len(t.ws):
                lo = mid + 1
            else:
                return mid
        return None
