"""Translation speed: four engines side by side on a model of opus-mt-zh-en's exact shape, at beams 1 and 6.

    .venv/bin/python bench/translate_speed.py            # builds the synthetic model once under models/

The model is MarianMTModel with opus-mt-zh-en's config.json (vocab 65,001, d_model 512, 6+6 layers, 8 heads,
FFN 2048, swish, pad 65,000) and random weights, so no download is needed and the work per token is the real
model's. Its tokenizers cannot be opus-mt's (they ship with the weights): the source sentencepiece model is trained
here on the benchmark's own Chinese (so segmentation is word-like, as opus-mt's is, not one token per character),
the target one on the project's English sentences, and vocab.json is padded with unused entries to exactly 65,001
rows, so embedding and output-projection sizes (the vocabulary's share of the cost) are the real ones. Random
weights never stop by themselves, so every engine is forced to the same output length per sentence
(min = max new tokens): each does identical work, and target tokens/s counts the same tokens everywhere.

Engines, each in its own process (so peak RSS is its own):
  hf-single    transformers, one sentence at a time (the naive loop)
  hf-batch16   transformers, sentences sorted by length in batches of 16 (the plain baseline)
  project-hf   this project's transformers backend (token-budget batches of at most 16 sentences, two at a time)
  project-ct2  this project's CTranslate2 backend on the int8 conversion made by `pipeline model convert`
               (the same batches, two at a time)
Then the seed page twice through translate_page with a fresh translation memory: first run vs cached rerun.

With `--repeat N` every engine runs N times, in rounds that rotate the engines' order, and the table keeps each
engine's fastest run (with the range of all its runs beside it). Noise on a shared machine only ever slows a run
down, so the fastest of several runs is the figure least disturbed by it (the reasoning of `timeit`), and rotating
the order keeps any one engine from always running first, or always after the heaviest.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WMT = ROOT.parent / "shared" / "data" / "wmt21-newstest-zh" / "newstest2021.zh-en.src.zh"
SEED = ROOT / "input" / "dazhong-2022-10-zaozhuang.txt"
MODEL_DIR = ROOT / "models" / "bench-opus-mt-zh-en-synthetic"

# Helsinki-NLP/opus-mt-zh-en's config.json (transformers' MarianConfig fields), written out here.
OPUS_MT_ZH_EN_CONFIG = {
    "activation_dropout": 0.0, "activation_function": "swish", "add_bias_logits": False,
    "add_final_layer_norm": False, "architectures": ["MarianMTModel"], "attention_dropout": 0.0,
    "bad_words_ids": [[65000]], "bos_token_id": 0, "classif_dropout": 0.0, "classifier_dropout": 0.0,
    "d_model": 512, "decoder_attention_heads": 8, "decoder_ffn_dim": 2048, "decoder_layerdrop": 0.0,
    "decoder_layers": 6, "decoder_start_token_id": 65000, "decoder_vocab_size": 65001, "dropout": 0.1,
    "encoder_attention_heads": 8, "encoder_ffn_dim": 2048, "encoder_layerdrop": 0.0, "encoder_layers": 6,
    "eos_token_id": 0, "forced_eos_token_id": 0, "init_std": 0.02, "is_encoder_decoder": True,
    "max_length": 512, "max_position_embeddings": 512, "model_type": "marian", "normalize_before": False,
    "normalize_embedding": False, "num_beams": 6, "num_hidden_layers": 6, "pad_token_id": 65000,
    "scale_embedding": True, "share_encoder_decoder_embeddings": True, "static_position_embeddings": True,
    "use_cache": True, "vocab_size": 65001,
}
OPUS_MT_ZH_EN_GENERATION = {"bad_words_ids": [[65000]], "bos_token_id": 0, "decoder_start_token_id": 65000,
                            "eos_token_id": 0, "forced_eos_token_id": 0, "max_length": 512, "num_beams": 6,
                            "pad_token_id": 65000}
SOURCE_VOCAB = 16000  # a word-like Chinese segmentation; opus-mt's own source.spm is of this order
TARGET_VOCAB = 400
SEED_RNG = 1234
ENGINES = ("hf-single", "hf-batch16", "project-hf", "project-ct2")
PLAIN_BATCH = 16


def bench_sentences(n: int) -> list[str]:
    """The seed page's distinct model inputs first, then WMT21 news lines, normalised as the pipeline does."""
    from pipeline.run import build_page
    from pipeline.sentences import normalize_for_model, split_sentences
    from pipeline.translate import model_input

    page = build_page(SEED.read_text(encoding="utf-8"))
    seen = dict.fromkeys(model_input(u) for u in page.units() if u.lang == "zh" and len(u.zh) >= 8)
    if WMT.is_file():
        for line in WMT.read_text(encoding="utf-8").splitlines():
            for s in split_sentences(line.strip()):
                seen.setdefault(normalize_for_model(s), None)
    sentences = [s for s in seen if s]
    return sentences[:n]


def build_model(out: Path, corpus: list[str]) -> None:
    """The synthetic opus-mt-zh-en: exact config, random weights, local tokenizers padded to 65,001 entries."""
    import io

    import sentencepiece as spm
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel

    from pipeline.testmodel import parallel_set

    def train(lines: list[str], size: int) -> bytes:
        buf = io.BytesIO()
        spm.SentencePieceTrainer.train(sentence_iterator=iter(lines), model_writer=buf, vocab_size=size,
                                       model_type="unigram", character_coverage=1.0, hard_vocab_limit=False,
                                       unk_id=0, bos_id=-1, eos_id=-1, pad_id=-1, minloglevel=2, num_threads=2)
        return buf.getvalue()

    tmp = out.with_name(out.name + ".partial")
    tmp.mkdir(parents=True, exist_ok=True)
    src, tgt = train(corpus, SOURCE_VOCAB), train([en for _, en in parallel_set()], TARGET_VOCAB)
    (tmp / "source.spm").write_bytes(src)
    (tmp / "target.spm").write_bytes(tgt)
    vocab = {"</s>": 0, "<unk>": 1}
    for model in (src, tgt):
        sp = spm.SentencePieceProcessor(model_proto=model)
        for i in range(sp.get_piece_size()):
            vocab.setdefault(sp.id_to_piece(i), len(vocab))
    pad = OPUS_MT_ZH_EN_CONFIG["pad_token_id"]
    for i in range(len(vocab), pad):
        vocab[f"<unused{i}>"] = i
    vocab["<pad>"] = pad
    (tmp / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (tmp / "tokenizer_config.json").write_text(json.dumps({"source_lang": "zh", "target_lang": "en",
                                                            "model_max_length": 512, "separate_vocabs": False}))
    torch.manual_seed(SEED_RNG)
    config = MarianConfig(**{k: v for k, v in OPUS_MT_ZH_EN_CONFIG.items() if k not in ("architectures",)})
    model = MarianMTModel(config)
    with torch.no_grad():
        model.model.shared.weight[pad].zero_()  # as in the real checkpoint: the decoder starts from zeros
    model.generation_config = GenerationConfig(**OPUS_MT_ZH_EN_GENERATION)
    model.save_pretrained(str(tmp))
    # transformers 5 moves decoding settings out of config.json when saving; write opus-mt's file as it is.
    (tmp / "config.json").write_text(json.dumps({"_name_or_path": "Helsinki-NLP/opus-mt-zh-en",
                                                 **OPUS_MT_ZH_EN_CONFIG, "transformers_version": "4.22.0.dev0"},
                                                indent=2) + "\n")
    (tmp / "README.md").write_text("Synthetic model for bench/translate_speed.py: opus-mt-zh-en's shape, random "
                                   "weights. Its output is noise.\n")
    tmp.rename(out)


# --- workers (one process each) ------------------------------------------------------------------------------


def _peak_rss_mb() -> float:
    """This process's peak RSS. VmHWM, not getrusage: Linux carries ru_maxrss over from the parent across exec."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)


def worker(engine: str, beams: int, length: int, sentences: list[str], model: Path, ct2: Path) -> dict:
    from pipeline.translate.base import Decoding

    forced = Decoding(beams=beams, min_new_tokens=length, max_new_tokens=length)
    if engine in ("hf-single", "hf-batch16"):
        import torch
        from transformers import MarianMTModel, MarianTokenizer

        tok = MarianTokenizer.from_pretrained(str(model))
        net = MarianMTModel.from_pretrained(str(model)).eval()

        def generate(batch: list[str]) -> int:
            inputs = tok(batch, return_tensors="pt", padding=True)
            with torch.inference_mode():
                out = net.generate(**inputs, num_beams=beams, min_new_tokens=length, max_new_tokens=length)
            return int((out[:, 1:] != tok.pad_token_id).sum())

        t0, c0 = time.perf_counter(), time.process_time()
        if engine == "hf-single":
            tokens = sum(generate([s]) for s in sentences)
        else:
            order = sorted(sentences, key=lambda s: len(tok(s).input_ids), reverse=True)
            tokens = sum(generate(order[i:i + PLAIN_BATCH]) for i in range(0, len(order), PLAIN_BATCH))
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    else:
        if engine == "project-hf":
            from pipeline.translate.marian import TransformersTranslator

            tr = TransformersTranslator(model, device="cpu")
            tr.model  # noqa: B018 - load outside the timing, like the plain engines
        else:
            from pipeline.translate.ct2 import CTranslate2Translator

            tr = CTranslate2Translator(ct2, device="cpu")
        t0, c0 = time.perf_counter(), time.process_time()
        results = tr.translate(sentences, forced)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        tokens = sum(r.target_tokens for r in results)
    return {"engine": engine, "beams": beams, "sentences": len(sentences), "seconds": seconds, "cpu_seconds": cpu,
            "target_tokens": tokens, "peak_rss_mb": _peak_rss_mb()}


def cache_worker(beams: int, length: int, ct2: Path) -> dict:
    """The seed page through translate_page twice with one fresh translation memory (a new translator each time)."""
    from pipeline.run import build_page
    from pipeline.translate import CachedTranslator, TranslationMemory, translate_page
    from pipeline.translate.base import Decoding
    from pipeline.translate.ct2 import CTranslate2Translator

    text = SEED.read_text(encoding="utf-8")
    times, calls = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(2):
            backend = CTranslate2Translator(ct2, device="cpu")
            backend.decoding = Decoding(beams=beams, min_new_tokens=length, max_new_tokens=length)
            tr = CachedTranslator(backend, TranslationMemory(Path(tmp) / "tm.sqlite3"))
            page = build_page(text)
            t0 = time.perf_counter()
            calls.append(translate_page(page, tr).model_inputs)
            times.append(time.perf_counter() - t0)
    return {"first_s": times[0], "cached_s": times[1], "first_inputs": calls[0], "cached_inputs": calls[1]}


def _run_worker(args: list[str]) -> dict:
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode:
        sys.exit(f"worker {' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sentences", type=int, default=200, help="sentences for the batched engines")
    ap.add_argument("--beam6-sentences", type=int, default=48,
                    help="sentences for the batched engines at beam 6 (a spread subset of the same set)")
    ap.add_argument("--single-sentences", type=int, default=24,
                    help="sentences for hf-single, the slowest (a spread subset of the same set)")
    ap.add_argument("--beams", type=int, nargs="+", default=[1, 6])
    ap.add_argument("--length", type=int, default=0, help="forced target length (default: 1.2 × mean source tokens)")
    ap.add_argument("--model", type=Path, default=MODEL_DIR)
    ap.add_argument("--repeat", type=int, default=1,
                    help="runs per engine, in rounds of rotating order; the table keeps each engine's fastest")
    ap.add_argument("--omp-passive", action="store_true",
                    help="OMP_WAIT_POLICY=PASSIVE for every engine: on a machine other work keeps busy, OpenMP threads "
                    "that spin while waiting make torch several times slower than one thread")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    ct2 = args.model.with_name(args.model.name + "-ct2-int8")

    if args.worker:
        sentences = json.loads(args.input.read_text(encoding="utf-8"))
        if args.worker == "cache":
            print(json.dumps(cache_worker(args.beams[0], args.length, ct2)))
        else:
            print(json.dumps(worker(args.worker, args.beams[0], args.length, sentences, args.model, ct2)))
        return

    if args.omp_passive:
        os.environ["OMP_WAIT_POLICY"] = "PASSIVE"  # inherited by every worker
    from pipeline.translate.base import cpu_cores, cpu_workers
    from pipeline.translate.ct2 import convert_model
    from pipeline.translate.marian import load_marian_tokenizer

    t_setup = time.perf_counter()
    sentences = bench_sentences(args.sentences)
    if not args.model.is_dir():
        print(f"building the synthetic model in {args.model} …", file=sys.stderr)
        build_model(args.model, bench_sentences(100_000))
    if not ct2.is_dir():
        print(f"converting it to {ct2} …", file=sys.stderr)
        convert_model(args.model, ct2, "int8")
    tok = load_marian_tokenizer(args.model)
    src_tokens = [len(tok(s).input_ids) for s in sentences]
    length = args.length or round(1.2 * statistics.mean(src_tokens))
    setup_s = time.perf_counter() - t_setup
    workers, threads = cpu_workers()

    def spread(n: int) -> list[str]:
        """n sentences spread evenly over the set sorted by length: the same length mix, fewer of them."""
        if n >= len(sentences):
            return sentences
        ranked = sorted(sentences, key=lambda s: len(tok(s).input_ids))
        return [ranked[round(i * (len(ranked) - 1) / (n - 1))] for i in range(n)] if n > 1 else ranked[:1]

    print(f"{len(sentences)} sentences (seed page + WMT21 newstest zh), source tokens mean "
          f"{statistics.mean(src_tokens):.1f} / max {max(src_tokens)}; forced target length {length} tokens; "
          f"CPU, {cpu_cores()} cores (plain engines: {cpu_cores()} torch threads; project engines: {workers} "
          f"decoding workers × {threads} thread){', OMP_WAIT_POLICY=PASSIVE' if args.omp_passive else ''}; "
          f"setup {setup_s:.0f}s; "
          f"load average {os.getloadavg()[0]:.1f} at start")
    runs: dict[tuple[int, str], list[dict]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for beams in args.beams:
            for round_ in range(args.repeat):
                shift = round_ % len(ENGINES)
                for engine in ENGINES[shift:] + ENGINES[:shift]:
                    n = args.single_sentences if engine == "hf-single" else \
                        (args.beam6_sentences if beams > 1 else args.sentences)
                    subset = spread(n)
                    path = Path(tmp) / f"{engine}-{beams}.json"
                    path.write_text(json.dumps(subset, ensure_ascii=False), encoding="utf-8")
                    row = _run_worker(["--worker", engine, "--beams", str(beams), "--length", str(length),
                                       "--model", str(args.model), "--input", str(path)])
                    expected = len(subset) * length
                    assert row["target_tokens"] == expected, (row, expected)  # identical work, or the figures lie
                    runs.setdefault((beams, engine), []).append(row)
                    print(f"  round {round_ + 1} {engine:12s} beams {beams}: "
                          f"{row['sentences'] / row['seconds']:.2f} sentences/s", file=sys.stderr)
        path = Path(tmp) / "none.json"
        path.write_text("[]")
        cached = _run_worker(["--worker", "cache", "--beams", "6", "--length", str(length),
                              "--model", str(args.model), "--input", str(path)])

    print()
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    print()
    def rate(r: dict) -> float:
        return r["sentences"] / r["seconds"]

    spread_column = args.repeat > 1
    print("| beams | engine | sentences | sentences/s | " + (f"range of {args.repeat} runs | " if spread_column else "")
          + "target tokens/s | CPU s per sentence | peak RSS MiB | × plain baseline |")
    print("|---:|---|---:|---:|" + ("---:|" if spread_column else "") + "---:|---:|---:|---:|")
    for beams in args.beams:
        best = {engine: max(runs[beams, engine], key=rate) for engine in ENGINES}
        base_rate = rate(best["hf-batch16"])
        for engine, r in best.items():
            rates = [rate(x) for x in runs[beams, engine]]
            span = f"{min(rates):.2f}–{max(rates):.2f} | " if spread_column else ""
            print(f"| {beams} | {engine} | {r['sentences']} | {rate(r):.2f} | {span}"
                  f"{r['target_tokens'] / r['seconds']:.0f} | {r['cpu_seconds'] / r['sentences']:.2f} "
                  f"| {max(x['peak_rss_mb'] for x in runs[beams, engine]):.0f} | {rate(r) / base_rate:.2f}× |")
    if spread_column:
        print()
        for beams in args.beams:
            medians = {e: statistics.median(rate(x) for x in runs[beams, e]) for e in ENGINES}
            print(f"beams {beams}, median runs against the baseline's median: " + ", ".join(
                f"{e} {medians[e] / medians['hf-batch16']:.2f}×" for e in ENGINES if e != "hf-batch16"))
    print()
    print(f"seed page, project CTranslate2 backend, beams 6: first run {cached['first_s']:.2f}s "
          f"({cached['first_inputs']} model inputs), cached rerun {cached['cached_s']:.3f}s "
          f"({cached['cached_inputs']} model inputs): {cached['first_s'] / cached['cached_s']:.0f}× faster")


if __name__ == "__main__":
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    main()
