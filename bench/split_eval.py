"""Sentence-boundary precision/recall/F1 of pipeline.sentences against gold splits, beside a naive baseline.

Sets: UD Chinese GSDSimp (../shared/data/ud-chinese-gsdsimp/, gold sentences concatenated into one text per
file), the project's hard cases (tests/data/sentence_cases.tsv) and the seed page's paragraphs
(tests/data/seed_sentences.tsv); each hard case / paragraph is split on its own.

Usage: .venv/bin/python bench/split_eval.py [--errors N]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.sentences import split_offsets  # noqa: E402

UD = ROOT.parent / "shared" / "data" / "ud-chinese-gsdsimp"
CASES = ROOT / "tests" / "data" / "sentence_cases.tsv"
SEED = ROOT / "tests" / "data" / "seed_sentences.tsv"
SEPARATOR = "‖"

Splitter = Callable[[str], list[tuple[int, int]]]


def naive_offsets(text: str) -> list[tuple[int, int]]:
    """Baseline: cut after every run of 。！？!? and the closing quotes/brackets that follow it."""
    cuts = [m.end() for m in re.finditer(r"[。！？!?…]+[”’」』）)]*", text)]
    bounds = [0, *cuts, len(text)]
    return [(s, e) for s, e in zip(bounds, bounds[1:]) if text[s:e].strip()]


def read_cases(path: Path) -> list[tuple[str, list[str]]]:
    """(label, gold sentences) per line of a `label<TAB>s1‖s2‖…` file; `\\n` in a case is a line break."""
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, _, body = line.partition("\t")
        cases.append((label, body.replace("\\n", "\n").split(SEPARATOR)))
    return cases


def gold_cuts(parts: list[str]) -> tuple[str, set[int]]:
    """The input text (parts concatenated) and the offsets where a gold sentence ends (the last excluded)."""
    text, cuts, pos = "", set(), 0
    for part in parts:
        text += part
        pos += len(part)
        cuts.add(pos - (len(part) - len(part.rstrip())))
    cuts.discard(len(text.rstrip()))
    return text, cuts


def predicted_cuts(split: Splitter, text: str) -> set[int]:
    return {e for _, e in split(text)[:-1]}


def score(split: Splitter, docs: list[tuple[str, list[str]]]) -> tuple[dict, list[str]]:
    tp = fp = fn = 0
    errors = []
    for label, parts in docs:
        text, gold = gold_cuts(parts)
        pred = predicted_cuts(split, text)
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
        for cut in sorted(pred ^ gold):
            kind = "extra cut" if cut in pred else "missed cut"
            errors.append(f"{label}: {kind}: …{text[max(0, cut - 25):cut]}|{text[cut:cut + 15]}…")
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"boundaries": tp + fn, "P": p, "R": r, "F1": f}, errors


def ud_docs() -> list[tuple[str, list[str]]]:
    docs = []
    for name in ("gsdsimp_test.sentences.txt", "gsdsimp_dev.sentences.txt"):
        sents = [s.strip() for s in (UD / name).read_text(encoding="utf-8").splitlines() if s.strip()]
        docs.append((name, sents))
    return docs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", type=int, default=10, help="print up to N wrong boundaries per set")
    args = ap.parse_args()
    sets = []
    if UD.is_dir():
        sets += [(f"UD GSDSimp {d[0].split('.')[0].split('_')[1]}", [d]) for d in ud_docs()]
    else:
        print(f"(skipping UD: {UD} not found)")
    sets += [("hard cases", read_cases(CASES)), ("seed paragraphs", read_cases(SEED))]
    print(f"{'set':<20} {'gold':>5} | {'pipeline P':>10} {'R':>6} {'F1':>6} | {'naive P':>8} {'R':>6} {'F1':>6}")
    all_errors = []
    t0 = time.perf_counter()
    for name, docs in sets:
        ours, errors = score(split_offsets, docs)
        base, _ = score(naive_offsets, docs)
        all_errors.append((name, errors))
        print(f"{name:<20} {ours['boundaries']:>5} | {ours['P']:>10.4f} {ours['R']:>6.4f} {ours['F1']:>6.4f} | "
              f"{base['P']:>8.4f} {base['R']:>6.4f} {base['F1']:>6.4f}")
    print(f"({time.perf_counter() - t0:.1f}s for both splitters on all sets)")
    for name, errors in all_errors:
        for line in errors[: args.errors]:
            print(f"  [{name}] {line}")


if __name__ == "__main__":
    main()
