"""Extractive summary within a budget, by the kind of text: a wire or brief item gets lead-weighted sentences close to
the headline and central to the article; a feature, analysis or commentary piece gets the set of sentences that best
covers the whole text (submodular coverage plus diversity across its sections, Lin & Bilmes 2011)."""

from __future__ import annotations

import heapq
import itertools
import math
import operator
import re
from collections import Counter
from dataclasses import dataclass

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

# A sparse vector: character bigram -> weight.
Vec = dict[str, float]


def _bigrams(text: str) -> Counter[str]:
    chars = _HAN_OR_ALNUM.findall(text)
    if len(chars) == 1:
        return Counter(chars)
    return Counter(a + b for a, b in itertools.pairwise(chars))


def _unit(vec: Vec) -> Vec:
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {k: v / norm for k, v in vec.items()} if norm else {}


def _dot(a: Vec, b: Vec) -> float:
    """Cosine similarity of two unit vectors."""
    if len(b) < len(a):
        a, b = b, a
    return float(sum(v * b.get(k, 0.0) for k, v in a.items()))


def _tfidf(docs: list[Counter[str]], n: int) -> list[Vec]:
    """TF-IDF with the smoothed idf; document frequencies come from the first `n` docs (the sentences)."""
    df = Counter(k for d in docs[:n] for k in d)
    return [{k: v * (math.log((1 + n) / (1 + df[k])) + 1) for k, v in d.items()} for d in docs]


def _pagerank(sim: list[list[float]]) -> list[float]:
    n = len(sim)
    out_w = [sum(row) or 1.0 for row in sim]
    # Incoming edges only where there is similarity: bigram graphs of long texts are far from complete.
    sources = [[j for j in range(n) if sim[j][i]] for i in range(n)]
    weights = [[sim[j][i] / out_w[j] for j in js] for i, js in enumerate(sources)]
    scores = [1.0 / n] * n
    for _ in range(MAX_ITERATIONS):
        new = [(1 - DAMPING) / n + DAMPING * sum(map(operator.mul, ws, map(scores.__getitem__, js)))
               for js, ws in zip(sources, weights, strict=True)]
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
    for i, row in enumerate(_similarities(vecs)):
        for j, w in row:
            if j != i:
                sim[i][j] = w
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


def _select_wire(sentences: list[str], title: str = "", max_chars: int | None = None,
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


# --- kind of text ----------------------------------------------------------------------------------------------------
# Tuned on the dev half of bench/data/summaries (bench/RESULTS.md): each cue below is a vote for a feature, analysis or
# commentary piece (positive) or for a wire or brief item (negative); a text whose votes reach FEATURE_THRESHOLD is a
# feature. Wire copy opens on a dateline and a dated fact; features open on a scene, a quote or a question, run long,
# and may carry sub-headings. Dev: threshold 0 gave 45.5 ROUGE-2 (24/27 wire, 10/15 features read as labelled), 1 gave
# 43.6, reading everything as wire 41.8.
FEATURE_THRESHOLD = 0.0
VOTE_SUBHEADINGS = 2.0
VOTE_COMMENTARY_TITLE = 2.0
VOTE_OPENING = 1.0
VOTE_LONG = 1.0
VOTE_SHORT = -1.0
VOTE_DATELINE = -2.0
VOTE_DATED_LEAD = -1.0
# Longer than this many characters, a piece is more likely a feature than a wire item (the WMT21 wire documents run
# 280–940 characters; its commentaries and features up to 1,400 and more).
LONG_CHARS = 1200
# Shorter than this, a text is a brief: its few sentences are the news itself.
SHORT_CHARS = 300
# An opening this short (`乡村振兴，人才是关键。`) is a hook, not a news lead.
HOOK_CHARS = 16

_WIRE_DATELINE = re.compile(
    r"^\s*(?:(?:新华社|中新社|中新网|人民网|央视网|本报)[\u4e00-\u9fff]{0,8}\d{1,2}月\d{1,2}日(?:电|讯)|本报讯|[\u4e00-\u9fff]{2,6}讯[（(])")
_DATED = re.compile(r"\d{1,2}月\d{1,2}日|\d{1,2}日[上下]?午?|今天|昨天|日前|近日|当地时间")
_COMMENTARY = re.compile(r"时评|评论|述评|短评|社论|观察|综述|综合消息|专访|特写|纪实|手记|探访|直击")
_OPENS_WITH_QUOTE = re.compile(r"^\s*[“\"「『]")
_QUESTION = re.compile(r"[？?][”\"」』]?\s*$")
_DIGIT = re.compile(r"[0-9０-９]")


@dataclass(frozen=True)
class Layout:
    """What a summary may know of the text's structure besides its sentences (all optional).

    paragraph and section give, per sentence, the index of its paragraph and of its section (the sub-headings seen
    before it); dateline says the text carried a wire dateline (新华社北京7月26日电, 本报讯)."""

    paragraph: tuple[int, ...] = ()
    section: tuple[int, ...] = ()
    dateline: bool = False


@dataclass(frozen=True)
class Choice:
    """Selected sentence indices (document order) and the kind of text they were selected for."""

    indices: list[int]
    method: str  # wire | feature


def feature_votes(sentences: list[str], title: str = "", layout: Layout | None = None) -> float:
    """The structural evidence that a text is a feature rather than a wire item (see FEATURE_THRESHOLD)."""
    layout = layout or Layout()
    if not sentences:
        return 0.0
    first = sentences[0]
    votes = 0.0
    if layout.section and max(layout.section) > 0:
        votes += VOTE_SUBHEADINGS
    if _COMMENTARY.search(title):
        votes += VOTE_COMMENTARY_TITLE
    dateline = layout.dateline or bool(_WIRE_DATELINE.search(first))
    if dateline:
        votes += VOTE_DATELINE
    opening = (_OPENS_WITH_QUOTE.search(first) or _QUESTION.search(first) or len(_HAN_OR_ALNUM.findall(first)) <= HOOK_CHARS
               or not _DIGIT.search(first))
    if opening:
        votes += VOTE_OPENING
    elif _DATED.search(first):
        votes += VOTE_DATED_LEAD
    size = sum(len(x) for x in sentences)
    if size > LONG_CHARS:
        votes += VOTE_LONG
    elif size < SHORT_CHARS:
        votes += VOTE_SHORT
    return votes


def classify(sentences: list[str], title: str = "", layout: Layout | None = None) -> str:
    """`feature` (feature, analysis, commentary) or `wire` (wire or brief item), from the text's structure."""
    return "feature" if feature_votes(sentences, title, layout) >= FEATURE_THRESHOLD else "wire"


# --- coverage selection for features (Lin & Bilmes 2011) ------------------------------------------------------------
# Tuned on the dev half (bench/RESULTS.md). Coverage: each sentence i of the text counts as covered up to
# COVERAGE_ALPHA of its total similarity to the whole text, so one long sentence cannot cover everything.
COVERAGE_ALPHA = 0.3
# Diversity: the square root of the chosen sentences' rewards per part rewards drawing on several parts (sections
# between sub-headings, else FEATURE_PARTS equal stretches of the text) over piling up in one.
# Dev: diversity weight 0 → 31.6 R2, 0.5 → 34.4, 1–4 → 35.1; without sub-headings, 1 part 35.1 against 32.3–33.4 for
# 2–4 equal stretches, so only sub-headings make parts.
DIVERSITY_WEIGHT = 1.0
FEATURE_PARTS = 1
# A sentence's reward: its mean similarity to the text, plus these for similarity to the headline and for carrying
# key facts (a number), and for standing in the last paragraph (the conclusion).
# Dev: title 0/0.2/0.5 → 33.0/35.1/31.6; number 0/0.05/0.1 → 32.7/35.1/32.7; any conclusion bonus lowered it
# (0.05 → 29.4), so the conclusion gets none.
TITLE_WEIGHT = 0.2
FACT_WEIGHT = 0.05
CONCLUSION_WEIGHT = 0.0
# A bonus for a feature's opening sentence: 0.05 lowered dev R2 from 35.1 to 25.9 (the opening scene is rarely what
# the summary box says), so none.
FEATURE_LEAD_WEIGHT = 0.0
# Budgeted greedy: gain per character^COST_EXPONENT. Dev: 0 (the whole gain) 35.1, 0.3 → 28.7, 1 → 27.8: per
# character, short fragments win and the summary box's long fact-laden sentences lose.
COST_EXPONENT = 0.0
# A sentence that opens on a back-reference (这, 此外, 他) or is a bare quote or question reads badly alone; its gain
# is multiplied by this. Dev features: 1.0 (none) 34.0 R2, 0.8 35.1 (0.5 and 0.3 the same): kept at the mildest value
# that helped; about one document's worth, so weak evidence.
STANDALONE_FACTOR = 0.8
_BACK_REFERENCE = re.compile(r"^\s*(?:这|那|此外|另外|同时|他|她|它|其|该|对此|因此|所以|但|而|不过|然而)")


def _reads_alone(sentence: str) -> bool:
    return not (_BACK_REFERENCE.search(sentence) or _QUOTE_OR_QUESTION.search(sentence))


def _parts(idx: list[int], n: int, layout: Layout) -> list[int]:
    """The part (section, else stretch of the text) of each candidate."""
    if layout.section and len(layout.section) == n and max(layout.section) > 0:
        return [layout.section[i] for i in idx]
    return [min(FEATURE_PARTS - 1, FEATURE_PARTS * i // max(n, 1)) for i in idx]


def _similarities(vecs: list[Vec]) -> list[list[tuple[int, float]]]:
    """Each vector's positive cosines to the others (itself included, 1.0), through an inverted index of bigrams:
    the cost grows with shared bigrams, not with the square of the sentences."""
    postings: dict[str, list[tuple[int, float]]] = {}
    for a, v in enumerate(vecs):
        for g, w in v.items():
            postings.setdefault(g, []).append((a, w))
    rows: list[dict[int, float]] = [{a: 1.0} for a in range(len(vecs))]
    for a, v in enumerate(vecs):
        acc = rows[a]
        for g, w in v.items():
            for b, wb in postings[g]:
                if b > a:
                    acc[b] = acc.get(b, 0.0) + w * wb
    for a in range(len(vecs)):
        for b, w in list(rows[a].items()):
            if b > a:
                rows[b][a] = w
    return [sorted(row.items()) for row in rows]


def _select_feature(sentences: list[str], title: str, max_chars: int | None, max_sentences: int | None,
                    layout: Layout) -> list[int]:
    n = len(sentences)
    idx = eligible(sentences)[:MAX_CANDIDATES]
    cands = [sentences[i] for i in idx]
    m = len(cands)
    vecs = [_unit(v) for v in _tfidf([_bigrams(s) for s in cands] + [_bigrams(title)], m)]
    title_vec, vecs = vecs[-1], vecs[:-1]
    sim = _similarities(vecs)
    totals = [sum(w for _, w in row) for row in sim]
    caps = [COVERAGE_ALPHA * t for t in totals]
    last_para = layout.paragraph[-1] if layout.paragraph and len(layout.paragraph) == n else None
    reward = []
    for a, (i, s) in enumerate(zip(idx, cands, strict=True)):
        r = totals[a] / m + TITLE_WEIGHT * _dot(vecs[a], title_vec) + (FACT_WEIGHT if _DIGIT.search(s) else 0.0)
        if last_para is not None and layout.paragraph[i] == last_para:
            r += CONCLUSION_WEIGHT
        if a == 0:
            r += FEATURE_LEAD_WEIGHT
        reward.append(r)
    parts = _parts(idx, n, layout)
    factor = [1.0 if _reads_alone(s) else STANDALONE_FACTOR for s in cands]
    lengths = [len(s) for s in cands]
    if max_chars is None and max_sentences is None:
        max_chars = max(round(DEFAULT_RATIO * sum(len(s) for s in sentences)), min(lengths))
    room = list(caps)  # how much more coverage each sentence of the text can take
    part_sum: dict[int, float] = {}
    chosen: list[int] = []
    too_close: set[int] = set()  # over REDUNDANT_SIMILARITY to a chosen sentence
    used = 0

    def gain(a: int) -> float:
        cov = sum(min(room[i], w) for i, w in sim[a])
        p = part_sum.get(parts[a], 0.0)
        return factor[a] * (cov / m + DIVERSITY_WEIGHT * (math.sqrt(p + reward[a]) - math.sqrt(p)))

    def ratio(g: float, a: int) -> float:
        return g / math.pow(lengths[a], COST_EXPONENT)

    # Lazy greedy (Minoux 1978): a sentence's gain only shrinks as others are chosen (coverage and diversity are
    # submodular), so a stale gain is an upper bound and only the heap's top needs recomputing. Exclusions are
    # permanent: the budget only tightens and chosen sentences only accumulate.
    gains = {a: gain(a) for a in range(m)}
    first_limit = None if max_chars is None else max_chars * FIRST_SENTENCE_OVERSHOOT
    if first_limit is not None and all(x > first_limit for x in lengths):
        # nothing fits: the best sentence alone, since a summary has one at least
        return [idx[max(range(m), key=lambda a: (ratio(gains[a], a), -a))]]
    heap = [(-ratio(gains[a], a), a) for a in range(m)]
    heapq.heapify(heap)
    fresh = dict.fromkeys(range(m), 0)  # the number of chosen sentences when a's gain was computed
    while heap and (max_sentences is None or len(chosen) < max_sentences):
        limit = first_limit if not chosen else max_chars
        best = None
        while heap:
            _, a = heapq.heappop(heap)
            if (limit is not None and used + lengths[a] > limit) or a in too_close:
                continue
            if fresh[a] == len(chosen):
                best = a
                break
            gains[a] = gain(a)
            fresh[a] = len(chosen)
            heapq.heappush(heap, (-ratio(gains[a], a), a))
        if best is None or (chosen and gains[best] <= 0):
            break
        chosen.append(best)
        used += lengths[best]
        for i, w in sim[best]:
            room[i] = max(0.0, room[i] - w)
            if w > REDUNDANT_SIMILARITY:
                too_close.add(i)
        part_sum[parts[best]] = part_sum.get(parts[best], 0.0) + reward[best]
    return sorted(idx[a] for a in chosen)


def choose(sentences: list[str], title: str = "", max_chars: int | None = None, max_sentences: int | None = None,
           layout: Layout | None = None, genre: str | None = None) -> Choice:
    """The summary's sentence indices in document order, within the budget, and the kind of text (`genre`, or
    decided by `classify`) that chose the method.

    Without a budget: texts of one or two sentences are their own summary, longer ones get about a fifth of
    their characters. A budget given explicitly holds, except that the first sentence may overshoot max_chars by
    up to a quarter and that one sentence is always chosen.
    """
    layout = layout or Layout()
    kind = genre or classify(sentences, title, layout)
    n = len(sentences)
    if n == 0 or (max_chars is None and max_sentences is None and n <= 2):
        return Choice(list(range(n)), kind)
    if max_sentences is not None:
        max_sentences = max(1, max_sentences)
    if kind == "feature":
        return Choice(_select_feature(sentences, title, max_chars, max_sentences, layout), kind)
    return Choice(_select_wire(sentences, title, max_chars, max_sentences), kind)


def select(sentences: list[str], title: str = "", max_chars: int | None = None,
           max_sentences: int | None = None, layout: Layout | None = None) -> list[int]:
    """Indices of the summary sentences in document order, within the budget (at least one sentence): `choose`."""
    return choose(sentences, title, max_chars, max_sentences, layout).indices


@dataclass(frozen=True)
class PlainText:
    """Plain text as `pipeline summarize` reads it: every sentence, and which of them a summary may choose from."""

    sentences: list[str]  # every sentence, sub-headings included, in order
    candidates: list[int]  # indices into sentences of the body sentences (sub-headings left out)
    layout: Layout  # of the candidates


def read_plain_text(text: str) -> PlainText:
    """Sentences of plain text, one paragraph per line, with its structure: a short line without clause punctuation
    between two paragraphs (MAX_SUBHEADING_CHARS, as the layout stage reads pages) is a sub-heading, which starts a
    section and is never a candidate."""
    from .layout.rules import CLAUSE_PUNCT, MAX_SUBHEADING_CHARS
    from .sentences import split_sentences

    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    sentences: list[str] = []
    candidates: list[int] = []
    paragraph: list[int] = []
    section: list[int] = []
    current = 0
    for k, line in enumerate(lines):
        parts = split_sentences(line)
        heading = (0 < k < len(lines) - 1 and len(line) <= MAX_SUBHEADING_CHARS and not CLAUSE_PUNCT.search(line)
                   and bool(_ENDS_SENTENCE.search(lines[k - 1])))
        if heading:
            current += 1
        for part in parts:
            if not heading:
                candidates.append(len(sentences))
                paragraph.append(k)
                section.append(current)
            sentences.append(part)
    return PlainText(sentences, candidates, Layout(tuple(paragraph), tuple(section)))


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


def article_layout(article: Article, sentences: list[Sentence]) -> Layout:
    """The structure `choose` may use: each summary sentence's paragraph and section, and whether there was a dateline."""
    para_of: dict[str, int] = {}
    section_of: dict[str, int] = {}
    section = 0
    for k, p in enumerate(article.paragraphs):
        if p.role == "subheading":
            section += 1
        for s in p.sentences:
            para_of[s.id] = k
            section_of[s.id] = section
    return Layout(tuple(para_of.get(s.id, 0) for s in sentences), tuple(section_of.get(s.id, 0) for s in sentences),
                  article.dateline is not None)


def summarize_article(article: Article, max_chars: int | None = None, max_sentences: int | None = None) -> Summary:
    """The article's summary: selected sentence ids with their zh and (already translated) en, and the method."""
    sents = summary_sentences(article)
    if article.kind == "photo" and max_chars is None and max_sentences is None:
        chosen, method = sents, "caption"  # a photo's summary is its caption
    else:
        title = " ".join(h.zh for h in article.headlines)
        choice = choose([s.zh for s in sents], title, max_chars, max_sentences, article_layout(article, sents))
        chosen, method = [sents[i] for i in choice.indices], choice.method
    return Summary([s.id for s in chosen], "".join(s.zh for s in chosen), " ".join(s.en for s in chosen if s.en),
                   method)
