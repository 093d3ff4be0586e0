"""Extractive summary: pick the most central, lead-weighted sentences of an article within a budget."""

from __future__ import annotations

import math
import re
from collections import Counter

from .document import Article, Summary

# About a fifth of an article, as a news abstract is (issue 6); always at least one sentence.
DEFAULT_RATIO = 0.2
# Fragments shorter than this (`快就是大局!` is 6) carry too little to stand alone in a summary.
MIN_SENTENCE_CHARS = 8
# News leads matter: the position prior decays by this factor per sentence.
POSITION_DECAY = 0.85
# PageRank damping, as in TextRank.
DAMPING = 0.85
_HAN_OR_ALNUM = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


def _bigrams(text: str) -> Counter:
    chars = _HAN_OR_ALNUM.findall(text)
    return Counter(a + b for a, b in zip(chars, chars[1:]))


def _cosine(a: dict, b: dict) -> float:
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def _tfidf(docs: list[Counter]) -> list[dict]:
    df = Counter(k for d in docs for k in d)
    n = len(docs)
    return [{k: v * (math.log((1 + n) / (1 + df[k])) + 1) for k, v in d.items()} for d in docs]


def rank(sentences: list[str], title: str = "") -> list[float]:
    """A score per sentence: TextRank centrality × position prior × (1 + similarity to the title)."""
    n = len(sentences)
    if n == 0:
        return []
    vecs = _tfidf([_bigrams(s) for s in sentences] + [_bigrams(title)])
    title_vec, vecs = vecs[-1], vecs[:-1]
    sim = [[_cosine(vecs[i], vecs[j]) if i != j else 0.0 for j in range(n)] for i in range(n)]
    scores = [1.0 / n] * n
    out_w = [sum(row) or 1.0 for row in sim]
    for _ in range(30):
        scores = [(1 - DAMPING) / n + DAMPING * sum(sim[j][i] / out_w[j] * scores[j] for j in range(n))
                  for i in range(n)]
    return [scores[i] * (POSITION_DECAY ** i) * (1 + _cosine(vecs[i], title_vec)) for i in range(n)]


def select(sentences: list[str], title: str = "", max_chars: int | None = None,
           max_sentences: int | None = None) -> list[int]:
    """Indices of the summary sentences in document order, within the budget (at least one sentence)."""
    n = len(sentences)
    if n == 0:
        return []
    if n <= 2:
        return list(range(n))
    eligible = [i for i, s in enumerate(sentences) if len(_HAN_OR_ALNUM.findall(s)) >= MIN_SENTENCE_CHARS]
    if not eligible:
        eligible = list(range(n))
    if max_sentences is None and max_chars is None:
        max_sentences = max(1, round(n * DEFAULT_RATIO))
    scores = rank(sentences, title)
    chosen: list[int] = []
    used = 0
    for i in sorted(eligible, key=lambda i: (-scores[i], i)):
        if max_sentences is not None and len(chosen) >= max_sentences:
            break
        if max_chars is not None and chosen and used + len(sentences[i]) > max_chars:
            continue
        chosen.append(i)
        used += len(sentences[i])
    return sorted(chosen)


def summarize_article(article: Article, max_chars: int | None = None, max_sentences: int | None = None) -> Summary:
    """The article's summary: selected sentence ids with their zh and (already translated) en."""
    sents = [s for s in article.sentences()]
    title = " ".join(h.zh for h in article.headlines)
    idx = select([s.zh for s in sents], title, max_chars, max_sentences)
    chosen = [sents[i] for i in idx]
    return Summary([s.id for s in chosen], "".join(s.zh for s in chosen), " ".join(s.en for s in chosen if s.en))
