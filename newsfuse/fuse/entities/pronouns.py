"""The pronoun rule: a pronoun-only group joins, inside its own article only, the actor it most
likely refers to. Kept apart since it reads mention offsets, not names.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsfuse.fuse.entities.blocks import _Linker, _Union
from newsfuse.fuse.entities.names import NameGroup

# Pronouns by what they can refer to; relative pronouns refer to the phrase they follow.
_PERSONAL = frozenset({"he", "him", "his", "himself", "she", "her", "hers", "herself"})
_NEUTER = frozenset({"it", "its", "itself"})
_RELATIVE = frozenset({"who", "whom", "whose", "which", "that"})


def _link_pronouns(groups: Sequence[NameGroup], uf: _Union, link: _Linker) -> None:
    by_article: dict[str, list[int]] = {}
    for i, g in enumerate(groups):
        if not g.pronoun_only:
            by_article.setdefault(g.article_id, []).append(i)
    for i, g in enumerate(groups):
        word = g.norm
        if not g.pronoun_only or not g.positions or word not in _PERSONAL | _NEUTER | _RELATIVE:
            continue
        at = min(g.positions)
        found = _antecedent(groups, by_article.get(g.article_id, []), at, word)
        if found is not None:
            link(uf.find(found), i, f"pronoun: {g.key}")


def _antecedent(groups: Sequence[NameGroup], candidates: list[int], at: int, word: str) -> int | None:
    """The group a pronoun at offset ``at`` refers to, among its article's named/described groups."""
    before = [(max(p for p in groups[j].positions if p < at), j) for j in candidates
              if any(p < at for p in groups[j].positions)]
    if word in _RELATIVE:
        return max(before)[1] if before else None
    person = word in _PERSONAL
    fitting = [(groups[j].count, pos, j) for pos, j in before if (groups[j].label == "PERSON") == person]
    return max(fitting)[2] if fitting else None

