"""Summary quality: character ROUGE-1/2/L F1 of the summariser against Lead, plain TextRank and the extractive oracle.

Every system picks whole sentences from the same candidates (a document's body sentences that `summarize.eligible`
keeps) under the same budget: max_chars = the reference's length, at least one sentence. Sets (bench/data/summaries/):
the seed page and the sample pages in input/samples/ (references matched by headline), and WMT21 news documents
read from ../shared/data (skipped with a note when that folder is absent). Split: the odd-numbered WMT documents
(w01, w03, …) are the tuning part; everything else is held out.

    .venv/bin/python bench/summarize_eval.py            # held-out part (the figures in bench/RESULTS.md)
    .venv/bin/python bench/summarize_eval.py --split tune
    .venv/bin/python bench/summarize_eval.py --split all --per-doc
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.run import load_page  # noqa: E402
from pipeline.sentences import split_sentences  # noqa: E402
from pipeline import summarize  # noqa: E402
from pipeline.zh import FULLWIDTH_ALNUM_CLASS, HAN_CLASS  # noqa: E402

DATA = ROOT / "bench" / "data" / "summaries"
SHARED = ROOT.parent / "shared" / "data"
# ROUGE tokens: Han characters, letters and digits; punctuation and spaces carry no content.
_TOKEN = re.compile(f"[{HAN_CLASS}A-Za-z0-9{FULLWIDTH_ALNUM_CLASS}]")
# A WMT first body line can open with the wire's dateline; the pipeline keeps datelines as separate units.
_DATELINE = re.compile(
    r"^\s*(?:(?:新华社|中新社|中新网(?:客户端)?)[\u4e00-\u9fff]{0,8}\d{1,2}月\d{1,2}日电|[\u4e00-\u9fff]{2,4}日报讯|本报讯)"
    r"\s*(?:（[^）]{0,40}）|\([^)]{0,40}\))?\s*")


@dataclass
class Doc:
    id: str
    subset: str
    title: str
    sentences: list[str]
    reference: str


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _ngrams(toks: list[str], n: int) -> Counter:
    return Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))


def _f1(overlap: float, n_hyp: int, n_ref: int) -> float:
    if not overlap or not n_hyp or not n_ref:
        return 0.0
    p, r = overlap / n_hyp, overlap / n_ref
    return 2 * p * r / (p + r)


def _lcs(a: list[str], b: list[str]) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def rouge(hyp: str, ref: str) -> dict[str, float]:
    """Character-level ROUGE-1, ROUGE-2 and ROUGE-L F1 (summary-level LCS over the joined text)."""
    h, r = tokens(hyp), tokens(ref)
    out = {}
    for n in (1, 2):
        hn, rn = _ngrams(h, n), _ngrams(r, n)
        out[f"R{n}"] = _f1(sum((hn & rn).values()), sum(hn.values()), sum(rn.values()))
    out["RL"] = _f1(_lcs(h, r), len(h), len(r))
    return out


# --- systems: each returns sentence indices (document order) within max_chars -------------------------------------


def lead(doc: Doc, max_chars: int) -> list[int]:
    """The first eligible sentences while they fit (at least one)."""
    chosen, used = [], 0
    for i in summarize.eligible(doc.sentences):
        if chosen and used + len(doc.sentences[i]) > max_chars:
            break
        chosen.append(i)
        used += len(doc.sentences[i])
    return chosen


def lead_fill(doc: Doc, max_chars: int) -> list[int]:
    """Lead that skips a sentence that does not fit and goes on with the next ones (a stronger Lead)."""
    return _fit(summarize.eligible(doc.sentences), doc.sentences, max_chars)


def _bigram_tfidf(sentences: list[str]) -> list[dict]:
    grams = [Counter(a + b for a, b in zip(t, t[1:])) for t in (tokens(s) for s in sentences)]
    df = Counter(g for c in grams for g in c)
    n = len(sentences)
    return [{g: tf * (math.log((1 + n) / (1 + df[g])) + 1) for g, tf in c.items()} for c in grams]


def _cos(a: dict, b: dict) -> float:
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    na, nb = math.sqrt(sum(v * v for v in a.values())), math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def textrank(doc: Doc, max_chars: int) -> list[int]:
    """Plain TextRank (PageRank, d=0.85) over character-bigram TF-IDF cosine; best-ranked sentences that fit."""
    idx = summarize.eligible(doc.sentences)
    vecs = _bigram_tfidf([doc.sentences[i] for i in idx])
    n = len(idx)
    sim = [[_cos(vecs[a], vecs[b]) if a != b else 0.0 for b in range(n)] for a in range(n)]
    out_w = [sum(row) or 1.0 for row in sim]
    score = [1.0 / n] * n
    for _ in range(100):
        score = [0.15 / n + 0.85 * sum(sim[b][a] / out_w[b] * score[b] for b in range(n)) for a in range(n)]
    order = sorted(range(n), key=lambda a: (-score[a], a))
    return _fit([idx[a] for a in order], doc.sentences, max_chars)


def _fit(order: list[int], sentences: list[str], max_chars: int) -> list[int]:
    chosen, used = [], 0
    for i in order:
        if chosen and used + len(sentences[i]) > max_chars:
            continue
        chosen.append(i)
        used += len(sentences[i])
    return sorted(chosen)


def ours(doc: Doc, max_chars: int) -> list[int]:
    return summarize.select(doc.sentences, doc.title, max_chars=max_chars)


def _subsets(idx: list[int], sentences: list[str], max_chars: int):
    """Every set of sentences within max_chars, and every single sentence (the at-least-one rule)."""
    def grow(start: int, chosen: list[int], used: int):
        for k in range(start, len(idx)):
            size = len(sentences[idx[k]])
            if used + size <= max_chars:
                chosen.append(idx[k])
                yield list(chosen)
                yield from grow(k + 1, chosen, used + size)
                chosen.pop()
    yield from ([i] for i in idx if len(sentences[i]) > max_chars)
    yield from grow(0, [], 0)


# The oracle ranks every subset by R1+R2 (cheap) and scores the best ORACLE_SHORTLIST of them fully (LCS).
ORACLE_SHORTLIST = 25


def oracle(doc: Doc, max_chars: int) -> list[int]:
    """Extractive oracle: the subset within the budget with the best mean(R1, R2, RL), by search."""
    ref = tokens(doc.reference)
    r1, r2 = _ngrams(ref, 1), _ngrams(ref, 2)
    toks = {i: tokens(doc.sentences[i]) for i in range(len(doc.sentences))}
    scored = []
    for sub in _subsets(summarize.eligible(doc.sentences), doc.sentences, max_chars):
        h = [t for i in sorted(sub) for t in toks[i]]
        h1, h2 = _ngrams(h, 1), _ngrams(h, 2)
        quick = (_f1(sum((h1 & r1).values()), len(h), len(ref))
                 + _f1(sum((h2 & r2).values()), max(len(h) - 1, 0), max(len(ref) - 1, 0)))
        scored.append((-quick, sorted(sub)))
    scored.sort()
    best = max(scored[:ORACLE_SHORTLIST], key=lambda x: (sum(rouge("".join(doc.sentences[i] for i in x[1]),
                                                                     doc.reference).values()), x[0]))
    return best[1]


SYSTEMS: dict[str, Callable[[Doc, int], list[int]]] = {
    "Lead": lead, "Lead+fill": lead_fill, "TextRank": textrank, "ours": ours, "oracle": oracle}


# --- data ------------------------------------------------------------------------------------------------------------


def _page_docs(ref_file: Path, input_path: Path, subset: str) -> list[Doc]:
    refs = json.loads(ref_file.read_text(encoding="utf-8"))
    page = load_page(input_path)
    by_headline = {a.main_headline.zh: a for a in page.articles if a.main_headline}
    by_id = {a.id: a for a in page.articles}
    docs = []
    for ref in refs["articles"]:
        art = by_headline.get(ref["headline"]) or by_id.get(ref["id"])
        if art is None:
            print(f"warning: {input_path.name}: no article for reference {ref['id']} {ref['headline']}", file=sys.stderr)
            continue
        sents = [s.zh for s in summarize.summary_sentences(art)]
        title = " ".join(h.zh for h in art.headlines)
        docs.append(Doc(f"{input_path.stem}/{art.id}", subset, title, sents, ref["summary"]))
    return docs


def _wmt_docs() -> tuple[list[Doc], str]:
    spec = json.loads((DATA / "wmt21-newstest-zh.json").read_text(encoding="utf-8"))
    path = SHARED / spec["source"]
    if not path.exists():
        return [], f"WMT21 documents skipped: {path} is absent"
    raw = path.read_bytes()
    if hashlib.sha256(raw).hexdigest() != spec["sha256"]:
        return [], f"WMT21 documents skipped: {path} is not the file the references' line numbers point into"
    lines = raw.decode("utf-8").splitlines()
    docs = []
    for d in spec["documents"]:
        title = " ".join(re.sub(r"\s*[-－—]\s*(新华网|中新网)\s*$", "", lines[n - 1]) for n in d["title"])
        body = [n for a, b in d["body"] for n in range(a, b + 1)]
        sents = []
        for k, n in enumerate(body):
            sents += split_sentences(_DATELINE.sub("", lines[n - 1], count=1) if k == 0 else lines[n - 1])
        subset = "wmt21-tune" if int(d["id"][1:]) % 2 else "wmt21-test"
        docs.append(Doc(d["id"], subset, title, sents, d["summary"]))
    return docs, ""


def load_docs() -> tuple[list[Doc], list[str]]:
    notes = []
    docs = _page_docs(DATA / "dazhong-2022-10-zaozhuang.json", ROOT / "input" / "dazhong-2022-10-zaozhuang.txt", "seed")
    for ref_file in sorted(DATA.glob("samples-*.json")):
        spec = json.loads(ref_file.read_text(encoding="utf-8"))
        docs += _page_docs(ref_file, ROOT / spec["input"], "samples")
    wmt, note = _wmt_docs()
    if note:
        notes.append(note)
    return docs + wmt, notes


# --- report ----------------------------------------------------------------------------------------------------------


def evaluate(docs: list[Doc], systems: dict) -> dict[str, dict[str, list[dict]]]:
    """scores[system][doc id] = rouge dict."""
    out: dict = {name: {} for name in systems}
    for doc in docs:
        budget = len(doc.reference)
        for name, fn in systems.items():
            idx = fn(doc, budget)
            out[name][doc.id] = rouge("".join(doc.sentences[i] for i in idx), doc.reference)
    return out


# Paired bootstrap over documents: resamples and a fixed seed, so the interval is the same on every run.
BOOTSTRAP_SAMPLES = 2000


def paired(scores: dict, ids: list[str], a: str, b: str, key: str) -> str:
    """Wins/ties/losses of system a over b per document and a 95% bootstrap interval of the mean difference."""
    import random

    diff = [scores[a][i][key] - scores[b][i][key] for i in ids]
    wins, losses = sum(d > 1e-9 for d in diff), sum(d < -1e-9 for d in diff)
    rng = random.Random(0)
    means = sorted(sum(rng.choice(diff) for _ in diff) / len(diff) for _ in range(BOOTSTRAP_SAMPLES))
    lo, hi = means[int(0.025 * BOOTSTRAP_SAMPLES)], means[int(0.975 * BOOTSTRAP_SAMPLES) - 1]
    return (f"{a} − {b} {key}: {100 * sum(diff) / len(diff):+.1f} (95% CI {100 * lo:+.1f} … {100 * hi:+.1f}), "
            f"better on {wins}, worse on {losses}, tied on {len(diff) - wins - losses} of {len(diff)}")


def _mean(rows: list[dict], key: str) -> float:
    return 100 * sum(r[key] for r in rows) / len(rows) if rows else 0.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=["test", "tune", "all"], default="test")
    ap.add_argument("--per-doc", action="store_true", help="Also print each document's ROUGE-2/L per system.")
    args = ap.parse_args(argv)
    docs, notes = load_docs()
    keep = {"test": lambda d: d.subset != "wmt21-tune", "tune": lambda d: d.subset == "wmt21-tune",
            "all": lambda d: True}[args.split]
    docs = [d for d in docs if keep(d)]
    scores = evaluate(docs, SYSTEMS)
    groups = sorted({d.subset for d in docs}) + ["ALL"]
    print(f"split={args.split}: {len(docs)} documents; char-level ROUGE F1 ×100, budget = reference length")
    print(f"{'set':<12}{'docs':>5}" + "".join(f"{n:>19}" for n in SYSTEMS))
    print(f"{'':<12}{'':>5}" + "".join(f"{'R1    R2    RL':>19}" for _ in SYSTEMS))
    for g in groups:
        ids = [d.id for d in docs if g == "ALL" or d.subset == g]
        cells = []
        for name in SYSTEMS:
            rows = [scores[name][i] for i in ids]
            cells.append(f"{_mean(rows, 'R1'):6.1f}{_mean(rows, 'R2'):6.1f}{_mean(rows, 'RL'):6.1f}".rjust(19))
        print(f"{g:<12}{len(ids):>5}" + "".join(cells))
    ids = [d.id for d in docs]
    for base in ("Lead", "Lead+fill", "TextRank"):
        for key in ("R2", "RL"):
            print(paired(scores, ids, "ours", base, key))
    if args.per_doc:
        for d in docs:
            print(f"{d.id:<40}" + "".join(f"{name}:{100*scores[name][d.id]['R2']:5.1f}/{100*scores[name][d.id]['RL']:5.1f}  "
                                         for name in SYSTEMS))
    for n in notes:
        print(n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
