"""One speaker's statement told by two outlets in other words (newsfuse/fuse/claims/speakers.py):
one claim when both sentences name the same actor the story's leads do not, two otherwise."""

from __future__ import annotations

from newsfuse.fuse.claims.build import build_claims
from newsfuse.ids import content_id
from newsfuse.models import Analysis, Article, Claim, Mention, Quote

LEAD = "Flooding hit the northern district on Monday, officials said."
HERALD = ("Hallen said opening the sluices of the dam would mean the direct flooding of Marsby and its "
          "farms in the valley.")
OBSERVER = ("Hallen has warned that any such opening of the sluices could be seen as direct flooding of "
            "Marsby, prompting the council to seek help.")


def _mention(a: Article, name: str, at: int, label: str) -> Mention:
    start = a.text.index(name, at)
    return Mention(content_id(a.id, "m", start), a.id, start, start + len(name), name, label, "name", name)


def _report(aid: str, outlet: str, lead: str, sentence: str, cue: str) -> tuple[Article, Analysis]:
    a = Article(id=aid, text=f"{lead}\n\n{sentence}", outlet=outlet, published="2025-09-14",
                published_source="header")
    at = a.text.index(sentence)
    cue_at = a.text.index(cue, at)
    content_at = cue_at + len(cue) + 1
    content = a.text[content_at:].rstrip(".")
    quote = Quote(content_id(aid, "q", at), aid, "reported", content, content_at, content_at + len(content),
                  speaker="Hallen", speaker_start=at, speaker_end=at + 6, speaker_key="Hallen", cue=cue,
                  cue_start=cue_at, cue_end=cue_at + len(cue))
    places = [n for n in range(len(a.text)) if a.text.startswith("Marsby", n)]
    mentions = [_mention(a, "Hallen", at, "PERSON")] + [_mention(a, "Marsby", n, "GPE") for n in places]
    return a, Analysis(aid, quotes=(quote,), mentions=tuple(mentions))


def _claims(lead: str) -> list[Claim]:
    reports = [_report("x", "Lowland Herald", lead, HERALD, "said"),
               _report("y", "Northgate Observer", lead, OBSERVER, "has warned that")]
    emap = {(aid, key): f"e_{key.casefold()}" for aid in ("x", "y") for key in ("Hallen", "Marsby")}
    return build_claims("s", [a for a, _ in reports], {a.id: an for a, an in reports}, emap)


def test_one_speakers_statement_reworded_by_two_outlets_is_one_claim() -> None:
    claims = [c for c in _claims(LEAD) if c.kind == "quote"]
    assert [(c.status, c.independent_sources) for c in claims] == [("corroborated", 2)]


def test_an_actor_every_lead_names_is_no_evidence() -> None:
    claims = [c for c in _claims("Flooding hit Marsby on Monday, officials said.") if c.kind == "quote"]
    assert len(claims) == 2
    assert {c.status for c in claims} == {"single-source"}
