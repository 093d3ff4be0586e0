"""The rule-based work around translation: what the model must not do, and what is checked after it.

Before translation (`before_translation`), per article:
- the script (Traditional or Simplified, pipeline/script.py); Traditional text is converted to Simplified in the
  model input (`unit.source`) only;
- bylines and datelines get their English by rule (pipeline/credits.py), flagged `rule_based`; the model never
  sees them (translate_page skips units flagged `rule_based`);
- a headline that is a glossary term gets the glossary's English (`rule_based`, detail `glossary`);
- with `--protect-terms`, glossary terms in the model input are replaced by their English.
After translation (`after_translation`):
- the names of each article (pipeline/names.py), with the units that name them (`article.names`);
- `name_missing` on a unit whose English lacks a name it holds, `term_missing` on one that lacks a glossary term.
"""

from __future__ import annotations

from collections.abc import Iterable

from .credits import (
    RULE_BASED,
    detect_paper,
    parse_byline,
    parse_dateline,
    romanize_author,
)
from .document import Article, Byline, Dateline, Headline, Name, Other, Page, Unit
from .glossary import TERM_MISSING, Glossary
from .language import ZH
from .names import (
    PERSON,
    PLACE,
    Known,
    english_has,
    expected_forms,
    find_names,
    romanize,
    simplified,
)
from .script import HANT, detect_script, to_simplified, variant

NAME_MISSING = "name_missing"


def _model_input(unit: Unit) -> str:
    from .translate import model_input

    return model_input(unit)


def _follows(dateline: Dateline | None, byline: Byline | None) -> bool:
    """Whether the byline is the bracketed credit right after the dateline (`…电（记者 周文）`)."""
    return bool(dateline and byline and 0 <= byline.span[0] - dateline.span[1] <= 2)


def _credits(article: Article, paper: str | None, extra: dict[str, Known] | None) -> None:
    dl, by = article.dateline, article.byline
    if dl is not None and dl.lang == ZH:
        parsed = parse_dateline(dl.zh, paper, extra)
        if parsed is not None and len(dl.zh.strip()) <= parsed.end + 1:
            dl.en = parsed.en + (f" by {romanize_author(parsed.reporter, extra)}" if parsed.reporter else "")
            dl.flag(RULE_BASED)
    if by is not None and by.lang == ZH:
        credit = parse_byline(by.zh, paper, extra, after_dateline=_follows(dl, by) and RULE_BASED in dl.flags
                              if dl else False)
        if credit is not None:
            by.en = credit.en
            by.flag(RULE_BASED)


def _credit_line(unit: Unit, paper: str | None, extra: dict[str, Known] | None) -> None:
    """A line layout took for something else that is wholly a credit (`本報記者 陳美玲／臺北報導` under a Traditional
    headline): its English by rule too. Names alone (`张环泽`) are not enough: a role word or agency must be there."""
    if unit.lang != ZH:
        return
    credit = parse_byline(unit.zh, paper, extra)
    if credit is not None and credit.has_role:
        unit.en = credit.en
        unit.flag(RULE_BASED, "credit")


def _prepare_input(unit: Unit, script: str, region: str, glossary: Glossary | None) -> None:
    if unit.lang != ZH or RULE_BASED in unit.flags:
        return
    plain = _model_input(unit)
    text = to_simplified(plain, region) if script == HANT else plain
    if glossary is not None and glossary.protect:
        text = glossary.protected(text)
    if text != plain:
        unit.source = text


def before_translation(page: Page, glossary: Glossary | None = None) -> None:
    """Script, rule-based credits, glossary headlines and the model inputs of every unit of the page."""
    paper = detect_paper(page)
    extra = glossary.known() if glossary else None
    others = [i for i in page.items if isinstance(i, Other)]
    page_script = detect_script(u.zh for u in page.units())
    for article in page.articles:
        units = list(article.units())
        article.script = detect_script(u.zh for u in units)
        region = variant(u.zh for u in units)
        _credits(article, paper, extra)
        for unit in units:
            if glossary is not None and isinstance(unit, Headline) and unit.lang == ZH:
                en = glossary.exact(simplified(unit.zh))
                if en is not None:
                    unit.en = en
                    unit.flag(RULE_BASED, "glossary")
            if isinstance(unit, Headline) and RULE_BASED not in unit.flags:
                _credit_line(unit, paper, extra)
            _prepare_input(unit, article.script, region, glossary)
    region = variant(u.zh for u in others)
    for other in others:
        _prepare_input(other, page_script, region, glossary)


def article_names(article: Article, paper: str | None = None,
                  extra: dict[str, Known] | None = None) -> list[Name]:
    """The people and places an article names, in order of first mention, with the ids of the units naming them."""
    found: dict[tuple[str, str], Name] = {}

    def add(zh: str, kind: str, en: str, unit_id: str) -> None:
        if not en:
            return
        name = found.setdefault((zh, kind), Name(zh, en, kind))
        if unit_id not in name.sentence_ids:
            name.sentence_ids.append(unit_id)

    for unit in article.units():
        if isinstance(unit, Byline) or RULE_BASED in unit.flags and "credit" in unit.flag_details.get(RULE_BASED, []):
            credit = parse_byline(unit.zh, paper, extra)
            for zh, en in zip(credit.authors, credit.authors_en) if credit else []:
                add(zh, PERSON, en, unit.id)
            continue
        if isinstance(unit, Dateline):
            parsed = parse_dateline(unit.zh, paper, extra)
            if parsed is not None and parsed.place:
                add(parsed.place, PLACE, romanize(parsed.place, PLACE, extra), unit.id)
            if parsed is not None and parsed.reporter:
                add(parsed.reporter, PERSON, romanize_author(parsed.reporter, extra), unit.id)
            continue
        if unit.lang != ZH:
            continue
        for f in find_names(unit.zh, extra):
            add(f.zh, f.kind, romanize(f.zh, f.kind, extra), unit.id)
    return list(found.values())


def _check(units: Iterable[Unit], names: list[Name], glossary: Glossary | None,
           extra: dict[str, Known] | None) -> None:
    by_unit: dict[str, list[Name]] = {}
    for name in names:
        for uid in name.sentence_ids:
            by_unit.setdefault(uid, []).append(name)
    for unit in units:
        if unit.lang != ZH or RULE_BASED in unit.flags or not unit.en:
            continue
        for name in by_unit.get(unit.id, []):
            if not english_has(unit.en, expected_forms(name.zh, name.kind, name.en, extra)):
                unit.flag(NAME_MISSING, f"{name.zh} → {name.en}")
        if glossary is not None:
            missing = glossary.missing(simplified(unit.zh), unit.en)
            if missing:
                unit.flag(TERM_MISSING, *missing)


def after_translation(page: Page, glossary: Glossary | None = None) -> None:
    """Names per article, and the `name_missing` / `term_missing` checks of every translated unit."""
    paper = detect_paper(page)
    extra = glossary.known() if glossary else None
    for article in page.articles:
        article.names = article_names(article, paper, extra)
        _check(article.units(), article.names, glossary, extra)
    _check((i for i in page.items if isinstance(i, Other)), [], glossary, extra)
