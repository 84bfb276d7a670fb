"""One sentence told by two outlets: a changed figure, date, actor or negation is a conflict;
rounding, a later running count and a synonym are not. Also: claims do not depend on arrival order."""

from __future__ import annotations

from newsfuse.fuse.claims.build import build_claims
from newsfuse.ids import content_id
from newsfuse.models import Amount, Analysis, Article, Event, Mention

BASE = "Police said Tomas Berg shot 14 people at the Lisk market on Friday."


def art(aid: str, outlet: str, text: str, published: str = "2025-09-14") -> Article:
    return Article(id=aid, text=text, outlet=outlet, published=published, published_source="header")


def analysis(a: Article) -> Analysis:
    """The shooting (source Berg or whoever is named) and its figure, as the analysis would give."""
    shot = a.text.index("sho")
    who = next(n for n in ("Tomas Berg", "Ivo Marek") if n in a.text)
    at = a.text.index(who)
    ev = Event(content_id(a.id, "e"), a.id, "shoot", shot, a.text.index(" ", shot), 0, len(a.text), "ASSAULT",
               negated="did not" in a.text, source=who, source_key=who)
    mentions = (Mention(content_id(a.id, "m"), a.id, at, at + len(who), who, "PERSON", "name", who),)
    figure = next((w for w in a.text.split() if w.replace(",", "").isdigit()), None)
    amounts = ()
    if figure is not None:
        start = a.text.index(figure + " people")
        approx = "about" if "about " + figure in a.text else None
        amounts = (Amount(content_id(a.id, "n"), a.id, start, start + len(figure) + 7, figure + " people",
                          float(figure.replace(",", "")), counted="people", approx=approx),)
    return Analysis(a.id, mentions=mentions, events=(ev,), amounts=amounts)


def status(other: str, published: str = "2025-09-14", base: str = BASE) -> str:
    a, b = art("a", "Lisk Herald", base), art("b", "Dunmere Courier", other, published)
    emap = {(x.id, n): "e_" + n.split()[-1].lower() for x in (a, b) for n in ("Tomas Berg", "Ivo Marek")}
    claims = build_claims("s", [a, b], {x.id: analysis(x) for x in (a, b)}, emap)
    both = [c for c in claims if {s.article_id for s in c.sources} == {"a", "b"}]
    return "conflicting" if any(c.status == "conflicting" for c in both) else \
        "agree" if both else "apart"


def test_a_changed_figure_date_actor_or_negation_conflicts() -> None:
    assert status(BASE.replace("14", "31")) == "conflicting"
    assert status(BASE.replace("Friday", "Monday")) == "conflicting"
    assert status(BASE.replace("Tomas Berg", "Ivo Marek")) == "conflicting"
    assert status(BASE.replace("Berg shot", "Berg did not shoot")) == "conflicting"


def test_a_title_written_in_another_house_style_is_no_other_actor() -> None:
    # 'Mr.' / 'Sen.' / 'Senator' is how an outlet writes names, not who did it
    titled = BASE.replace("Tomas Berg", "Sen. Tomas Berg")
    restyled = BASE.replace("Tomas Berg", "Senator Tomas Berg")
    assert status(restyled, base=titled) == "agree"
    assert status(restyled.replace("Tomas Berg", "Ivo Marek"), base=titled) == "conflicting"


def test_rounding_a_running_count_and_a_synonym_agree() -> None:
    assert status(BASE.replace("14", "about 15")) == "agree"
    assert status(BASE.replace("market", "marketplace")) == "agree"
    later = "Police said Tomas Berg shot 19 people so far at the Lisk market on Friday."
    assert status(later, published="2025-09-15") != "conflicting"


def test_claims_do_not_depend_on_arrival_order() -> None:
    a = art("a", "Lisk Herald", BASE)
    b = art("b", "Dunmere Courier", BASE.replace("14", "31"), "2025-09-15")
    c = art("c", "Orsk Post", "Police said Tomas Berg shot 14 people in the market of Lisk on Friday.")
    analyses = {x.id: analysis(x) for x in (a, b, c)}
    emap = {(x.id, "Tomas Berg"): "e_berg" for x in (a, b, c)}
    first = build_claims("s", [a, b, c], analyses, emap)
    second = build_claims("s", [c, b, a], analyses, emap)
    assert [(x.id, x.text, x.status, x.independent_sources) for x in first] == [
        (x.id, x.text, x.status, x.independent_sources) for x in second]
    assert any(x.status == "conflicting" for x in first)
