"""Peak memory and time of `pipeline run` on a large input (hundreds of pages in one file) next to a small one.

Each case runs as its own process; its peak RSS comes from wait4(). The structure-only cases (decode, layout,
sentences; no model) show what cutting the input into parts saves: the whole 5 MB file built as one page
versus part by part.

The input repeats the sample page, so with a translation memory (the default) the model translates the first page
and the memory answers the rest: the runs then measure the pipeline around the model (layout, sentences,
summaries, rendering, writing, bookkeeping), which is what grows with the input; `--no-cache` makes the model
translate every page (hours on a small CPU).

Usage: .venv/bin/python bench/large_input.py [--pages 240] [--small 24] [--model DIR] [--no-cache] [--beams 1]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "input" / "dazhong-2022-10-zaozhuang.txt"

STRUCTURE = """
import sys
from pipeline.inputs import page_spans, read_input
from pipeline.run import build_page
decoded = read_input(sys.argv[1])
spans = page_spans(decoded.text) if sys.argv[2] == "parts" else [(0, len(decoded.text))]
articles = sentences = 0
for start, end in spans:
    page = build_page(decoded.text[start:end])
    articles += len(page.articles)
    sentences += sum(1 for a in page.articles for _ in a.sentences())
    del page
print(len(spans), articles, sentences)
"""


def make_input(path: Path, pages: int) -> int:
    """`pages` copies of the sample page, each under its own page-header line, as an e-paper dump has them."""
    seed = SEED.read_text(encoding="utf-8")
    with path.open("w", encoding="utf-8") as fh:
        for n in range(1, pages + 1):
            fh.write(f"\n大众日报 2022年{n // 28 % 12 + 1}月{n % 28 + 1}日 第{n:03d}版\n\n{seed}")
    return path.stat().st_size


def measure(cmd: list[str]) -> tuple[float, float, int, str]:
    """Wall seconds, peak RSS (MiB), exit status and the last line of output of one process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    lines = [ln for ln in out.splitlines() if ln.strip()]
    return time.perf_counter() - t0, usage.ru_maxrss / 1024, proc.returncode, (lines or [""])[-1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=240, help="pages in the large input (240 ≈ 5 MB)")
    ap.add_argument("--small", type=int, default=24, help="pages in the small input")
    ap.add_argument("--model", type=Path, help="model folder (default: build the tiny memorizing model)")
    ap.add_argument("--no-cache", action="store_true",
                    help="translate every page with the model (slow) instead of answering repeated sentences from a "
                    "fresh translation memory")
    ap.add_argument("--beams", type=int, default=1, help="beam size of the runs (default 1: greedy)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="large-input-"))
    model = args.model
    if model is None:
        # Built by a child process: a child's peak RSS counts the memory of the parent it was forked from, so this
        # process must never load torch itself, or every case would report at least its size.
        model = tmp / "tiny-memorizing"
        subprocess.run([sys.executable, "-m", "pipeline", "model", "make-test-model", str(model)], cwd=ROOT,
                       check=True, capture_output=True)
    small, large = tmp / "small.txt", tmp / "large.txt"
    sizes = {small: make_input(small, args.small), large: make_input(large, args.pages)}
    py = sys.executable
    run = [py, "-m", "pipeline", "run", "--model", str(model), "--device", "cpu", "-q", "--beams", str(args.beams)]
    memory = "no cache" if args.no_cache else "translation memory"

    def cache(name: str) -> list[str]:
        return ["--no-cache"] if args.no_cache else ["--cache", str(tmp / f"{name}.sqlite3")]

    cases = [
        ("structure, small, one page", [py, "-c", STRUCTURE, str(small), "whole"], small),
        ("structure, large, one page", [py, "-c", STRUCTURE, str(large), "whole"], large),
        ("structure, large, parts", [py, "-c", STRUCTURE, str(large), "parts"], large),
        (f"run, small, {memory}", [*run, str(small), "--out", str(tmp / "out-small"), *cache("small")], small),
        (f"run, large, {memory}", [*run, str(large), "--out", str(tmp / "out-large"), *cache("large")], large),
    ]
    print(f"{'case':<36} {'input':>8} {'seconds':>8} {'peak RSS':>9}  result")
    for name, cmd, path in cases:
        seconds, rss, code, last = measure(cmd)
        result = last if code == 0 else f"exit {code}: {last}"
        if cmd[1] == "-m":
            out = Path(cmd[cmd.index("--out") + 1]) / path.stem
            parts = len(list(out.glob("part-*"))) or 1
            articles = len(list(out.rglob("article-*.json")))
            result = f"{parts} parts, {articles} articles written" if code == 0 else result
        else:
            n, a, s = last.split() if code == 0 else ("?", "?", "?")
            result = f"{n} part(s), {a} articles, {s} sentences" if code == 0 else result
        print(f"{name:<36} {sizes[path] / 1e6:>6.2f}MB {seconds:>8.1f} {rss:>7.0f}MiB  {result}", flush=True)
    print(f"command: {' '.join(sys.argv)}; temp folder {tmp}")


if __name__ == "__main__":
    main()
