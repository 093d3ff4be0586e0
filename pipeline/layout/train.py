"""Train the line labeller: `python -m pipeline.layout.train [--out pipeline/data/layout-crf.model]`.

Training pages, all with gold structure: the sample pages and the seed (input/samples/*.gold.json), the DEV half of
the layout corpus (bench/data/layout/dev/, with per-line label files where it has them; never the test half), more
pages of the corpus's generator built from dev documents only (bench/data/layout/train-extra/), the hand-laid dev
pages (bench/data/layout-hand/, each twice; never the held-out set bench/data/layout-heldout/), and synthetic pages
from synth.py drawn with a fixed seed. The same files give the same model, byte for byte.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from typing import Any

from ..zh import LineKind
from .crf import MODEL_NAME, train
from .features import Features, page_features
from .gold import gold_files, load_gold
from .labels import LINES_SUFFIX, gold_line_labels, read_line_labels, rule_labels
from .lines import label_lines, split_lines
from .synth import synthetic_page

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "input" / "samples"
DEV = ROOT / "bench" / "data" / "layout" / "dev"
# Generated from the dev documents only (bench/make_layout_corpus.py): the dev pages use each dev document about
# eight times, and more pages of the same documents in other layouts taught the labeller the layouts rather than the
# documents (bench/RESULTS.md, "sixth session").
EXTRA = ROOT / "bench" / "data" / "layout" / "train-extra"
# Each hand-laid page counts twice: with the generated pages above, the hand-laid pages' share of the training fell, and
# dev CV on them (mean of three cuts, bench/layout_cv.py --with-hand --with-extra [--hand-weight 2]) lost 0.006 of
# boundary F1 against training without those pages; counted twice they lost none (0.932 against 0.929), while the
# document-held-out pages gained as much as without the weight (0.979 against 0.951).
HAND = ROOT / "bench" / "data" / "layout-hand"
FOLDER_WEIGHTS = {HAND: 2}
DEFAULT_OUT = ROOT / "pipeline" / "data" / MODEL_NAME
# Synthetic pages add the house styles of the samples in many combinations (the seed of their random source is
# fixed, so they are the same pages every time).
SYNTHETIC_PAGES = 600
SYNTHETIC_SEED = 13


def page_example(text: str, items: list[dict[str, Any]], lines_file: Path | None = None) -> tuple[list[Features], list[LineKind]]:
    """(features, gold labels) of one page."""
    lines = label_lines(split_lines(text))
    labels = gold_line_labels(text, lines, items)
    if lines_file is not None and lines_file.is_file():
        labels = read_line_labels(lines_file, text, lines, labels)
    return page_features(text, lines, rule_labels(lines)), labels


def training_pages(folders: list[Path], synthetic: int = SYNTHETIC_PAGES,
                   seed: int = SYNTHETIC_SEED) -> list[tuple[list[Features], list[LineKind]]]:
    """Every gold page of `folders` (sorted by name; FOLDER_WEIGHTS times for a weighted folder) and `synthetic`
    generated pages."""
    out = []
    for folder in folders:
        for path in gold_files(folder):
            gold = load_gold(path)
            example = page_example(gold["text"], gold["items"],
                                   path.with_name(path.name.removesuffix(".gold.json") + LINES_SUFFIX))
            out.extend([example] * FOLDER_WEIGHTS.get(folder, 1))
    rng = random.Random(seed)
    for k in range(synthetic):
        text, items = synthetic_page(rng, free_breaks=k % 2 == 1)
        out.append(page_example(text, items))
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--synthetic", type=int, default=SYNTHETIC_PAGES)
    ap.add_argument("--data", type=Path, action="append",
                    help="a folder of gold pages (repeatable; default: input/samples, bench/data/layout/dev, "
                         "bench/data/layout/train-extra and bench/data/layout-hand)")
    args = ap.parse_args(argv)
    folders = args.data or [SAMPLES, DEV, EXTRA, HAND]
    pages = training_pages(folders, args.synthetic)
    train(pages, args.out)
    print(f"trained on {len(pages)} pages ({sum(len(p[1]) for p in pages)} lines) -> {args.out}")


if __name__ == "__main__":
    main()
