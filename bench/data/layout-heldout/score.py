"""Score the layout code of the checkout it runs in on the held-out pages (a folder of NAME.txt + NAME.gold.json).

Usage, from the root of any checkout whose layout code is to be scored:
    PYTHONPATH=. /work/main/.venv/bin/python /path/to/bench/data/layout-heldout/score.py [FOLDER] [--pages]

The same measures as bench/layout_eval.py, computed with pipeline.layout.gold: article boundaries (where each
article or photo starts), paragraph boundaries and column-break joins, each as gold count, precision, recall, F1;
"exact": pages whose recovered structure equals the gold; "heads": gold articles whose headlines come out exactly
in the recovered article that starts where the gold one does; "paras": the same for the number of paragraphs;
"lost": pages failing the no-loss check; "crash": pages where recovery raised (scored as recovering nothing).
Nothing here is tuned on, and nothing should be: the set is for measuring only.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, ".")

from pipeline.document import Page, coverage_errors
from pipeline.layout import recover_layout
from pipeline.layout.gold import (
    Boundaries,
    gold_boundaries,
    gold_files,
    load_gold,
    page_structure,
    recovered_boundaries,
)
from pipeline.sentences import segment_page


@dataclass
class Tally:
    gold: int = 0
    found: int = 0
    right: int = 0

    def add(self, gold: set[int], found: set[int]) -> None:
        self.gold += len(gold)
        self.found += len(found)
        self.right += len(gold & found)

    def prf(self) -> tuple[float, float, float]:
        p = self.right / self.found if self.found else 0.0
        r = self.right / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def cell(self) -> str:
        p, r, f = self.prf()
        return f"{self.gold:>4} {p:.3f} {r:.3f} {f:.3f}"


@dataclass
class Row:
    name: str
    pages: int = 0
    exact: int = 0
    lost: int = 0
    crash: int = 0
    heads: list[int] = field(default_factory=lambda: [0, 0])
    paras: list[int] = field(default_factory=lambda: [0, 0])
    articles: Tally = field(default_factory=Tally)
    paragraphs: Tally = field(default_factory=Tally)
    joins: Tally = field(default_factory=Tally)

    def add(self, text: str, gold_items: list[dict]) -> bool:
        gold: Boundaries = gold_boundaries(text, gold_items)
        try:
            page = recover_layout(Page(text=text))
            found, structure = recovered_boundaries(page), page_structure(page)
        except Exception:  # noqa: BLE001 - a crash is scored as recovering nothing
            self.crash += 1
            page, found, structure = None, Boundaries(), []
        self.pages += 1
        exact = structure == gold_items
        self.exact += exact
        if page is not None:
            self.lost += bool(coverage_errors(segment_page(page)))
        self.articles.add(gold.articles, found.articles)
        self.paragraphs.add(gold.paragraphs, found.paragraphs)
        self.joins.add(gold.joins, found.joins)
        starts: dict[int, dict] = {}
        if page is not None:
            for art, item in zip(page.articles, (i for i in structure if i["kind"] != "other")):
                units = [u.span[0] for u in (*art.headlines, art.byline, art.dateline) if u is not None]
                units += [p.span[0] for p in art.paragraphs]
                if units:
                    starts[min(units)] = item
        for start, item in _gold_article_starts(text, gold_items):
            got = starts.get(start)
            self.heads[1] += 1
            self.paras[1] += 1
            if got is not None:
                self.heads[0] += got["headlines"] == item["headlines"]
                self.paras[0] += len(got["paragraphs"]) == len(item["paragraphs"])
        return exact

    def line(self) -> str:
        return (f"{self.name:<28} {self.pages:>3} {self.exact:>5} {self.lost:>4} {self.crash:>5}  "
                f"{self.articles.cell()}  {self.joins.cell()}  {self.paragraphs.cell()}  "
                f"{self.heads[0]:>3}/{self.heads[1]:<3} {self.paras[0]:>3}/{self.paras[1]:<3}")


def _gold_article_starts(text: str, items: list[dict]) -> list[tuple[int, dict]]:
    """Where each gold article starts, with the article (items are in page order, so are their starts)."""
    starts = sorted(gold_boundaries(text, items).articles)
    return list(zip(starts, [item for item in items if item["kind"] != "other"], strict=True))


HEADER = (f"{'pages':<28} {'n':>3} {'exact':>5} {'lost':>4} {'crash':>5}  {'articles: gold P R F1':>22}  "
          f"{'joins: gold P R F1':>22}  {'paragraphs: gold P R F1':>22}  heads   paras")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", default=str(Path(__file__).resolve().parent))
    ap.add_argument("--pages", action="store_true", help="a row for every page too")
    args = ap.parse_args()
    total = Row("all held-out pages")
    by_style: dict[str, Row] = defaultdict(lambda: Row(""))
    page_rows = []
    for path in gold_files(Path(args.folder)):
        gold = load_gold(path)
        style = gold.get("style", "?")
        by_style[style].name = f"style {style}"
        total.add(gold["text"], gold["items"])
        by_style[style].add(gold["text"], gold["items"])
        row = Row(path.name.removesuffix(".gold.json"))
        row.add(gold["text"], gold["items"])
        page_rows.append(row)
    print(HEADER)
    if args.pages:
        for row in page_rows:
            print(row.line())
    for style in sorted(by_style):
        print(by_style[style].line())
    print(total.line())


if __name__ == "__main__":
    main()
