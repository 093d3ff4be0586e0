"""Sentence boundaries after a closing quote in real news text: WMT21 newstest2021 (zh), consecutive lines joined.

Each WMT21 line is one segment, so where a line ends in a terminator and a closing quote (`。”`), the join of that
line and the next has a boundary at the line end: a gold boundary under WMT's segmentation. WMT splits off a
trailing attribution (`“……。”` | `张勇说，……`) that this project keeps with an unattributed quotation
(pipeline/sentences.py, _names_the_speaker), so the figure is a floor, not an accuracy; the misses are listed to be
read. The file's first half is dev, the second test (the split used for tuning the quote rule).

Usage: .venv/bin/python bench/quote_eval.py [--misses]
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.sentences import split_offsets  # noqa: E402

WMT = ROOT.parent / "shared" / "data" / "wmt21-newstest-zh" / "newstest2021.zh-en.src.zh"
QUOTE_END = re.compile(r"[。！？…]”$")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--misses", action="store_true", help="print each missed boundary")
    args = ap.parse_args()
    if not WMT.is_file():
        print(f"(skipping: {WMT} not found)")
        return
    lines = [ln.strip() for ln in WMT.read_text(encoding="utf-8").splitlines()]
    half = len(lines) // 2
    for name, part in (("dev", lines[:half]), ("test", lines[half:])):
        found, misses = 0, []
        pairs = [(a, b) for a, b in itertools.pairwise(part) if QUOTE_END.search(a) and b]
        for a, b in pairs:
            if len(a) in {e for _, e in split_offsets(a + b)}:
                found += 1
            else:
                misses.append(f"{a[-20:]}|{b[:25]}")
        print(f"WMT21 {name}: {found} of {len(pairs)} line ends after a closing quote are sentence boundaries")
        if args.misses:
            for m in misses:
                print(f"  missed: …{m}…")


if __name__ == "__main__":
    main()
