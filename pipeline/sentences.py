"""Sentence stage: paragraph → sentences (offsets into the source), and the model-input normalisation.

Hand-written rules rather than a library: pysbd's Chinese rules split at every 。！？ (inside quotes and titles
too) and know nothing of quote attribution or datelines; stanza/spaCy need model downloads. The rules here are
measured by bench/split_eval.py on UD Chinese GSDSimp and on the project's own hard cases (tests/data/).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Any

from .document import Page, Sentence, Span, span_text

# Sentence-final marks (`.`/`．` end a sentence only in Chinese context, see _Text.dot_ends), matched pairs, stray
# closers, and the datelines that open a news paragraph (`本报枣庄讯`, `新华社北京7月26日电（记者倪元锦）`).
from .zh import (
    BRACKET_PAIRS,
    DOTS,
    FULL_TERMINATORS,
    HALF_TERMINATORS,
    QUOTE_PAIRS,
    STRAY_CLOSERS,
    TERMINATOR_RUN,
    TITLE_PAIRS,
)
from .zh import DISPATCH_DATELINE as DATELINE
from .zh import HAN_CLASS as _HAN_CLASS

# Full- and half-width parentheses close each other: mixed dumps write `（锂电结构件)`.
_FAMILY = {"（": "paren", "(": "paren", "）": "paren", ")": "paren"}
_OPENERS = {**TITLE_PAIRS, **QUOTE_PAIRS, **BRACKET_PAIRS}
_CLOSERS = {c: o for o, c in _OPENERS.items()}

# A quote inside a standalone quotation is split only where both sides hold this many Han/alphanumeric
# characters: `“我们走吧。你也来！”` (4 + 3) stays one sentence, `“今年完成投资10亿元。明年再翻一番。”` splits.
MIN_QUOTED_SENTENCE_CHARS = 4
# After a closing quote, the attribution clause (`他说`, `副区长王彪介绍`) is at most this long.
MAX_ATTRIBUTION_CHARS = 24

# The one rule for text after a closing quote (see _names_the_speaker): it continues the quoted sentence only when
# it names the speaker of a quotation that has none yet. These verbs, and only these, end such an attribution
# clause: `“……。”他说`, `“……。”交通局回应，…`. A list, not a guess: a clause ending in any other verb is a new
# sentence. 回应/说明/表明/证实/否认/追问/反问/提醒/分析 added with issue 17, where `指出` joined and `回应` split.
ATTRIBUTION_VERBS = ("说", "说道", "道", "表示", "介绍", "指出", "称", "强调", "认为", "坦言", "透露", "回忆", "感慨",
                     "感叹", "补充", "解释", "告诉记者", "问", "问道", "答道", "谈到", "提到", "直言", "笑言", "坦承",
                     "宣布", "呼吁", "写道", "承认", "表态", "回应", "说明", "表明", "证实", "否认", "追问", "反问",
                     "提醒", "分析",
                     # the same verbs in Traditional script (Taiwan and Hong Kong papers): `「我們明天見。」他說。`
                     "說", "說道", "介紹", "稱", "強調", "認為", "回憶", "感嘆", "補充", "解釋", "告訴記者", "問",
                     "問道", "談到", "宣佈", "呼籲", "寫道", "承認", "表態", "回應", "說明", "證實", "否認", "追問",
                     "反問")
SPEECH_VERB = "(?:" + "|".join(sorted(ATTRIBUTION_VERBS, key=lambda v: (-len(v), v))) + ")"
_ATTRIBUTION = re.compile(rf"[^，,：:；;。！？!?…“”\"《》]{{0,{MAX_ATTRIBUTION_CHARS}}}?{SPEECH_VERB}(?=[，,。！？!?]|\s*$)")
# …or the whole next sentence ends in one of these reporting verbs: `“……。”说起平台的好处，书记曹伟介绍。` (not
# 回答/问: `“为什么？”没有人回答。` is a new sentence).
MAX_ATTRIBUTION_SENTENCE_CHARS = 60
REPORTING_VERBS = ("说", "说道", "表示", "介绍", "指出", "强调", "坦言", "透露", "告诉记者", "回应",
                   "說", "說道", "介紹", "強調", "告訴記者", "回應")  # Traditional script
_REPORTING_VERB = "(?:" + "|".join(sorted(REPORTING_VERBS, key=lambda v: (-len(v), v))) + ")"
_ATTRIBUTION_SENTENCE = re.compile(
    rf"[^：:。！？!?…“”\"《》]{{0,{MAX_ATTRIBUTION_SENTENCE_CHARS}}}?{_REPORTING_VERB}\s*[。！!.]")
# A quotation this long that ends in a terminator is a sentence even when it is the object of a clause:
# `该机构的宗旨为“致力于……交流。”` + new sentence, unlike the slogan in `开展“我为群众办实事！”活动`.
MIN_QUOTED_SENTENCE_AS_OBJECT = 16
# A speech verb right before an opening quote makes the quotation standalone even without a colon: `他说“走吧。”`.
_SPEECH_BEFORE = re.compile(rf"{SPEECH_VERB}[：:，,]?\s*$")
# After a quote or an ellipsis, these start a continuation, not a sentence: `“……。”的口号`, `新材料……等`.
CONTINUATION_CHARS = "，、；：,;:的等"
# A terminator followed by these never ends a sentence: `好！，` `……、`.
CLAUSE_PUNCT = "，、；：,;:"

URL = re.compile(r"(?:https?://|ftp://|www\.)[!-~]+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII)
_URL_TRAILING = ".,;:!?)]'\""
# Latin words a half-width `.` abbreviates rather than ends: `Mr. Smith`, `Co., Ltd.`.
ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "co", "ltd", "inc", "corp", "no", "vs", "etc",
                 "fig", "vol", "gen", "mt", "dept", "approx", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
                 "sep", "sept", "oct", "nov", "dec", "eg", "ie", "al"}

# Letters and digits of any script: a piece without one is punctuation only and is no sentence of its own.
_WORDY = re.compile(r"[^\W_]")


def _is_ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


@dataclass
class _Pair:
    open: int
    close: int
    kind: str  # title | quote | bracket
    parent: int = -1  # index of the innermost pair around this one


def _pairs(text: str) -> list[_Pair]:
    """Matched quote/bracket/title pairs, properly nested; unmatched marks are ignored."""
    stack: list[tuple[str, int]] = []
    open_count: Counter[str] = Counter()  # openers per family on the stack
    pairs: list[_Pair] = []
    for i, ch in enumerate(text):
        if ch == '"':
            # Straight quotes alternate: an open one closes, otherwise this one opens.
            want = '"' if open_count['"'] else ""
        elif ch in _OPENERS:
            stack.append((ch, i))
            open_count[_FAMILY.get(ch, ch)] += 1
            continue
        elif ch in _CLOSERS:
            want = _FAMILY.get(ch, _CLOSERS[ch])
            if not open_count[want]:
                continue  # a closer without opener: leave the stack alone
        else:
            continue
        if not want:
            stack.append((ch, i))
            open_count['"'] += 1
            continue
        while stack:
            o, pos = stack.pop()  # openers left unclosed inside this pair are dropped
            open_count[_FAMILY.get(o, o)] -= 1
            if _FAMILY.get(o, o) == want:
                kind = "title" if o in TITLE_PAIRS else "quote" if o in QUOTE_PAIRS or o == '"' else "bracket"
                pairs.append(_Pair(pos, i, kind))
                break
    pairs.sort(key=lambda p: p.open)
    chain: list[int] = []
    for k, pair in enumerate(pairs):
        while chain and pairs[chain[-1]].close < pair.open:
            chain.pop()
        pair.parent = chain[-1] if chain else -1
        chain.append(k)
    return pairs


def _innermost(n: int, pairs: list[_Pair]) -> list[int]:
    """For each offset, the index of the innermost pair strictly around it (-1 if none)."""
    inner = [-1] * n
    stack: list[int] = []
    k = 0
    for x in range(n):
        while k < len(pairs) and pairs[k].open < x:
            while stack and pairs[stack[-1]].close <= pairs[k].open:
                stack.pop()
            stack.append(k)
            k += 1
        while stack and pairs[stack[-1]].close <= x:
            stack.pop()
        inner[x] = stack[-1] if stack else -1
    return inner


_SENTENCE_AFTER_LATIN = re.compile(rf"\s*[{_HAN_CLASS}“「（(]|\s+[A-Z\"“]|\s*$")
# An English clause running up to a number (`in May 2023`), and Chinese after a space: the mixed-script boundary.
_LATIN_BEFORE_NUMBER = re.compile(r"[A-Za-z]{2,}[ ,]+(?:[A-Za-z]+[ ,]+)*[0-9][0-9,]*$")
_CHINESE_AFTER_SPACE = re.compile(rf"[ \t\u3000]+[{_HAN_CLASS}“「]")
_NON_SPACE = re.compile(r"\S")
_SPACES = " \t\u3000"


class _Text:
    """The text with what the splitting rules look up repeatedly: URL offsets and the extent of dot runs."""

    def __init__(self, text: str) -> None:
        self.text = text
        n = len(text)
        self.in_url = [False] * n
        for m in URL.finditer(text):
            end = m.end()
            while end > m.start() and text[end - 1] in _URL_TRAILING:
                end -= 1
            for k in range(m.start(), end):
                self.in_url[k] = True
        self.dot_run: dict[int, tuple[int, int]] = {}
        for m in re.finditer(r"[.．]+", text):
            for k in range(m.start(), m.end()):
                self.dot_run[k] = (m.start(), m.end())

    def dot_ends(self, i: int) -> bool:
        """Whether the half- or full-width dot at `i` ends a sentence (never in numbers, latin words, URLs)."""
        text, in_url = self.text, self.in_url
        if in_url[i]:
            return False
        a, b = self.dot_run[i]
        if b - a > 1:
            # `...`/`．．．` after Chinese is an ellipsis and ends like `…`; `a..b` is no sentence end.
            return b - a >= 3 and not (a and _is_ascii_alnum(text[a - 1]))
        prev = text[i - 1] if i else ""
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if nxt and (_is_ascii_alnum(nxt) or nxt in "_/-@%" or unicodedata.category(nxt) == "Nd"):
            return False
        if prev.isdigit() and _LATIN_BEFORE_NUMBER.search(text, max(0, i - 80), i):
            # `… open in May 2023. 项目预计…`: an English sentence that ends in a number, then Chinese after a space
            return bool(_CHINESE_AFTER_SPACE.match(text, i + 1))
        if not prev or prev.isdigit():
            return False  # `379.78`, `1.` list numbers
        if in_url[i - 1]:
            return bool(_SENTENCE_AFTER_LATIN.match(text, i + 1))  # `详见www.gov.cn. 他说`
        if _is_ascii_alnum(prev):
            a = i
            while a and text[a - 1].isascii() and text[a - 1].isalpha():
                a -= 1
            word = text[a:i]
            if len(word) < 2 or word.lower() in ABBREVIATIONS or (a and text[a - 1] == "."):
                return False  # initials, `Co.`, `U.S.`
            # An English word ends a sentence before Chinese, or before a capital after a space.
            return bool(_SENTENCE_AFTER_LATIN.match(text, i + 1))
        return True

    def terminates(self, i: int) -> bool:
        ch = self.text[i]
        if ch in FULL_TERMINATORS:
            return True
        if ch in HALF_TERMINATORS:
            # `?x=1` in a URL, `Yahoo!Japan`-style names: only a half-width mark before a non-word character ends.
            nxt = self.text[i + 1] if i + 1 < len(self.text) else ""
            return not self.in_url[i] and not (_is_ascii_alnum(nxt) or nxt in "=&/_")
        if ch in DOTS:
            return self.dot_ends(i)
        return False


def _wordy_at_least(text: str, start: int, end: int, k: int) -> bool:
    """Whether text[start:end] holds at least k letters or digits (stops looking at the k-th)."""
    found = 0
    for _ in _WORDY.finditer(text, start, end):
        found += 1
        if found >= k:
            return True
    return False


def _standalone(text: str, pair: _Pair) -> bool:
    """Whether a quotation or bracket stands as its own sentence rather than as part of a clause."""
    k = pair.open
    while k and text[k - 1].isspace():
        k -= 1
    if not k:
        return True
    last = text[k - 1]
    if last in FULL_TERMINATORS + HALF_TERMINATORS:
        return True
    if last in STRAY_CLOSERS + '"' and k >= 2 and text[k - 2] in TERMINATOR_RUN:
        return True
    if pair.kind == "quote":
        return last in "：:，,；;" or bool(_SPEECH_BEFORE.search(text[max(0, k - 8): k]))
    return False


def _dateline_end(text: str) -> int:
    """End of a dateline that opens `text` (0 if none); it is kept apart from the first sentence."""
    m = DATELINE.match(text)
    if not m or not _WORDY.search(text, m.end()):
        return 0
    return m.end()


def split_offsets(text: str) -> list[Span]:
    """[start, end) of each sentence in `text`, whitespace trimmed; together they cover every non-space character."""
    n = len(text)
    scan = _Text(text)
    pairs = _pairs(text)
    by_close = {p.close: p for p in pairs}
    inner = _innermost(n, pairs)
    cuts: list[int] = []
    start = _dateline_end(text)
    if start:
        cuts.append(start)
    first_wordy = _WORDY.search(text, start)
    i = start
    while i < n:
        if not scan.terminates(i):
            i += 1
            continue
        run_start = j = i
        closed: list[_Pair] = []
        ellipsis = False
        # The terminator run with the closing quotes and brackets it ends: `？”。`, `！）`, `……。”`.
        while j < n:
            ch = text[j]
            if ch in FULL_TERMINATORS + HALF_TERMINATORS or (ch in DOTS and scan.terminates(j)):
                closed = []  # `（数据截至9月底。）。`: a terminator after the closers ends the sentence itself
                ellipsis = ellipsis or ch == "…" or (ch in DOTS and j + 1 < n and text[j + 1] in DOTS)
                j += 1
            elif j in by_close:
                if by_close[j].kind == "title" or by_close[j].open >= run_start:
                    break  # `《走吧！》` is a title, not a sentence
                closed.append(by_close[j])
                j += 1
            elif ch in STRAY_CLOSERS:
                j += 1
            elif ch in _SPACES:
                # Tokenised dumps space their punctuation: `找了 … … 今晚`, `啊 。 ”`.
                k = j
                while k < n and text[k] in _SPACES:
                    k += 1
                if k == n or not (scan.terminates(k) or (k in by_close and by_close[k].kind != "title"
                                                         and by_close[k].open < run_start)):
                    break
                j = k
            else:
                break
        if first_wordy is None or first_wordy.start() >= run_start:
            i = j  # `……据悉`: punctuation alone is no sentence
            continue
        if _ends_here(text, start, run_start, j, closed, ellipsis, _enclosing(pairs, inner[run_start], j)):
            cuts.append(j)
            start = j
            first_wordy = _WORDY.search(text, start)
        i = j
    return _spans(text, cuts)


# Quotes nested deeper than this are not news text; inside them nothing is split (and the walk stays short).
MAX_NESTING = 8


def _enclosing(pairs: list[_Pair], k: int, j: int) -> list[_Pair] | None:
    """The pairs still open at `j` around the run that starts inside pair `k`; None if nested too deep."""
    out = []
    depth = 0
    while k >= 0:
        depth += 1
        if depth > MAX_NESTING:
            return None
        if pairs[k].close >= j:
            out.append(pairs[k])
        k = pairs[k].parent
    return out


def _ends_here(text: str, start: int, run_start: int, j: int, closed: list[_Pair], ellipsis: bool,
               enclosing: list[_Pair] | None) -> bool:
    """Whether the terminator run text[run_start:j] (with the closers it took) ends the sentence begun at `start`."""
    if enclosing is None:
        return False
    m = _NON_SPACE.search(text, j)
    if not m:
        return True
    nxt = m.start()
    if text[nxt] in CLAUSE_PUNCT:
        return False
    if (closed or ellipsis) and text[nxt] in CONTINUATION_CHARS:
        return False
    for pair in enclosing:
        # Still inside a pair: titles never split; a quotation only when standalone and several sentences.
        if pair.kind == "title" or not _standalone(text, pair):
            return False
        if not (_wordy_at_least(text, max(pair.open + 1, start), run_start, MIN_QUOTED_SENTENCE_CHARS)
                and _wordy_at_least(text, j, pair.close, MIN_QUOTED_SENTENCE_CHARS)):
            return False
    if closed:
        outer = min(closed, key=lambda p: p.open)
        long_quote = outer.kind == "quote" and _wordy_at_least(text, outer.open, outer.close,
                                                               MIN_QUOTED_SENTENCE_AS_OBJECT)
        if not (_standalone(text, outer) or long_quote):
            return False  # `开展“我为群众办实事！”活动`, `该公司（成立于2010年。）发展迅速`: part of the clause
        if outer.kind == "quote" and _names_the_speaker(text, outer, nxt):
            return False  # `“……。”他说`, `“……。”副区长王彪介绍，…`
    return True


def _names_the_speaker(text: str, quote: _Pair, nxt: int) -> bool:
    """Whether the text at `nxt`, right after the closing `quote`, is the quotation's attribution.

    One rule: it is when the quotation has no speaker before it (no attribution verb introduces it, as in
    `他说：“我们走吧。”`) and the text is an attribution clause (at most MAX_ATTRIBUTION_CHARS, ending in one of
    ATTRIBUTION_VERBS) or a sentence ending in one of REPORTING_VERBS. So `他说：“我们走吧。”交通局指出，明年新增。`
    is two sentences whatever the second verb, and `“我们走吧。”交通局指出，明年新增。` one.
    """
    if _SPEECH_BEFORE.search(text[max(0, quote.open - 8): quote.open]):
        return False
    return bool(_ATTRIBUTION.match(text, nxt) or _ATTRIBUTION_SENTENCE.match(text, nxt))


def _spans(text: str, cuts: list[int]) -> list[Span]:
    """Cut `text` at `cuts`, trim whitespace, and fold punctuation-only pieces into their neighbour."""
    bounds = [0, *cuts, len(text)]
    merged: list[list[Any]] = []  # [start, end, has a letter or digit]
    for s, e in zip(bounds, bounds[1:]):
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s == e:
            continue
        wordy = bool(_WORDY.search(text, s, e))
        if merged and not (wordy and merged[-1][2]):
            merged[-1][1] = e
            merged[-1][2] = merged[-1][2] or wordy
        else:
            merged.append([s, e, wordy])
    return [(s, e) for s, e, _ in merged]


def split_sentences(text: str) -> list[str]:
    """The sentences of `text` as strings, line breaks inside a sentence removed."""
    return [span_text(text, span) for span in split_offsets(text)]


# Model-input normalisation. The model (opus-mt-zh-en) was trained on mainland text with full-width punctuation
# and half-width digits/latin; the page dumps mix both.
_FULLWIDTH_TO_HALF = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}  # ０-９
_FULLWIDTH_TO_HALF.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FULLWIDTH_TO_HALF.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FULLWIDTH_TO_HALF.update({0x3000: 0x20, 0xFF05: ord("%"), 0xFF0B: ord("+"), 0xFF0D: ord("-"), 0xFF0F: ord("/"),
                           0xFF20: ord("@"), 0xFF06: ord("&"), 0xFF1D: ord("="), 0xFF0E: ord(".")})
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？", ".": "。"}
_CJK_CONTEXT = rf"{_HAN_CLASS}\u3000-\u303f\uff01-\uff0f\uff1a-\uff20“”‘’…—"
# `.` only becomes `。` after Chinese and before Chinese or the end: never in `3.5` or `www.gov.cn`.
_HALF_PUNCT_NEAR_CJK = re.compile(
    rf"(?<=[{_CJK_CONTEXT}])[,;:!?()]|[,;:!?()](?=[{_CJK_CONTEXT}])|(?<=[{_HAN_CLASS}])\.(?=\s*[{_CJK_CONTEXT}]|\s*$)")
_STRAIGHT_QUOTES = re.compile(r'"([^"\n]*)"')
_PAREN = re.compile(r"\(([^()]*)\)")
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK_CONTEXT}])\s+(?=[{_CJK_CONTEXT}])")
_ELLIPSIS = re.compile(r"…+|(?<![0-9A-Za-z])\.{3,}|。{3,}")
_DASH = re.compile(r"—\s+—")


def _paren_to_full(m: re.Match[str]) -> str:
    """`(市)` → `（市）` when the brackets touch or hold Chinese; `(CEO)` after latin stays half-width."""
    text, s, e = m.string, m.start(), m.end()
    near = text[s - 1: s] + m.group(1) + text[e: e + 1]
    return f"（{m.group(1)}）" if re.search(f"[{_HAN_CLASS}]", near) else m.group()


def _quotes_to_curly(m: re.Match[str]) -> str:
    """`"走吧."` → `“走吧.”` when the quotation holds or touches Chinese; English quotations stay as they are."""
    text, s, e = m.string, m.start(), m.end()
    near = text[s - 1: s] + m.group(1) + text[e: e + 1]
    return f"“{m.group(1)}”" if re.search(f"[{_HAN_CLASS}]", near) else m.group()


def normalize_for_model(text: str) -> str:
    """What the model reads: full-width punctuation between Chinese, half-width digits and latin, one space."""
    text = unicodedata.normalize("NFC", text).translate(_FULLWIDTH_TO_HALF)
    text = _PAREN.sub(_paren_to_full, text)
    text = _STRAIGHT_QUOTES.sub(_quotes_to_curly, text)
    text = _HALF_PUNCT_NEAR_CJK.sub(lambda m: _HALF_TO_FULL[m.group()], text)
    text = _ELLIPSIS.sub("……", text)
    text = _DASH.sub("——", text)
    text = _SPACE_BETWEEN_CJK.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def segment_page(page: Page) -> Page:
    """Fill every paragraph of the page with its sentences (ids a01-p02-s03) and give every unit its language."""
    from .language import detect_lang

    for article in page.articles:
        for para in article.paragraphs:
            p0 = para.span[0]
            raw = page.text[para.span[0] : para.span[1]]
            para.sentences = []
            for n, (s, e) in enumerate(split_offsets(raw), start=1):
                span = (p0 + s, p0 + e)
                zh = span_text(page.text, span)
                sent = Sentence(f"{para.id}-s{n:02d}", zh, span, source=normalize_for_model(zh))
                para.sentences.append(sent)
    for unit in page.units():
        unit.lang = detect_lang(unit.zh)
    return page
