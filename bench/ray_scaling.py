"""Ray engine against the local engine: throughput, start-up overhead, per-page overhead and peak memory, one run.

    .venv/bin/python bench/ray_scaling.py             # ~2,000 sentences (tiny model), a subset on the real shape

The corpus is the seed page and input/samples/*.txt, repeated (as copy-NN-<name>.txt) until it holds about
--sentences sentences; no translation memory, so every copy is translated afresh. Two models:
  tiny       the tiny memorizing test model (built here in a temp folder, ~20 s): the pipeline's own overheads
  synthetic  models/bench-opus-mt-zh-en-synthetic (opus-mt-zh-en's exact architecture, random weights; see
             bench/translate_speed.py), on a subset of --synthetic-sentences; random weights never stop, so every
             engine is forced to the same output length per sentence, as in bench/translate_speed.py
Engines, each in its own process: local (the default engine), ray with 1 translator actor, ray with 2; greedy
decoding (--beams 1). Each engine runs the corpus from a cold start (imports aside); the time each input finishes
is recorded:
  steady sentences/s    sentences of the inputs after the first to finish / (last finish − first finish)
  start-up              time to the first finished input, less that input's own share at the steady rate: Ray's
                        start, actor start, model load
  per-page overhead     (steady time − translate time of those pages ÷ translators) / pages: what is not
                        translation (decode, layout, render, write, Ray's scheduling and object transfers), per page
  peak memory           the largest sum of PSS over the engine's process tree (driver, Ray's daemons, workers,
                        actors), sampled every 0.5 s: shared pages counted once, unlike a sum of RSS
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.run import FileResult, Reporter  # noqa: E402 - after the path setup, for a checkout without install

SEED = ROOT / "input" / "dazhong-2022-10-zaozhuang.txt"
SAMPLES = sorted((ROOT / "input" / "samples").glob("*.txt"))
SYNTHETIC = ROOT / "models" / "bench-opus-mt-zh-en-synthetic"
ENGINES = (("local", 0), ("ray", 1), ("ray", 2))
SAMPLE_EVERY_S = 0.5  # reading smaps_rollup costs CPU: more often would disturb what it measures

def page_sentences(path: Path) -> int:
    """Model inputs of a page as the pipeline sees them (distinct Chinese units)."""
    from pipeline.run import distinct_model_inputs, load_page

    return distinct_model_inputs(load_page(path))


def make_corpus(folder: Path, sentences: int) -> tuple[int, int]:
    """Copies of the seed and sample pages until about `sentences` model inputs; returns (pages, model inputs)."""
    folder.mkdir(parents=True)
    pages = [SEED, *SAMPLES]
    sizes = {p: page_sentences(p) for p in pages}
    total = n = 0
    while total < sentences:
        src = pages[n % len(pages)]
        shutil.copy(src, folder / f"copy-{n // len(pages):02d}-{src.name}")
        total += sizes[src]
        n += 1
    return n, total


def _pss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _tree(root: int) -> list[int]:
    """root and every process below it."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def run_engine(args: list[str]) -> dict:
    """One engine in its own process; returns its figures with the peak PSS of its process tree."""
    proc = subprocess.Popen([sys.executable, __file__, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT)
    peak = [0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], sum(_pss_kib(pid) for pid in _tree(proc.pid)))
            time.sleep(SAMPLE_EVERY_S)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    sampler.join()
    if proc.returncode:
        sys.exit(f"engine {' '.join(args)} failed:\n{err[-3000:]}")
    row = json.loads(out.strip().splitlines()[-1])
    row["peak_mib"] = peak[0] / 1024
    return row


class _Clock(Reporter):
    """When each input finished, with its sentences and output folder."""

    def __init__(self) -> None:
        self.done: list[tuple[float, int, Path]] = []

    def file_finished(self, result: FileResult) -> None:
        self.done.append((time.perf_counter(), result.sentences, result.out_dir))


def worker(engine: str, translators: int, model: Path, corpus: Path, out: Path, length: int) -> dict:
    """The corpus from a cold start (imports aside); the figures as one JSON line."""
    from pipeline.run import run_inputs
    from pipeline.translate import load_translator

    forced = (("min_new_tokens", length), ("max_new_tokens", length)) if length else ()
    clock = _Clock()
    t0 = time.perf_counter()
    if engine == "local":
        def load():
            translator = load_translator(str(model), device="cpu", beams=1, cache=None)
            translator.decoding = translator.decoding.with_(**dict(forced))
            return translator

        batch = run_inputs([str(corpus)], out, load, reporter=clock)
    else:
        from pipeline.engine_ray import TranslatorOptions, run_inputs_ray

        options = TranslatorOptions(model=str(model), device="cpu", beams=1, cache=None, decoding=forced)
        batch = run_inputs_ray([str(corpus)], str(out), options, translators=translators, quiet=True, reporter=clock)
    wall = time.perf_counter() - t0
    assert batch.exit_code == 0, [r.error for r in batch.results]

    def translate_s(folder: Path) -> float:
        return sum(json.loads(p.read_text(encoding="utf-8"))["timing"]["translate_s"]
                   for p in folder.rglob("index.json"))

    (t_first, s_first, _), rest = clock.done[0], clock.done[1:]
    steady_s = clock.done[-1][0] - t_first
    steady_sentences = sum(s for _, s, _ in rest)
    rate = steady_sentences / steady_s
    # What is not translation in the steady phase, per page: wall time less the translators' time (shared out).
    overhead = (steady_s - sum(translate_s(d) for _, _, d in rest) / max(1, translators)) / len(rest)
    return {"engine": engine, "translators": translators, "pages": len(batch.results),
            "sentences": sum(r.sentences for r in batch.results),
            "model_inputs": sum(r.model_inputs for r in batch.results), "wall_s": wall, "rate": rate,
            "startup_s": (t_first - t0) - s_first / rate, "overhead_s": overhead}


def _same_json(a: Path, b: Path) -> bool:
    """Every JSON file of two output folders identical but for index.json's timing block."""
    names = sorted(p.relative_to(a) for p in a.rglob("*.json"))
    if names != sorted(p.relative_to(b) for p in b.rglob("*.json")):
        return False
    strip = re.compile(r',\n  "timing": \{.*?\n  \}', re.S)
    return all(strip.sub("", (a / n).read_text(encoding="utf-8")) == strip.sub("", (b / n).read_text(encoding="utf-8"))
               for n in names)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sentences", type=int, default=2000, help="model inputs in the tiny model's corpus")
    ap.add_argument("--synthetic-sentences", type=int, default=400,
                    help="model inputs in the synthetic model's corpus (a subset: it is ~100× slower)")
    ap.add_argument("--length", type=int, default=0,
                    help="forced target length for the synthetic model (default: 1.2 × mean source tokens)")
    ap.add_argument("--models", nargs="+", default=["tiny", "synthetic"])
    ap.add_argument("--tiny-model", type=Path, help="an existing tiny memorizing model folder (default: build one; "
                    "`pipeline model make-test-model DIR` makes it)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--translators", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--model", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.translators, args.model, args.corpus, args.out, args.length)))
        return

    import statistics

    from pipeline.testmodel import make_test_model
    from pipeline.translate.marian import load_marian_tokenizer

    began = time.perf_counter()
    load0 = os.getloadavg()[0]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp_dir = Path(tmp)
        plans = []
        if "tiny" in args.models:
            make_corpus(tmp_dir / "corpus-tiny", args.sentences)
            tiny = args.tiny_model or make_test_model(tmp_dir / "tiny-memorizing")
            plans.append(("tiny", tiny, tmp_dir / "corpus-tiny", 0))
        if "synthetic" in args.models:
            if not SYNTHETIC.is_dir():
                sys.exit(f"{SYNTHETIC} is missing: run bench/translate_speed.py once to build it")
            make_corpus(tmp_dir / "corpus-synthetic", args.synthetic_sentences)
            length = args.length
            if not length:
                from pipeline.run import load_page
                from pipeline.translate import model_input

                tok = load_marian_tokenizer(SYNTHETIC)
                units = [model_input(u) for u in load_page(SEED).units() if u.lang == "zh"]
                length = round(1.2 * statistics.mean(len(tok(s).input_ids) for s in units))
            plans.append(("synthetic", SYNTHETIC, tmp_dir / "corpus-synthetic", length))
        for name, model, corpus, length in plans:
            for engine, translators in ENGINES:
                out = tmp_dir / f"out-{name}-{engine}-{translators}"
                out.mkdir()
                row = run_engine(["--worker", engine, "--translators", str(translators), "--model", str(model),
                                  "--corpus", str(corpus), "--out", str(out), "--length", str(length)])
                row.update(model=name, length=length, out=out)
                rows.append(row)
                print(f"  {name:9s} {engine:5s} {translators}: {row['wall_s']:.1f}s", file=sys.stderr)
        for row in rows:
            local = next(r for r in rows if r["model"] == row["model"] and r["engine"] == "local")
            row["same"] = _same_json(local["out"], row["out"])

    print(f"load average {load0:.1f} at the start, {os.getloadavg()[0]:.1f} at the end; "
          f"{time.perf_counter() - began:.0f}s in all; CPU, 2 cores; greedy (beams 1), no translation memory")
    print()
    print("| model | engine | translators | pages | sentences | model inputs | wall s | start-up s "
          "| steady sentences/s | per-page overhead ms | peak memory MiB (PSS) | JSON = local |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        model = r["model"] + (f" (forced {r['length']} tokens)" if r["length"] else "")
        print(f"| {model} | {r['engine']} | {r['translators'] or '–'} | {r['pages']} | {r['sentences']} "
              f"| {r['model_inputs']} | {r['wall_s']:.1f} | {r['startup_s']:.1f} | {r['rate']:.1f} "
              f"| {r['overhead_s'] * 1000:.0f} | {r['peak_mib']:.0f} | {'yes' if r['same'] else 'NO'} |")


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    main()
