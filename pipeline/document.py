"""The document model every stage reads and writes: Page → items (Article | Other) → Paragraph → Sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator, Union

Span = tuple[int, int]

# A whitespace run that holds a line break: inside one text unit it is where the page's layout broke the text
# (a column break inside a paragraph, a byline set over two lines), not part of the text itself.
_LINE_BREAK_RUN = re.compile(r"[ \t\u3000\r\f\v]*\n\s*")
# …except the space between two Latin words that a column break fell on (`冈萨雷斯（Arancha ` | `Gonzalez Laya）`):
# the page keeps it at the line's end, and without it the words run together (`AranchaGonzalez`) in the text that
# is translated. A line that ends in a Latin letter, digit or mark and a space, over a line that opens with one.
_SPACED_LATIN_BREAK = re.compile(r"(?<=[A-Za-z0-9.,;:!?%)'\"])[ \t][ \t\u3000\r\f\v]*\n\s*(?=[A-Za-z0-9('\"])")


def span_text(source: str, span: Span, line_join: str = "") -> str:
    """The stored text of a unit: its source slice with line-break runs replaced by `line_join` (one space before
    it where the break fell on the space between two Latin words)."""
    text = _SPACED_LATIN_BREAK.sub(line_join if line_join.isspace() else " " + line_join, source[span[0] : span[1]])
    return _LINE_BREAK_RUN.sub(line_join, text)


@dataclass
class Unit:
    """Anything with Chinese text, a source span and a translation."""

    id: str
    zh: str
    span: Span
    en: str = ""
    lang: str = "zh"
    flags: list[str] = field(default_factory=list)
    # Extra facts for flags (e.g. which numbers did not match); keyed by flag name.
    flag_details: dict[str, list[str]] = field(default_factory=dict)
    # What the model actually reads when it differs from `zh` (normalised, in Simplified script, glossary terms
    # protected); never stored in place of `zh`.
    source: str = ""

    def flag(self, name: str, *details: str) -> None:
        """Add a quality flag once, with optional details."""
        if name not in self.flags:
            self.flags.append(name)
        if details:
            self.flag_details.setdefault(name, []).extend(details)


@dataclass
class Sentence(Unit):
    """One Chinese sentence and its English, aligned by id (e.g. a03-p02-s05)."""


@dataclass
class Headline(Unit):
    role: str = "main"  # kicker | main | subtitle


@dataclass
class Byline(Unit):
    authors: list[str] = field(default_factory=list)


@dataclass
class Dateline(Unit):
    pass


@dataclass
class Other(Unit):
    """Page furniture or any text outside an article (QR-code labels, page headers, stray lines)."""

    # How sure layout recovery is of the line's label (its marginal probability in the line labeller).
    confidence: float = 1.0


@dataclass
class Paragraph:
    id: str
    span: Span
    sentences: list[Sentence] = field(default_factory=list)
    # body | subheading (short line inside an article) | caption (photo caption) | marker (（下转第二版）, …)
    role: str = "body"
    # Source offsets where a column break inside this paragraph was repaired (the start of the joined line break).
    column_breaks: list[int] = field(default_factory=list)
    # For each repaired column break, how sure layout recovery is that the line goes on this paragraph.
    column_break_confidence: list[float] = field(default_factory=list)


@dataclass
class Summary:
    sentence_ids: list[str] = field(default_factory=list)
    zh: str = ""
    en: str = ""
    method: str = ""  # wire | feature | caption (pipeline/summarize.py); "" before summarising


@dataclass
class Name:
    """A person or place named in an article, its English, and the units (sentence ids) that name it."""

    zh: str
    en: str
    kind: str  # person | place
    sentence_ids: list[str] = field(default_factory=list)


@dataclass
class Article:
    id: str  # a01, a02, …: the order of articles on the page
    kind: str = "article"  # article | photo
    headlines: list[Headline] = field(default_factory=list)
    byline: Byline | None = None
    dateline: Dateline | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)
    summary: Summary = field(default_factory=Summary)
    truncated: bool = False
    # Where layout recovery was unsure, it says so here instead of guessing silently.
    notes: list[str] = field(default_factory=list)
    # How sure layout recovery is of the item: the least sure label among its lines (marginal probabilities).
    confidence: float = 1.0
    script: str = ""  # Hans | Hant: the script the article is printed in (pipeline/script.py); "" not yet known
    names: list[Name] = field(default_factory=list)

    @property
    def number(self) -> int:
        return int(self.id[1:])

    @property
    def main_headline(self) -> Headline | None:
        for h in self.headlines:
            if h.role == "main":
                return h
        return self.headlines[0] if self.headlines else None

    def sentences(self) -> Iterator[Sentence]:
        for p in self.paragraphs:
            yield from p.sentences

    def units(self) -> Iterator[Unit]:
        """Every text unit of the article in source order."""
        units: list[Unit] = [*self.headlines, *self.sentences()]
        if self.byline:
            units.append(self.byline)
        if self.dateline:
            units.append(self.dateline)
        yield from sorted(units, key=lambda u: u.span)


Item = Union[Article, Other]


@dataclass
class Page:
    text: str  # the decoded input; every span points into it
    path: str = ""
    sha256: str = ""
    encoding: str = "utf-8"
    items: list[Item] = field(default_factory=list)

    @property
    def articles(self) -> list[Article]:
        return [i for i in self.items if isinstance(i, Article)]

    def units(self) -> Iterator[Unit]:
        """Every text unit of the page in source order."""
        for item in self.items:
            if isinstance(item, Article):
                yield from item.units()
            else:
                yield item


def _NON_SPACE(text: str) -> str:
    return re.sub(r"\s+", "", text)


def coverage_errors(page: Page) -> list[str]:
    """The no-loss check: spans disjoint, in order, and covering every non-whitespace character."""
    errors: list[str] = []
    pos = 0
    for unit in page.units():
        start, end = unit.span
        if start < pos:
            errors.append(f"{unit.id}: span {unit.span} overlaps the previous unit (ends at {pos})")
        gap = page.text[pos:start]
        if gap.strip():
            errors.append(f"{unit.id}: text lost before it at {pos}: {gap.strip()[:40]!r}")
        if _NON_SPACE(unit.zh) != _NON_SPACE(page.text[start:end]):
            errors.append(f"{unit.id}: zh does not match its span {unit.span}")
        pos = max(pos, end)
    if page.text[pos:].strip():
        errors.append(f"text lost at the end of the page from {pos}: {page.text[pos:].strip()[:40]!r}")
    return errors
