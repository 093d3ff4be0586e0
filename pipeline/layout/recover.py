"""recover_layout: page text → items, through the line labeller, with the confidence of each item and join."""

from __future__ import annotations

from bisect import bisect_right

from ..document import Article, Page
from .assemble import build_items
from .crf import Labelled, label_page
from .lines import label_lines, split_lines


def recover_layout(page: Page) -> Page:
    """Fill `page.items` from `page.text`; sentences are left empty for the sentence stage."""
    lines = label_lines(split_lines(page.text))
    labelled = label_page(page.text, lines)
    page.items = build_items(page.text, lines, labelled.labels)
    attach_confidence(page, labelled)
    return page


def attach_confidence(page: Page, labelled: Labelled) -> None:
    """Each item's confidence (the least sure label among its lines) and each join's (the sureness that the joined
    line continues the paragraph)."""
    starts = [ln.start for ln in labelled.lines]
    conf = labelled.confidence

    def line_at(offset: int) -> int:
        return bisect_right(starts, offset) - 1

    by_end = {ln.end: i + 1 for i, ln in enumerate(labelled.lines)}
    for item in page.items:
        if not isinstance(item, Article):
            k = line_at(item.span[0])
            item.confidence = conf[k] if 0 <= k < len(conf) else 1.0
            continue
        spans = [u.span for u in (*item.headlines, item.byline, item.dateline) if u is not None]
        spans += [p.span for p in item.paragraphs]
        if not spans:
            continue
        lo, hi = min(s[0] for s in spans), max(s[1] for s in spans)
        first, last = max(line_at(lo), 0), line_at(hi - 1)
        item.confidence = min(conf[first : last + 1], default=1.0)
        for para in item.paragraphs:
            para.column_break_confidence = [conf[by_end[b]] if b in by_end and by_end[b] < len(conf) else 1.0
                                            for b in para.column_breaks]
