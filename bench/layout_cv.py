"""Cross-validation of the layout line labeller on the DEV half of the layout corpus: the dev pages are cut into k
folds (by sorted name, page n goes to fold n mod k; with --fold-seed S, by a hash of S and the page's name, so that
other cuts of the same pages can be compared: one retraining moves a few pages either way); each fold is labelled by a model trained on the samples, the
other folds and the synthetic pages, so every dev page is scored by a model that never saw it. This is how the
labeller's features and settings were chosen; the test half is never read here.

Usage: .venv/bin/python bench/layout_cv.py [--folds 5] [--synthetic 200] [--with-hand] [--with-extra] [--fold-seed S]
       .venv/bin/python bench/layout_cv.py --by-document 6 [--train-extra 40] [--fold-seed S]

Prints, per style and overall: article-boundary F1, column-break-join F1 and pages exact (same definitions as
bench/layout_eval.py).

The corpus's dev pages reuse each source document on several pages, so a held-out dev page's text is also on pages
the fold trained on: the corpus rows flatter the labeller. The row `corpus: no quarter-A doc` keeps only the pages
that use no document of quarter A (a fixed quarter of the dev documents, by a hash of their id). With `--augment N`,
every fold also trains on N more generated pages a style (bench/layoutcorpus, the corpus's own generator) built from
quarter-A documents only, so that row measures what more generated pages give on text they never saw.

`--by-document N` is the leak-free estimate: the dev DOCUMENTS are dealt into folds, and each fold is scored on N new
generated pages a style (no held-out style) built from its documents only, by a model trained on every dev and
hand-laid page that uses none of them (and, with `--train-extra M`, on M more generated pages a style from the other
folds' documents, as bench/data/layout/train-extra is made). No text of a scored page was trained on, which is what
the corpus's test half measures.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.document import Page
from pipeline.layout import crf
from pipeline.layout.gold import gold_boundaries, gold_files, load_gold, page_structure, recovered_boundaries
from pipeline.layout.labels import LINES_SUFFIX
from pipeline.layout.recover import recover_layout
from pipeline.layout.train import DEV, EXTRA, FOLDER_WEIGHTS, HAND, SAMPLES, SYNTHETIC_PAGES, page_example, training_pages

sys.path.insert(0, str(ROOT / "bench"))


def _quarter_a(doc_id: str) -> bool:
    """The fixed quarter of the source documents that --augment draws from."""
    return hashlib.sha1(doc_id.encode()).hexdigest()[-1] in "0123"


def _dev_docs() -> list:
    from layoutcorpus.sources import extra_docs, wmt21_docs
    from make_layout_corpus import half_of

    return [d for d in wmt21_docs() + extra_docs() if half_of(d) == "dev"]


def _generate(docs: list, n: int, folder: Path, tag: str) -> list[Path]:
    """n pages a style of the corpus's generator (no held-out style) from `docs` only, written to `folder`; their gold
    files."""
    import random

    from layoutcorpus.styles import STYLES
    from make_layout_corpus import generate, style_pool, write_page

    for style, st in STYLES.items():
        for i in range(0 if st.get("held_out") else n):
            b, chosen = generate(style, style_pool(style, docs), random.Random(f"{style}/{tag}/{i}"))
            write_page(folder, f"{style}-{tag}{i + 1:02d}", b.text(), b.items, b.tsv(),
                       {"about": tag, "style": style, "half": "dev", "sources": sorted({d.id for d in chosen})})
    return gold_files(folder)


def _augment_pages(n: int, tmp: Path) -> list:
    """n generated dev-half pages a style from quarter-A documents, as training examples."""
    _generate([d for d in _dev_docs() if _quarter_a(d.id)], n, tmp / "augment", "augment")
    return training_pages([tmp / "augment"], 0)


def _doc_folds(ids: list[str], folds: int, seed: str | None) -> dict[str, int]:
    """Documents dealt round the folds in the order of a hash of their id (so the folds are the same size)."""
    order = sorted(ids, key=lambda i: hashlib.sha1(f"{seed or ''}/{i}".encode()).hexdigest())
    return {i: n % folds for n, i in enumerate(order)}


def _example(path: Path):
    """(features, gold labels) of a gold page, with its per-line label file where it has one."""
    gold = load_gold(path)
    return page_example(gold["text"], gold["items"], path.with_name(path.name.removesuffix(".gold.json") + LINES_SUFFIX))


def _f1(right: int, found: int, gold: int) -> float:
    p = right / found if found else 0.0
    r = right / gold if gold else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


# The hand-laid pages came in rounds, told apart by their name's first letter (bench/data/layout-hand/README.md).
ROUNDS = {**dict.fromkeys("abcd", 1), **dict.fromkeys("efgh", 2), **dict.fromkeys("ijkl", 3), **dict.fromkeys("mnop", 4)}


def _round(path: Path) -> int:
    return ROUNDS.get(path.name[0], 0)


def _fold(n: int, path: Path, folds: int, seed: str | None) -> int:
    if seed is None:
        return n % folds
    return int(hashlib.sha1(f"{seed}/{path.name}".encode()).hexdigest(), 16) % folds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--with-hand", action="store_true",
                    help="also train on the hand-laid dev pages (bench/data/layout-hand), folded the same way, and "
                         "report them as `hand:<style>` rows")
    ap.add_argument("--synthetic", type=int, default=SYNTHETIC_PAGES)
    ap.add_argument("--fold-seed", help="cut the folds by a hash of this string and each page's name")
    ap.add_argument("--augment", type=int, default=0,
                    help="train every fold on this many more generated pages a style, from quarter-A documents")
    ap.add_argument("--by-document", type=int, default=0, metavar="N",
                    help="cut the dev DOCUMENTS into folds instead: each fold is scored on N new generated pages a "
                         "style built from its documents only, by a model trained on every dev page (and --train-extra "
                         "generated pages a style) that uses none of them; no text of a scored page was trained on")
    ap.add_argument("--train-extra", type=int, default=0,
                    help="with --by-document: this many more generated pages a style from the other folds' documents, "
                         "as bench/data/layout/train-extra is made")
    ap.add_argument("--with-extra", action="store_true",
                    help="train every fold on bench/data/layout/train-extra too, as the shipped model is (its pages "
                         "use the dev documents, so the corpus rows then flatter the labeller even more; the hand "
                         "rows are fair)")
    ap.add_argument("--hand-weight", type=int, default=FOLDER_WEIGHTS.get(HAND, 1),
                    help="train on each hand-laid page this many times (with --with-hand or --by-document; default: as "
                         "the shipped model, pipeline/layout/train.py FOLDER_WEIGHTS)")
    ap.add_argument("--fallback", type=float, action="append",
                    help="rule fallback threshold(s) to compare (default: the shipped crf.RULE_FALLBACK_BELOW)")
    args = ap.parse_args()
    if args.by_document:
        return by_document(args)
    corpus, hand = gold_files(DEV), (gold_files(HAND) if args.with_hand else [])
    dev = corpus + hand
    fold = {p: _fold(n, p, args.folds, args.fold_seed) for part in (corpus, hand) for n, p in enumerate(part)}
    base = training_pages([SAMPLES, EXTRA] if args.with_extra else [SAMPLES], args.synthetic)
    examples = {p: _example(p) for p in dev}
    thresholds = args.fallback or [crf.RULE_FALLBACK_BELOW]
    tally: dict[tuple[float, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0, 0, 0])
    with tempfile.TemporaryDirectory() as tmp:
        if args.augment:
            base = base + _augment_pages(args.augment, Path(tmp))
        for k in range(args.folds):
            held = [p for p in dev if fold[p] == k]
            model = Path(tmp) / f"fold{k}.model"
            crf.train(base + [examples[p] for p in dev if p not in held
                              for _ in range(args.hand_weight if p in hand else 1)], model)
            os.environ["ZH_NEWS_PIPELINE_LAYOUT_MODEL"] = str(model)
            for path, tau in ((p, tau) for tau in thresholds for p in held):
                crf.RULE_FALLBACK_BELOW = tau
                gold = load_gold(path)
                page = recover_layout(Page(text=gold["text"]))
                g, f = gold_boundaries(gold["text"], gold["items"]), recovered_boundaries(page)
                style = f"hand:{gold.get('style', '?')}" if path in hand else path.name.split("-")[0]
                sets = (("hand: all", f"hand: round {_round(path)}") if path in hand else ("corpus: all",)) if hand else ()
                if path not in hand and not any(_quarter_a(d) for d in gold.get("sources", [])):
                    sets = (*sets, "corpus: no quarter-A doc")
                for key in ((tau, style), *((tau, s) for s in sets), (tau, "all")):
                    t = tally[key]
                    t[0] += len(g.articles & f.articles)
                    t[1] += len(f.articles)
                    t[2] += len(g.articles)
                    t[3] += len(g.joins & f.joins)
                    t[4] += len(f.joins)
                    t[5] += len(g.joins)
                    t[6] += page_structure(page) == gold["items"]
                    t[7] += 1
    os.environ.pop("ZH_NEWS_PIPELINE_LAYOUT_MODEL", None)
    print(f"{'dev, ' + str(args.folds) + '-fold CV':<22} {'fallback':>8} {'pages':>5} {'boundary F1':>11} {'join F1':>8} "
          f"{'exact':>6}")
    for tau, key in sorted(tally, key=lambda k: (k[0], k[1].endswith("all"), k[1] == "all", k[1])):
        t = tally[tau, key]
        print(f"{key:<22} {tau:>8} {t[7]:>5} {_f1(t[0], t[1], t[2]):>11.3f} {_f1(t[3], t[4], t[5]):>8.3f} "
              f"{t[6] / t[7]:>6.0%}")


def by_document(args: argparse.Namespace) -> None:
    """Cross-validation by source document (see --by-document): the leak-free estimate of how the labeller does on
    generated pages of documents it never saw, which is what the test half measures."""
    docs = _dev_docs()
    dfold = _doc_folds([d.id for d in docs], args.folds, args.fold_seed)
    corpus, hand = gold_files(DEV), gold_files(HAND)
    base = training_pages([SAMPLES], args.synthetic)
    sources = {p: load_gold(p).get("sources", []) for p in corpus}
    # a hand-laid page's WMT21 lines (`{N}` in its src/NAME.page) name the documents it uses
    ranges = [(d.lines, d.id) for d in docs if d.lines]
    for p in hand:
        src = HAND / "src" / (p.name.removesuffix(".gold.json") + ".page")
        used = {int(n) for n in re.findall(r"\{(\d+)", src.read_text(encoding="utf-8"))} if src.is_file() else set()
        sources[p] = sorted({i for (lo, hi), i in ranges for n in used if lo <= n <= hi})
    corpus = corpus + hand
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0, 0, 0])
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(args.folds):
            mine = [d for d in docs if dfold[d.id] == k]
            others = [d for d in docs if dfold[d.id] != k]
            train_pages = [p for p in corpus if not any(dfold.get(s) == k for s in sources[p])]
            extra = (training_pages([Path(tmp) / f"extra{k}"], 0) if args.train_extra and
                     _generate(others, args.train_extra, Path(tmp) / f"extra{k}", f"extra{k}-") else [])
            scored = _generate(mine, args.by_document, Path(tmp) / f"fold{k}", f"doccv{k}-")
            model = Path(tmp) / f"fold{k}.model"
            crf.train(base + extra + [_example(p) for p in train_pages
                                      for _ in range(args.hand_weight if p in hand else 1)], model)
            os.environ["ZH_NEWS_PIPELINE_LAYOUT_MODEL"] = str(model)
            print(f"fold {k}: {len(mine)} documents scored on {len(scored)} pages; trained on {len(train_pages)} dev "
                  f"pages, {len(extra)} extra", file=sys.stderr)
            for path in scored:
                gold = load_gold(path)
                page = recover_layout(Page(text=gold["text"]))
                g, f = gold_boundaries(gold["text"], gold["items"]), recovered_boundaries(page)
                exact = page_structure(page) == gold["items"]
                if os.environ.get("LAYOUT_CV_SHOW"):
                    print(f"PAGE {path.name} exact={exact} missed={sorted(g.articles - f.articles)} "
                          f"false={sorted(f.articles - g.articles)} joins-={len(g.joins - f.joins)} "
                          f"joins+={len(f.joins - g.joins)}", file=sys.stderr)
                for key in (gold["style"], "all"):
                    t = tally[key]
                    for n, v in enumerate((len(g.articles & f.articles), len(f.articles), len(g.articles),
                                           len(g.joins & f.joins), len(f.joins), len(g.joins), exact, 1)):
                        t[n] += v
    os.environ.pop("ZH_NEWS_PIPELINE_LAYOUT_MODEL", None)
    print(f"{'by document, ' + str(args.folds) + ' folds':<22} {'pages':>5} {'boundary F1':>11} {'join F1':>8} {'exact':>6}")
    for key in sorted(tally, key=lambda k: (k == "all", k)):
        t = tally[key]
        print(f"{key:<22} {t[7]:>5} {_f1(t[0], t[1], t[2]):>11.3f} {_f1(t[3], t[4], t[5]):>8.3f} {t[6] / t[7]:>6.0%}")


if __name__ == "__main__":
    main()
