"""Layout recovery scored against gold structure: article-boundary, paragraph-boundary and column-break-join
precision/recall over every sample page (input/samples/*.gold.json, the seed included) and over synthetic pages.

Usage: .venv/bin/python bench/layout_eval.py [--synthetic 500] [--seed 0]

A boundary is the source offset where an article (or photo) or a paragraph starts; a join is the offset where a
line was joined to the next one (a repaired column break). Precision = right / recovered, recall = right / gold.
"exact": pages whose recovered structure equals the gold; "noted": pages recovered wrongly where an article's notes
flag an uncertain decision; "lost": pages failing the no-loss check. Synthetic pages come from
pipeline/layout/synth.py: "realistic" breaks leave a paragraph's first column line punctuated or long, "free" breaks
fall anywhere, so a short bare first line can pass for a sub-heading.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.document import Page, coverage_errors  # noqa: E402
from pipeline.layout import recover_layout  # noqa: E402
from pipeline.layout.gold import (  # noqa: E402
    Boundaries, gold_boundaries, gold_files, load_gold, page_structure, recovered_boundaries,
)
from pipeline.layout.synth import synthetic_page  # noqa: E402


@dataclass
class Tally:
    gold: int = 0
    found: int = 0
    right: int = 0

    def add(self, gold: set[int], found: set[int]) -> None:
        self.gold += len(gold)
        self.found += len(found)
        self.right += len(gold & found)

    def cell(self) -> str:
        p = f"{self.right / self.found:.3f}" if self.found else "  —  "
        r = f"{self.right / self.gold:.3f}" if self.gold else "  —  "
        return f"{self.gold:>4} {p} {r}"


@dataclass
class Row:
    name: str
    pages: int = 0
    exact: int = 0
    noted: int = 0  # pages recovered wrongly where some article's notes flag an uncertain decision
    lost: int = 0
    articles: Tally = None  # type: ignore[assignment]
    paragraphs: Tally = None  # type: ignore[assignment]
    joins: Tally = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        self.articles, self.paragraphs, self.joins = Tally(), Tally(), Tally()

    def add(self, text: str, gold_items: list[dict]) -> None:
        page = recover_layout(Page(text=text))
        gold: Boundaries = gold_boundaries(text, gold_items)
        found = recovered_boundaries(page)
        self.pages += 1
        exact = page_structure(page) == gold_items
        self.exact += exact
        self.noted += not exact and any(art.notes for art in page.articles)
        self.lost += bool(_lost(page))
        self.articles.add(gold.articles, found.articles)
        self.paragraphs.add(gold.paragraphs, found.paragraphs)
        self.joins.add(gold.joins, found.joins)

    def line(self) -> str:
        return (f"{self.name:<34} {self.pages:>5} {self.exact:>5} {self.noted:>5} {self.lost:>4}  "
                f"{self.articles.cell()}  {self.paragraphs.cell()}  {self.joins.cell()}")


def _lost(page: Page) -> list[str]:
    """coverage_errors needs sentences; layout alone is checked by giving every paragraph one sentence."""
    from pipeline.sentences import segment_page

    return coverage_errors(segment_page(page))


HEADER = (f"{'pages':<34} {'n':>5} {'exact':>5} {'noted':>5} {'lost':>4}  {'articles: gold P R':>18}  "
          f"{'paragraphs: gold P R':>18}  {'joins: gold P R':>18}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--synthetic", type=int, default=500, help="synthetic pages per break style")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    print(HEADER)
    total = Row("all sample pages")
    for path in gold_files(ROOT / "input" / "samples"):
        gold = load_gold(path)
        row = Row(path.name.removesuffix(".gold.json"))
        row.add(gold["text"], gold["items"])
        total.add(gold["text"], gold["items"])
        print(row.line())
    print(total.line())
    for free in (False, True):
        rng = random.Random(args.seed)
        row = Row(f"synthetic, {'free' if free else 'realistic'} breaks")
        for _ in range(args.synthetic):
            text, items = synthetic_page(rng, free_breaks=free)
            row.add(text, items)
        print(row.line())


if __name__ == "__main__":
    main()
