"""Summary quality: character ROUGE-1/2/L F1 of the summariser against Lead, TextRank, LexRank, centroid, KL-Sum, the
project's method before issue 14 and the extractive oracle, by reference set, genre and half, with bootstrap intervals.

Every system picks whole sentences from the same candidates (a document's body sentences that `summarize.eligible`
keeps) under the same budget: max_chars = the reference's length, at least one sentence. Sets (bench/data/summaries/,
sources and licences in its README.md): the seed page and the sample pages in input/samples/ (references matched by
headline), WMT21 news and feature documents read from ../shared/data (skipped with a note when that folder is absent),
and the CLTS+ samples (editors' summaries). Every document is in the dev or the test half by the hash of its set and
id (`half`); methods are tuned on dev only.

    .venv/bin/python bench/summarize_eval.py                 # test half: the tables in bench/RESULTS.md
    .venv/bin/python bench/summarize_eval.py --half dev
    .venv/bin/python bench/summarize_eval.py --half dev --sweep   # the tuning grid (dev only)
    .venv/bin/python bench/summarize_eval.py --half all --per-doc
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import math
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import summarize
from pipeline.run import load_page
from pipeline.sentences import split_sentences
from pipeline.summarize import Layout
from pipeline.zh import FULLWIDTH_ALNUM_CLASS, HAN_CLASS

DATA = ROOT / "bench" / "data" / "summaries"
SHARED = ROOT.parent / "shared" / "data"
# ROUGE tokens: Han characters, letters and digits; punctuation and spaces carry no content.
_TOKEN = re.compile(f"[{HAN_CLASS}A-Za-z0-9{FULLWIDTH_ALNUM_CLASS}]")
# A WMT first body line can open with the wire's dateline; the pipeline keeps datelines as separate units.
_DATELINE = re.compile(
    r"^\s*(?:(?:新华社|中新社|中新网(?:客户端)?)[\u4e00-\u9fff]{0,8}\d{1,2}月\d{1,2}日电|[\u4e00-\u9fff]{2,4}日报讯|本报讯)"
    r"\s*(?:（[^）]{0,40}）|\([^)]{0,40}\))?\s*")


def half(set_name: str, doc_id: str) -> str:
    """dev or test, fixed by the hash of set/id (decided before any tuning; README.md in the data folder)."""
    return "dev" if hashlib.sha256(f"{set_name}/{doc_id}".encode()).hexdigest()[0] in "01234567" else "test"


@dataclass
class Doc:
    id: str
    subset: str  # the reference set
    title: str
    sentences: list[str]
    reference: str
    genre: str = "wire"  # our label: wire | feature
    layout: Layout = field(default_factory=Layout)

    @property
    def half(self) -> str:
        return half(self.subset, self.id)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _ngrams(toks: list[str], n: int) -> Counter[tuple[str, ...]]:
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
    chosen: list[int] = []
    used = 0
    for i in summarize.eligible(doc.sentences):
        if chosen and used + len(doc.sentences[i]) > max_chars:
            break
        chosen.append(i)
        used += len(doc.sentences[i])
    return chosen


def lead_fill(doc: Doc, max_chars: int) -> list[int]:
    """Lead that skips a sentence that does not fit and goes on with the next ones (a stronger Lead)."""
    return _fit(summarize.eligible(doc.sentences), doc.sentences, max_chars)


def _bigram_tfidf(sentences: list[str]) -> list[dict[str, float]]:
    grams = [Counter(a + b for a, b in itertools.pairwise(t)) for t in (tokens(s) for s in sentences)]
    df = Counter(g for c in grams for g in c)
    n = len(sentences)
    return [{g: tf * (math.log((1 + n) / (1 + df[g])) + 1) for g, tf in c.items()} for c in grams]


def _cos(a: dict[str, float], b: dict[str, float]) -> float:
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
    chosen: list[int] = []
    used = 0
    for i in order:
        if chosen and used + len(sentences[i]) > max_chars:
            continue
        chosen.append(i)
        used += len(sentences[i])
    return sorted(chosen)


def lexrank(doc: Doc, max_chars: int) -> list[int]:
    """LexRank (Erkan & Radev 2004): PageRank over the graph of sentence pairs whose TF-IDF cosine passes 0.1."""
    idx = summarize.eligible(doc.sentences)
    vecs = _bigram_tfidf([doc.sentences[i] for i in idx])
    n = len(idx)
    adj = [[1.0 if a != b and _cos(vecs[a], vecs[b]) > LEXRANK_THRESHOLD else 0.0 for b in range(n)] for a in range(n)]
    deg = [sum(row) or 1.0 for row in adj]
    score = [1.0 / n] * n
    for _ in range(100):
        score = [0.15 / n + 0.85 * sum(adj[b][a] / deg[b] * score[b] for b in range(n)) for a in range(n)]
    order = sorted(range(n), key=lambda a: (-score[a], a))
    return _fit([idx[a] for a in order], doc.sentences, max_chars)


LEXRANK_THRESHOLD = 0.1
# Centroid: the text's centroid keeps its CENTROID_TOP heaviest bigrams; a sentence over 0.7 cosine to a chosen one is
# skipped as redundant (Radev et al. 2004, simplified).
CENTROID_TOP = 50


def centroid(doc: Doc, max_chars: int) -> list[int]:
    """Centroid-based: sentences closest to the text's TF-IDF centroid, skipping near-duplicates."""
    idx = summarize.eligible(doc.sentences)
    vecs = _bigram_tfidf([doc.sentences[i] for i in idx])
    total: dict[str, float] = {}
    for v in vecs:
        for g, w in v.items():
            total[g] = total.get(g, 0.0) + w
    cen = dict(sorted(total.items(), key=lambda x: (-x[1], x[0]))[:CENTROID_TOP])
    order = sorted(range(len(idx)), key=lambda a: (-_cos(vecs[a], cen), a))
    kept: list[int] = []
    for a in order:
        if all(_cos(vecs[a], vecs[b]) <= 0.7 for b in kept):
            kept.append(a)
    return _fit([idx[a] for a in kept], doc.sentences, max_chars)


def klsum(doc: Doc, max_chars: int) -> list[int]:
    """KL-Sum (Haghighi & Vanderwende 2009): greedily add the sentence that brings the summary's character-bigram
    distribution closest (KL divergence) to the text's, while it fits."""
    idx = summarize.eligible(doc.sentences)
    grams = [Counter(a + b for a, b in itertools.pairwise(t)) for t in (tokens(doc.sentences[i]) for i in idx)]
    text: Counter[str] = Counter()
    for g in grams:
        text.update(g)
    n_text = sum(text.values()) or 1
    vocab = len(text) or 1

    def kl(summ: Counter[str]) -> float:
        n_sum = sum(summ.values())
        return sum(c / n_text * math.log((c / n_text) / ((summ[g] + 0.01) / (n_sum + 0.01 * vocab)))
                   for g, c in text.items())

    chosen: list[int] = []
    summ: Counter[str] = Counter()
    used = 0
    left = list(range(len(idx)))
    while left:
        fits = [a for a in left if not chosen or used + len(doc.sentences[idx[a]]) <= max_chars]
        if not fits:
            break
        best = min(fits, key=lambda a: (kl(summ + grams[a]), a))
        chosen.append(best)
        summ += grams[best]
        used += len(doc.sentences[idx[best]])
        left.remove(best)
    return sorted(idx[a] for a in chosen)


def project_before(doc: Doc, max_chars: int) -> list[int]:
    """The project's method before issue 14 (lead-weighted, for every text): summarize's wire branch."""
    return summarize.choose(doc.sentences, doc.title, max_chars=max_chars, genre="wire").indices


def coverage(doc: Doc, max_chars: int) -> list[int]:
    """Submodular coverage + diversity (Lin & Bilmes 2011) for every text: summarize's feature branch."""
    return summarize.choose(doc.sentences, doc.title, max_chars=max_chars, layout=doc.layout, genre="feature").indices


def ours(doc: Doc, max_chars: int) -> list[int]:
    """The summariser as the pipeline runs it: kind of text decided from the structure, then its method."""
    return summarize.choose(doc.sentences, doc.title, max_chars=max_chars, layout=doc.layout).indices


# The oracle enumerates every subset within the budget; past ORACLE_MAX_SUBSETS (a long text with short sentences)
# it keeps the best found so far. It ranks subsets by R1+R2 and scores the best ORACLE_SHORTLIST fully (LCS).
ORACLE_MAX_SUBSETS = 200_000
ORACLE_SHORTLIST = 25


def _subsets(idx: list[int], sentences: list[str], max_chars: int) -> Iterator[list[int]]:
    """Every set of sentences within max_chars, and every single sentence (the at-least-one rule)."""
    def grow(start: int, chosen: list[int], used: int) -> Iterator[list[int]]:
        for k in range(start, len(idx)):
            size = len(sentences[idx[k]])
            if used + size <= max_chars:
                chosen.append(idx[k])
                yield list(chosen)
                yield from grow(k + 1, chosen, used + size)
                chosen.pop()
    yield from ([i] for i in idx if len(sentences[i]) > max_chars)
    yield from grow(0, [], 0)


def oracle(doc: Doc, max_chars: int) -> list[int]:
    """Extractive oracle: the subset within the budget with the best mean(R1, R2, RL), by search."""
    ref = tokens(doc.reference)
    r1, r2 = _ngrams(ref, 1), _ngrams(ref, 2)
    toks = {i: tokens(doc.sentences[i]) for i in range(len(doc.sentences))}
    scored = []
    for k, sub in enumerate(_subsets(summarize.eligible(doc.sentences), doc.sentences, max_chars)):
        if k >= ORACLE_MAX_SUBSETS:
            break
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
    "Lead": lead, "TextRank": textrank, "LexRank": lexrank, "Centroid": centroid, "KL-Sum": klsum,
    "before#14": project_before, "Coverage": coverage, "ours": ours, "oracle": oracle}


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
        sents = summarize.summary_sentences(art)
        title = " ".join(h.zh for h in art.headlines)
        docs.append(Doc(f"{input_path.stem}/{art.id}", subset, title, [s.zh for s in sents], ref["summary"],
                        ref.get("genre", "wire"), summarize.article_layout(art, sents)))
    return docs


def _line_docs(spec_file: str, subset: str) -> tuple[list[Doc], str]:
    """Documents given as line numbers into a ../shared/data file (title, body ranges, sub-heading lines)."""
    spec = json.loads((DATA / spec_file).read_text(encoding="utf-8"))
    path = SHARED / spec["source"]
    if not path.exists():
        return [], f"{spec_file}: skipped, {path} is absent"
    raw = path.read_bytes()
    if hashlib.sha256(raw).hexdigest() != spec["sha256"]:
        return [], f"{spec_file}: skipped, {path} is not the file the references' line numbers point into"
    lines = raw.decode("utf-8").splitlines()
    docs = []
    for d in spec["documents"]:
        title = " ".join(re.sub(r"\s*[-－—]\s*(新华网|中新网)\s*$", "", lines[n - 1]) for n in d["title"])
        body = [n for a, b in d["body"] for n in range(a, b + 1)]
        subheads = set(d.get("subheadings", []))
        sents: list[str] = []
        paras: list[int] = []
        sections: list[int] = []
        section = 0
        dateline = False
        for k, n in enumerate(body):
            if n in subheads:
                section += 1
                continue
            text = lines[n - 1]
            if k == 0:
                cut = _DATELINE.sub("", text, count=1)
                dateline, text = cut != text, cut
            for s in split_sentences(text):
                sents.append(s)
                paras.append(k)
                sections.append(section)
        docs.append(Doc(d["id"], subset, title, sents, d["summary"], d.get("genre", "wire"),
                        Layout(tuple(paras), tuple(sections), dateline)))
    return docs, ""


def _clts_docs() -> list[Doc]:
    spec = json.loads((DATA / "clts-plus-samples.json").read_text(encoding="utf-8"))
    docs = []
    for d in spec["documents"]:
        sents: list[str] = []
        paras: list[int] = []
        for k, p in enumerate(d["paragraphs"]):
            for s in split_sentences(p):
                sents.append(s)
                paras.append(k)
        docs.append(Doc(d["id"], "clts", d["title"], sents, d["summary"], d["genre"],
                        Layout(tuple(paras), tuple(0 for _ in sents), False)))
    return docs


SETS = ["seed", "samples", "wmt21", "wmt21-features", "clts"]


def load_docs() -> tuple[list[Doc], list[str]]:
    notes = []
    docs = _page_docs(DATA / "dazhong-2022-10-zaozhuang.json", ROOT / "input" / "dazhong-2022-10-zaozhuang.txt", "seed")
    for ref_file in sorted(DATA.glob("samples-*.json")):
        spec = json.loads(ref_file.read_text(encoding="utf-8"))
        docs += _page_docs(ref_file, ROOT / spec["input"], "samples")
    for spec_file, subset in (("wmt21-newstest-zh.json", "wmt21"), ("wmt21-features.json", "wmt21-features")):
        more, note = _line_docs(spec_file, subset)
        docs += more
        if note:
            notes.append(note)
    return docs + _clts_docs(), notes


# --- report ----------------------------------------------------------------------------------------------------------


# scores[system][set/id] = {R1, R2, RL}
Scores = dict[str, dict[str, dict[str, float]]]


def evaluate(docs: list[Doc], systems: dict[str, Callable[[Doc, int], list[int]]]) -> Scores:
    """scores[system][doc id] = rouge dict."""
    out: Scores = {name: {} for name in systems}
    for doc in docs:
        budget = len(doc.reference)
        for name, fn in systems.items():
            idx = fn(doc, budget)
            out[name][_key(doc)] = rouge("".join(doc.sentences[i] for i in idx), doc.reference)
    return out


def _key(doc: Doc) -> str:
    return f"{doc.subset}/{doc.id}"


# Bootstrap over documents: resamples with a fixed seed, so an interval is the same on every run.
BOOTSTRAP_SAMPLES = 2000


def _interval(values: list[float]) -> tuple[float, float]:
    rng = random.Random(0)
    means = sorted(sum(rng.choice(values) for _ in values) / len(values) for _ in range(BOOTSTRAP_SAMPLES))
    return means[int(0.025 * BOOTSTRAP_SAMPLES)], means[int(0.975 * BOOTSTRAP_SAMPLES) - 1]


def cell(scores: Scores, keys: list[str], name: str, key: str = "R2") -> str:
    vals = [100 * scores[name][k][key] for k in keys]
    lo, hi = _interval(vals)
    return f"{sum(vals) / len(vals):.1f} ({lo:.1f}–{hi:.1f})"


def paired(scores: Scores, keys: list[str], a: str, b: str, key: str = "R2") -> str:
    diff = [100 * (scores[a][k][key] - scores[b][k][key]) for k in keys]
    wins, losses = sum(d > 1e-7 for d in diff), sum(d < -1e-7 for d in diff)
    lo, hi = _interval(diff)
    return f"{sum(diff) / len(diff):+.1f} ({lo:+.1f} … {hi:+.1f}), {wins}/{losses}/{len(diff) - wins - losses}"


def groups(docs: list[Doc]) -> list[tuple[str, list[Doc]]]:
    out = [(f"genre={g}", [d for d in docs if d.genre == g]) for g in ("wire", "feature")]
    out += [(f"set={s}", [d for d in docs if d.subset == s]) for s in SETS]
    out += [(f"set={s}, {g}", [d for d in docs if d.subset == s and d.genre == g]) for s in SETS for g in ("wire", "feature")]
    out.append(("all", docs))
    return [(name, ds) for name, ds in out if ds]


def report(docs: list[Doc], scores: Scores, systems: list[str], label: str) -> None:
    print(f"\n### {label}: {len(docs)} documents — ROUGE-2 F1 ×100, mean (95% bootstrap interval)\n")
    print("| group | docs | " + " | ".join(systems) + " |")
    print("|---|---:|" + "---|" * len(systems))
    for name, ds in groups(docs):
        keys = [_key(d) for d in ds]
        print(f"| {name} | {len(ds)} | " + " | ".join(cell(scores, keys, s) for s in systems) + " |")
    print(f"\n{label}: ours minus baseline, ROUGE-2 (95% bootstrap interval), documents better/worse/tied\n")
    base = [s for s in ("Lead", "TextRank", "LexRank", "before#14") if s in systems]
    print("| group | docs | " + " | ".join(f"ours − {b}" for b in base) + " |")
    print("|---|---:|" + "---|" * len(base))
    for name, ds in groups(docs):
        if name.startswith("set=") and "," in name:
            continue
        keys = [_key(d) for d in ds]
        print(f"| {name} | {len(ds)} | " + " | ".join(paired(scores, keys, "ours", b) for b in base) + " |")
    keys = [_key(d) for d in docs]
    print(f"\n{label}, all documents, R1 / RL means: " + "; ".join(
        f"{s} {sum(100 * scores[s][k]['R1'] for k in keys) / len(keys):.1f} / "
        f"{sum(100 * scores[s][k]['RL'] for k in keys) / len(keys):.1f}" for s in systems))


def genre_accuracy(docs: list[Doc]) -> str:
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for d in docs:
        guess = summarize.classify(d.sentences, d.title, d.layout)
        total[d.genre] += 1
        right[d.genre] += guess == d.genre
    return ", ".join(f"{g}: {right[g]}/{total[g]} labelled {g} read as {g}" for g in ("wire", "feature"))


def _best_ms(sentences: list[str], title: str, layout: Layout, genre: str | None) -> float:
    best = math.inf
    for _ in range(3):
        t = time.perf_counter()
        summarize.choose(sentences, title, layout=layout, genre=genre)
        best = min(best, time.perf_counter() - t)
    return 1000 * best


def timing(docs: list[Doc]) -> list[str]:
    """Milliseconds per article for the summariser (default budget), best of 3, in this one process (one core): over
    the documents evaluated, and for longer texts made of consecutive WMT21 lines, by method."""
    per = sorted((_best_ms(d.sentences, d.title, d.layout, None), sum(len(s) for s in d.sentences)) for d in docs)
    worst = per[-1]
    lines = [(f"summariser time per article (default budget, best of 3, one core), {len(per)} documents: "
             f"mean {sum(p for p, _ in per) / len(per):.1f} ms, median {per[len(per) // 2][0]:.1f} ms, "
             f"max {worst[0]:.1f} ms ({worst[1]} characters)")]
    path = SHARED / "wmt21-newstest-zh" / "newstest2021.zh-en.src.zh"
    if path.exists():
        text = path.read_text(encoding="utf-8").splitlines()
        for n_lines in (25, 50, 100, 300):
            sents = [s for line in text[:n_lines] for s in split_sentences(line)]
            size = sum(len(s) for s in sents)
            lines.append(f"  a {size}-character text ({len(sents)} sentences): " + ", ".join(
                f"{g} {_best_ms(sents, '', Layout(), g):.0f} ms" for g in ("wire", "feature")))
    return lines


# The tuning grid, run on the dev half only (--sweep): feature-method constants scored on dev documents labelled
# feature; classifier thresholds scored on dev by ours' mean ROUGE-2.
SWEEP: dict[str, list[float]] = {
    "COVERAGE_ALPHA": [0.1, 0.2, 0.3, 0.5, 1.0],
    "DIVERSITY_WEIGHT": [0.0, 0.5, 1.0, 2.0, 4.0],
    "FEATURE_PARTS": [1, 2, 3, 4],
    "TITLE_WEIGHT": [0.0, 0.2, 0.5, 1.0],
    "FACT_WEIGHT": [0.0, 0.05, 0.1, 0.2],
    "CONCLUSION_WEIGHT": [0.0, 0.05, 0.1, 0.2],
    "COST_EXPONENT": [0.0, 0.3, 0.5, 1.0],
    "STANDALONE_FACTOR": [1.0, 0.8, 0.5, 0.3],
    "FEATURE_LEAD_WEIGHT": [0.0, 0.05, 0.1, 0.2, 0.5],
}


def sweep(docs: list[Doc]) -> None:
    feats = [d for d in docs if d.genre == "feature"]
    print(f"sweep on {len(feats)} dev documents labelled feature (Coverage R2), one constant at a time:")
    for const, values in SWEEP.items():
        keep = getattr(summarize, const)
        row = []
        for v in values:
            setattr(summarize, const, v)
            sc = evaluate(feats, {"Coverage": coverage})["Coverage"]
            row.append(f"{v}: {100 * sum(r['R2'] for r in sc.values()) / len(sc):.1f}")
        setattr(summarize, const, keep)
        print(f"  {const} (now {keep}): " + ", ".join(row))
    wires = [d for d in docs if d.genre == "wire"]
    for name, subset in (("wire", wires), ("feature", feats)):
        table = evaluate(subset, {"Lead": lead, "TextRank": textrank, "before#14": project_before, "Coverage": coverage})
        print(f"  dev {name} ({len(subset)}): " + ", ".join(
            f"{s} {100 * sum(r['R2'] for r in v.values()) / len(v):.1f}" for s, v in table.items()))
    keep_t = summarize.FEATURE_THRESHOLD
    for t in (-1.0, 0.0, 1.0, 2.0, 3.0, 99.0):
        summarize.FEATURE_THRESHOLD = t
        sc = evaluate(docs, {"ours": ours})["ours"]
        print(f"  FEATURE_THRESHOLD {t}: ours dev R2 {100 * sum(r['R2'] for r in sc.values()) / len(sc):.1f}; "
              + genre_accuracy(docs))
    summarize.FEATURE_THRESHOLD = keep_t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--half", choices=["test", "dev", "all"], default="test")
    ap.add_argument("--sweep", action="store_true", help="Print the tuning grid (only with --half dev).")
    ap.add_argument("--per-doc", action="store_true", help="Also print each document's ROUGE-2 per system.")
    args = ap.parse_args(argv)
    docs, notes = load_docs()
    docs = [d for d in docs if args.half == "all" or d.half == args.half]
    if args.sweep:
        if args.half != "dev":
            ap.error("--sweep tunes, so it runs on --half dev only")
        sweep(docs)
        return 0
    scores = evaluate(docs, SYSTEMS)
    report(docs, scores, list(SYSTEMS), f"half={args.half}")
    print("\ngenre read from structure (summarize.classify) against our labels: " + genre_accuracy(docs))
    for line in timing(docs):
        print(line)
    if args.per_doc:
        for d in docs:
            print(f"{_key(d):<48}{d.genre:<8}" + "".join(f"{n}:{100 * scores[n][_key(d)]['R2']:5.1f} " for n in SYSTEMS))
    for n in notes:
        print(n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
