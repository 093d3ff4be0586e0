"""Gold structure files: what a sample page should become, written by hand, in the form `page_structure` gives a
recovered page; the layout tests compare the two and bench/layout_eval.py scores boundaries and column-break joins.

A gold file (`input/samples/NAME.gold.json`) is `{"page": "NAME.txt", "about": "…", "items": [...]}`; each item is
`{"kind": "other", "zh": …}` or `{"kind": "article"|"photo", "headlines": [{"role", "zh"}], "byline": {"zh",
"authors"} | null, "dateline": str | null, "paragraphs": [{"role", "zh"}], "truncated": bool}`, where a paragraph's
`zh` marks each repaired column break with `|`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..document import Article, Page, span_text

GOLD_SUFFIX = ".gold.json"
# Marks a repaired column break inside a gold paragraph (`…总投资|756亿元。`); it never occurs in Chinese text.
JOIN_MARK = "|"


def page_structure(page: Page) -> list[dict[str, Any]]:
    """The items of a recovered page in gold-file form."""
    out: list[dict[str, Any]] = []
    for item in page.items:
        if not isinstance(item, Article):
            out.append({"kind": "other", "zh": item.zh})
            continue
        out.append({
            "kind": item.kind,
            "headlines": [{"role": h.role, "zh": h.zh} for h in item.headlines],
            "byline": {"zh": item.byline.zh, "authors": list(item.byline.authors)} if item.byline else None,
            "dateline": item.dateline.zh if item.dateline else None,
            "paragraphs": [{"role": p.role, "zh": span_text(page.text, p.span, JOIN_MARK)} for p in item.paragraphs],
            "truncated": item.truncated,
        })
    return out


def load_gold(path: Path) -> dict[str, Any]:
    """A gold file with its page text under "text"."""
    gold: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    gold["text"] = (Path(path).parent / gold["page"]).read_text(encoding="utf-8")
    return gold


def gold_files(folder: Path) -> list[Path]:
    """Every gold file in `folder`, sorted by name."""
    return sorted(Path(folder).glob(f"*{GOLD_SUFFIX}"))


@dataclass
class Boundaries:
    """Source offsets of the decisions layout recovery makes, comparable between gold and recovered pages."""

    articles: set[int] = field(default_factory=set)  # where each article or photo starts
    paragraphs: set[int] = field(default_factory=set)  # where each paragraph starts
    joins: set[int] = field(default_factory=set)  # the end of each line joined to the next (a repaired column break)


def recovered_boundaries(page: Page) -> Boundaries:
    """The boundaries of a recovered page."""
    b = Boundaries()
    for art in page.articles:
        starts = [u.span[0] for u in (*art.headlines, art.byline, art.dateline) if u is not None]
        starts += [p.span[0] for p in art.paragraphs]
        if starts:
            b.articles.add(min(starts))
        for p in art.paragraphs:
            b.paragraphs.add(p.span[0])
            b.joins.update(p.column_breaks)
    return b


class _Locator:
    """Finds texts in the page ignoring whitespace, front to back."""

    def __init__(self, text: str) -> None:
        self.offsets = [i for i, ch in enumerate(text) if not ch.isspace()]
        self.chars = "".join(text[i] for i in self.offsets)

    def find(self, zh: str, cursor: int) -> int:
        """Index (into the non-space characters) of `zh` at or after `cursor`; ValueError if it is not there."""
        needle = re.sub(r"\s+", "", zh.replace(JOIN_MARK, ""))
        at = self.chars.find(needle, cursor)
        if at < 0:
            raise ValueError(f"gold text not found in the page after non-space character {cursor}: {zh[:30]!r}")
        return at


def gold_boundaries(text: str, items: list[dict[str, Any]]) -> Boundaries:
    """The boundaries a gold file describes, located in the page text."""
    loc = _Locator(text)
    b = Boundaries()
    cursor = 0
    for item in items:
        if item["kind"] == "other":
            cursor = loc.find(item["zh"], cursor) + len(re.sub(r"\s+", "", item["zh"]))
            continue
        units = [h["zh"] for h in item["headlines"]]
        units += [item["byline"]["zh"]] if item["byline"] else []
        units += [item["dateline"]] if item["dateline"] else []
        firsts, end = [], cursor
        for zh in units:
            at = loc.find(zh, cursor)
            firsts.append(at)
            end = max(end, at + len(re.sub(r"\s+", "", zh)))
        para_cursor = cursor
        for para in item["paragraphs"]:
            at = loc.find(para["zh"], para_cursor)
            firsts.append(at)
            b.paragraphs.add(loc.offsets[at])
            n = 0
            for ch in para["zh"]:
                if ch == JOIN_MARK:
                    b.joins.add(loc.offsets[at + n - 1] + 1)
                elif not ch.isspace():
                    n += 1
            para_cursor = at + n
            end = max(end, para_cursor)
        if firsts:
            b.articles.add(loc.offsets[min(firsts)])
        cursor = end
    return b
