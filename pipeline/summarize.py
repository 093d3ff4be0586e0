"""Extractive summary: lead-weighted sentences close to the headline and central to the article, within a budget."""

from __future__ import annotations

import math
import re
from collections import Counter

from .document import Article, Paragraph, Sentence, Summary
from .zh import ENDS_WITH_TERMINATOR, FULLWIDTH_ALNUM_CLASS, HAN_CLASS

# About a fifth of an article's characters, as a news abstract is (issue 6); always at least one sentence.
DEFAULT_RATIO = 0.2
# Fragments shorter than this (`快就是大局!` is 5) carry too little to stand alone in a summary.
MIN_SENTENCE_CHARS = 8
# Tuned on the tuning part of bench/summarize_eval.py (odd WMT21 documents): ROUGE-2 stayed within 1.6 points for
# decay 0.8–0.9, centrality weight 1–2 and floor 0.1–0.3, so these sit inside that range (bench/RESULTS.md).
# News leads matter: a candidate's score decays by this factor per earlier candidate.
POSITION_DECAY = 0.8
# Weight of TextRank centrality (scaled to [0, 1]) beside the cosine similarity to the headline.
CENTRALITY_WEIGHT = 1.5
# Keeps a sentence that shares nothing with the headline and is peripheral in the running on position alone.
SCORE_FLOOR = 0.2
# A bare quotation or a question rarely states the news; it needs the sentence around it.
QUOTE_OR_QUESTION_FACTOR = 0.5
# MMR: weight of a sentence's own score against its similarity to what is already chosen.
MMR_LAMBDA = 0.7
# Beyond this cosine similarity to a chosen sentence a candidate says the same thing again: never both.
REDUNDANT_SIMILARITY = 0.7
# Sentences are indivisible and a character budget is a target: the first sentence may run over it by up to a
# quarter rather than give way to a weaker one that fits (a lead of 45 characters for a budget of 43, say).
FIRST_SENTENCE_OVERSHOOT = 1.25
# The similarity graph is quadratic in its sentences; past this many the lead decay (0.8^300 ≈ 1e-29) leaves later
# ones no chance anyway, so a very long text is summarised from its first MAX_CANDIDATES eligible sentences.
MAX_CANDIDATES = 300
# PageRank damping, as in TextRank; power iteration stops once no score moves by CONVERGED (far below the score
# differences that decide anything) or after MAX_ITERATIONS.
DAMPING = 0.85
CONVERGED = 1e-9
MAX_ITERATIONS = 100

_HAN_OR_ALNUM = re.compile(f"[{HAN_CLASS}A-Za-z0-9{FULLWIDTH_ALNUM_CLASS}]")
# A sentence the page cut off mid-way has no closing terminator (quotes and brackets may follow one).
_ENDS_SENTENCE = ENDS_WITH_TERMINATOR
_QUOTE_OR_QUESTION = re.compile(r"^\s*[“\"「『]|[？?][”\"」』]?\s*$")


def _bigrams(text: str) -> Counter:
    chars = _HAN_OR_ALNUM.findall(text)
    if len(chars) == 1:
        return Counter(chars)
    return Counter(a + b for a, b in zip(chars, chars[1:]))


def _unit(vec: dict) -> dict:
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {k: v / norm for k, v in vec.items()} if norm else {}


def _dot(a: dict, b: dict) -> float:
    """Cosine similarity of two unit vectors."""
    if len(b) < len(a):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


def _tfidf(docs: list[Counter], n: int) -> list[dict]:
    """TF-IDF with the smoothed idf; document frequencies come from the first `n` docs (the sentences)."""
    df = Counter(k for d in docs[:n] for k in d)
    return [{k: v * (math.log((1 + n) / (1 + df[k])) + 1) for k, v in d.items()} for d in docs]


def _pagerank(sim: list[list[float]]) -> list[float]:
    n = len(sim)
    out_w = [sum(row) or 1.0 for row in sim]
    # Incoming edges only where there is similarity: bigram graphs of long texts are far from complete.
    incoming = [[(j, sim[j][i] / out_w[j]) for j in range(n) if sim[j][i]] for i in range(n)]
    scores = [1.0 / n] * n
    for _ in range(MAX_ITERATIONS):
        new = [(1 - DAMPING) / n + DAMPING * sum(w * scores[j] for j, w in edges) for edges in incoming]
        done = max(abs(a - b) for a, b in zip(new, scores)) < CONVERGED
        scores = new
        if done:
            break
    return scores


def eligible(sentences: list[str]) -> list[int]:
    """Indices of the sentences a summary may use: not fragments (all of them if every one is)."""
    keep = [i for i, s in enumerate(sentences) if len(_HAN_OR_ALNUM.findall(s)) >= MIN_SENTENCE_CHARS]
    return keep or list(range(len(sentences)))


def _score(sentences: list[str], title: str) -> tuple[list[float], list[list[float]]]:
    """Scores of the given candidates (in document order) and their pairwise cosine similarities."""
    n = len(sentences)
    vecs = [_unit(v) for v in _tfidf([_bigrams(s) for s in sentences] + [_bigrams(title)], n)]
    title_vec, vecs = vecs[-1], vecs[:-1]
    sim = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            sim[i][j] = sim[j][i] = _dot(vecs[i], vecs[j])
    central = _pagerank(sim)
    top = max(central)
    scores = []
    for rank, (s, v, c) in enumerate(zip(sentences, vecs, central)):
        score = (_dot(v, title_vec) + CENTRALITY_WEIGHT * c / top + SCORE_FLOOR) * POSITION_DECAY ** rank
        if _QUOTE_OR_QUESTION.search(s):
            score *= QUOTE_OR_QUESTION_FACTOR
        scores.append(score)
    return scores, sim


def rank(sentences: list[str], title: str = "") -> list[float]:
    """A score per sentence (0 for fragments): headline similarity + centrality, lead-weighted."""
    idx = eligible(sentences)
    scores, _ = _score([sentences[i] for i in idx], title)
    out = [0.0] * len(sentences)
    for i, s in zip(idx, scores):
        out[i] = s
    return out


def select(sentences: list[str], title: str = "", max_chars: int | None = None,
           max_sentences: int | None = None) -> list[int]:
    """Indices of the summary sentences in document order, within the budget (at least one sentence).

    Without a budget: texts of one or two sentences are their own summary, longer ones get about a fifth of
    their characters. A budget given explicitly holds, except that the first sentence may overshoot max_chars by
    up to a quarter and that one sentence is always chosen.
    """
    n = len(sentences)
    default_budget = max_chars is None and max_sentences is None
    if n == 0 or (default_budget and n <= 2):
        return list(range(n))
    if max_sentences is not None:
        max_sentences = max(1, max_sentences)
    idx = eligible(sentences)[:MAX_CANDIDATES]
    cands = [sentences[i] for i in idx]
    scores, sim = _score(cands, title)
    top = max(scores) or 1.0
    lengths = [len(s) for s in cands]
    if default_budget:
        # About a fifth, but never too small for the best sentence.
        best = max(range(len(cands)), key=lambda a: (scores[a], -a))
        max_chars = max(round(DEFAULT_RATIO * sum(len(s) for s in sentences)), lengths[best])
    chosen: list[int] = []
    used = 0
    left = set(range(len(cands)))
    overlap = [0.0] * len(cands)  # each candidate's highest similarity to a chosen sentence
    while left and (max_sentences is None or len(chosen) < max_sentences):
        limit = max_chars if chosen or max_chars is None else max_chars * FIRST_SENTENCE_OVERSHOOT
        fits = [a for a in left if (limit is None or used + lengths[a] <= limit) and overlap[a] <= REDUNDANT_SIMILARITY]
        if not fits:
            if chosen:
                break
            fits = list(left)  # nothing fits: the best sentence alone, since a summary has one at least
        best = max(fits, key=lambda a: (MMR_LAMBDA * scores[a] / top - (1 - MMR_LAMBDA) * overlap[a], -a))
        chosen.append(best)
        used += lengths[best]
        left.discard(best)
        overlap = [max(o, s) for o, s in zip(overlap, sim[best])]
    return sorted(idx[a] for a in chosen)


def summary_paragraphs(article: Article) -> list[Paragraph]:
    """The paragraphs a summary draws on: body text (a photo's caption), never sub-headings or markers."""
    body = [p for p in article.paragraphs if p.role == "body"]
    if article.kind == "photo" or not body:
        return [p for p in article.paragraphs if p.role == "caption"] or body
    return body


def summary_sentences(article: Article) -> list[Sentence]:
    """The sentences a summary may choose from, in order (a truncated article's cut-off last one left out)."""
    sents = [s for p in summary_paragraphs(article) for s in p.sentences]
    if article.truncated and len(sents) > 1 and not _ENDS_SENTENCE.search(sents[-1].zh):
        sents = sents[:-1]
    return sents


def summarize_article(article: Article, max_chars: int | None = None, max_sentences: int | None = None) -> Summary:
    """The article's summary: selected sentence ids with their zh and (already translated) en."""
    sents = summary_sentences(article)
    if article.kind == "photo" and max_chars is None and max_sentences is None:
        chosen = sents  # a photo's summary is its caption
    else:
        title = " ".join(h.zh for h in article.headlines)
        chosen = [sents[i] for i in select([s.zh for s in sents], title, max_chars, max_sentences)]
    return Summary([s.id for s in chosen], "".join(s.zh for s in chosen), " ".join(s.en for s in chosen if s.en))
