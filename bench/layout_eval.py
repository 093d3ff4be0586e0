"""Layout recovery scored against gold structure: the layout corpus of issue #13 (bench/data/layout, each half and
each style), every sample page (input/samples/*.gold.json, the seed included) and synthetic pages.

Usage: PYTHONPATH=. /work/main/.venv/bin/python bench/layout_eval.py [--synthetic 500] [--seed 0] [--corpus-only]
                                                                     [--code DIR]

`--code DIR` scores the `pipeline` package found in DIR instead of this tree's, e.g. the rules of an older commit:
    mkdir -p /tmp/c246478 && git archive c246478 pipeline | tar -x -C /tmp/c246478
    PYTHONPATH=. /work/main/.venv/bin/python bench/layout_eval.py --code /tmp/c246478

A boundary is the source offset where an article (or photo) or a paragraph starts; a join is the offset where a
line was joined to the next one (a repaired column break). Precision = right / recovered, recall = right / gold,
F1 their harmonic mean. "exact": pages whose recovered structure equals the gold; "heads": gold articles whose
headlines (roles and texts) come out exactly, in the recovered article that starts where the gold one does;
"paras": gold articles whose recovered article (same start) has the same number of paragraphs; "noted": pages
recovered wrongly where an article's notes flag an uncertain decision; "lost": pages failing the no-loss check;
"crash": pages where recovery raised (scored as recovering nothing). Synthetic pages come from
pipeline/layout/synth.py: "realistic" breaks leave a paragraph's first column line punctuated or long, "free" breaks
fall anywhere, so a short bare first line can pass for a sub-heading.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "bench" / "data" / "layout"
HELD_OUT = ("hongkong", "interview")  # styles only in the test half (bench/data/layout/README.md)


@dataclass
class Tally:
    gold: int = 0
    found: int = 0
    right: int = 0

    def add(self, gold: set[int], found: set[int]) -> None:
        self.gold += len(gold)
        self.found += len(found)
        self.right += len(gold & found)

    def f1(self) -> float:
        p = self.right / self.found if self.found else 0.0
        r = self.right / self.gold if self.gold else 0.0
        return 2 * p * r / (p + r) if p + r else (1.0 if not self.gold and not self.found else 0.0)

    def cell(self) -> str:
        p = f"{self.right / self.found:.3f}" if self.found else "  —  "
        r = f"{self.right / self.gold:.3f}" if self.gold else "  —  "
        return f"{self.gold:>5} {p} {r} {self.f1():.3f}"


@dataclass
class Count:
    right: int = 0
    total: int = 0

    def cell(self) -> str:
        return f"{self.right:>4}/{self.total:<4}"


@dataclass
class Row:
    name: str
    pages: int = 0
    exact: int = 0
    noted: int = 0
    lost: int = 0
    crash: int = 0
    articles: Tally = field(default_factory=Tally)
    paragraphs: Tally = field(default_factory=Tally)
    joins: Tally = field(default_factory=Tally)
    heads: Count = field(default_factory=Count)
    paras: Count = field(default_factory=Count)

    def add(self, text: str, gold_items: list[dict]) -> None:
        gold = L.gold_boundaries(text, gold_items)
        self.pages += 1
        try:
            page = L.recover_layout(L.Page(text=text))
        except Exception:  # noqa: BLE001 — a crash on an unseen page is a result to report, not to hide
            self.crash += 1
            self.articles.add(gold.articles, set())
            self.paragraphs.add(gold.paragraphs, set())
            self.joins.add(gold.joins, set())
            arts = [i for i in gold_items if i["kind"] != "other"]
            self.heads.total += sum(bool(a["headlines"]) for a in arts)
            self.paras.total += len(arts)
            return
        found = L.recovered_boundaries(page)
        structure = L.page_structure(page)
        exact = structure == gold_items
        self.exact += exact
        self.noted += not exact and any(art.notes for art in page.articles)
        self.lost += bool(_lost(page))
        self.articles.add(gold.articles, found.articles)
        self.paragraphs.add(gold.paragraphs, found.paragraphs)
        self.joins.add(gold.joins, found.joins)
        # articles matched by where they start
        recovered = {}
        for art, item in zip(page.articles, [i for i in structure if i["kind"] != "other"]):
            starts = [u.span[0] for u in (*art.headlines, art.byline, art.dateline) if u is not None]
            starts += [p.span[0] for p in art.paragraphs]
            if starts:
                recovered[min(starts)] = item
        for start, item in _gold_article_starts(text, gold_items):
            got = recovered.get(start)
            if item["headlines"]:
                self.heads.total += 1
                self.heads.right += got is not None and got["headlines"] == item["headlines"]
            self.paras.total += 1
            self.paras.right += got is not None and len(got["paragraphs"]) == len(item["paragraphs"])

    def line(self) -> str:
        return (f"{self.name:<34} {self.pages:>4} {self.exact:>4} {self.noted:>4} {self.lost:>3} {self.crash:>3}  "
                f"{self.articles.cell()}  {self.joins.cell()}  {self.heads.cell()} {self.paras.cell()}  "
                f"{self.paragraphs.cell()}")

    def markdown(self, half: str) -> str:
        """The row as a line of bench/RESULTS.md's corpus table."""
        a, j = self.articles, self.joins
        name = self.name.strip()
        if not self.name.startswith(" "):
            name, half = f"**{name}**", ""

        def cell(t: Tally) -> str:
            p = f"{t.right / t.found:.3f}" if t.found else "—"
            r = f"{t.right / t.gold:.3f}" if t.gold else "—"
            return f"{t.gold} / {p} / {r} / **{t.f1():.3f}**"

        return (f"| {half} | {name} | {self.pages} | {self.exact} | {cell(a)} | {cell(j)} | "
                f"{self.heads.right}/{self.heads.total} | {self.paras.right}/{self.paras.total} | {self.crash} |")

    def merge(self, other: Row) -> None:
        for name in ("pages", "exact", "noted", "lost", "crash"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("articles", "paragraphs", "joins"):
            a, b = getattr(self, name), getattr(other, name)
            a.gold, a.found, a.right = a.gold + b.gold, a.found + b.found, a.right + b.right
        for name in ("heads", "paras"):
            a, b = getattr(self, name), getattr(other, name)
            a.right, a.total = a.right + b.right, a.total + b.total


def _gold_article_starts(text: str, items: list[dict]) -> list[tuple[int, dict]]:
    """(source offset where it starts, item) of each gold article or photo."""
    out: list[tuple[int, dict]] = []
    seen: set[int] = set()
    for k, item in enumerate(items):
        if item["kind"] == "other":
            continue
        starts = L.gold_boundaries(text, items[:k + 1]).articles - seen
        seen |= starts
        if starts:
            out.append((min(starts), item))
    return out


def _lost(page) -> list[str]:
    """coverage_errors needs sentences; layout alone is checked by giving every paragraph one sentence."""
    return L.coverage_errors(L.segment_page(page))


HEADER = (f"{'pages':<34} {'n':>4} {'exct':>4} {'note':>4} {'lst':>3} {'crh':>3}  "
          f"{'articles: gold P R F1':>23}  {'joins: gold P R F1':>23}  {'heads':>9} {'paras':>9}  "
          f"{'paragraphs: gold P R F1':>23}")


# The layout code under test, imported once the command line has said where it lives (`--code`).
L = SimpleNamespace()


def load_code(code: Path) -> None:
    sys.path.insert(0, str(code))
    from pipeline.document import Page, coverage_errors
    from pipeline.layout import recover_layout
    from pipeline.layout.gold import (
        gold_boundaries,
        gold_files,
        load_gold,
        page_structure,
        recovered_boundaries,
    )
    from pipeline.layout.synth import synthetic_page
    from pipeline.sentences import segment_page

    L.__dict__.update(Page=Page, coverage_errors=coverage_errors, recover_layout=recover_layout,
                      gold_boundaries=gold_boundaries, gold_files=gold_files, load_gold=load_gold,
                      page_structure=page_structure, recovered_boundaries=recovered_boundaries,
                      synthetic_page=synthetic_page, segment_page=segment_page)


def corpus_rows(half: str) -> list[Row]:
    """One row per style of the half, then the half's total (and, in test, the total without held-out styles)."""
    rows: dict[str, Row] = {}
    for path in L.gold_files(CORPUS / half):
        gold = L.load_gold(path)
        row = rows.setdefault(gold["style"], Row(f"  {gold['style']}"))
        row.add(gold["text"], gold["items"])
    out = [rows[k] for k in sorted(rows)]
    total = Row(f"{half}: all pages")
    for r in out:
        total.merge(r)
    out.append(total)
    if half == "test":
        seen = Row("test: styles also in dev")
        for k, r in rows.items():
            if k not in HELD_OUT:
                seen.merge(r)
        out.append(seen)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--synthetic", type=int, default=500, help="synthetic pages per break style")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--corpus-only", action="store_true", help="only the layout corpus (no samples, no synthetic)")
    ap.add_argument("--code", type=Path, default=ROOT, help="folder holding the `pipeline` package to score")
    ap.add_argument("--markdown", action="store_true", help="only the corpus and acceptance rows, as the "
                    "markdown table of bench/RESULTS.md")
    args = ap.parse_args()
    load_code(args.code.resolve())
    if args.markdown:
        print("| set | style | pages | exact | article boundaries gold / P / R / **F1** | column-break joins gold / P / "
              "R / **F1** | headlines exact | paragraph count exact | crashes |")
        print("|---|---|---:|---:|---|---|---:|---:|---:|")
        for half in ("dev", "test"):
            for row in corpus_rows(half):
                print(row.markdown(half))
        for path in sorted((CORPUS / "test").glob("accept-*.gold.json")):
            gold = L.load_gold(path)
            row = Row(f"  {path.name.removesuffix('.gold.json')}")
            row.add(gold["text"], gold["items"])
            print(row.markdown("acceptance"))
        return

    print(HEADER)
    for half in ("dev", "test"):
        print(f"layout corpus, {half} half (bench/data/layout/{half})")
        for row in corpus_rows(half):
            print(row.line())
    print("acceptance inputs of issue #13 (test half)")
    for path in sorted((CORPUS / "test").glob("accept-*.gold.json")):
        gold = L.load_gold(path)
        row = Row(f"  {path.name.removesuffix('.gold.json')}")
        row.add(gold["text"], gold["items"])
        print(row.line())
    if args.corpus_only:
        return
    total = Row("all sample pages")
    for path in L.gold_files(ROOT / "input" / "samples"):
        gold = L.load_gold(path)
        row = Row(path.name.removesuffix(".gold.json"))
        row.add(gold["text"], gold["items"])
        total.add(gold["text"], gold["items"])
        print(row.line())
    print(total.line())
    for free in (False, True):
        rng = random.Random(args.seed)
        row = Row(f"synthetic, {'free' if free else 'realistic'} breaks")
        for _ in range(args.synthetic):
            text, items = L.synthetic_page(rng, free_breaks=free)
            row.add(text, items)
        print(row.line())


if __name__ == "__main__":
    main()
