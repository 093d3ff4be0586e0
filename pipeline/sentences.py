"""Sentence stage: paragraph → sentences (offsets into the source), and the model-input normalisation."""

from __future__ import annotations

import re
import unicodedata

from .document import Page, Sentence, span_text

TERMINATORS = "。！？!?…"
# Characters that close what a terminator ended and stay with that sentence: `他说：“我们走吧。”`.
CLOSERS = "”’」』）)】]》\"'"
# After a closing quote, these openings continue the same sentence (`“……。”他说`), so no split there.
SPEECH_CONTINUATION = re.compile(r"[\s\u3000]*(他|她|它|我|有人|记者|对方)?(说|表示|称|指出|介绍|问|道|笑道|补充|强调)")
CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef“”‘’"


def split_offsets(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence in `text`; their concatenation covers every non-space character."""
    spans: list[tuple[int, int]] = []
    n = len(text)
    start = 0
    book_depth = 0  # inside 《…》 nothing ends a sentence
    i = 0
    while i < n:
        ch = text[i]
        if ch == "《":
            book_depth += 1
        elif ch == "》" and book_depth:
            book_depth -= 1
        if ch in TERMINATORS and not book_depth:
            j = i
            while j < n and text[j] in TERMINATORS:
                j += 1
            closed_quote = False
            while j < n and text[j] in CLOSERS:
                closed_quote = closed_quote or text[j] in "”’」』\""
                j += 1
            if closed_quote and SPEECH_CONTINUATION.match(text, j):
                i = j
                continue
            spans.append((start, j))
            start = j
            i = j
            continue
        i += 1
    spans.append((start, n))
    out = []
    for s, e in spans:
        seg = text[s:e]
        if not seg.strip():
            continue
        s2 = s + (len(seg) - len(seg.lstrip()))
        e2 = e - (len(seg) - len(seg.rstrip()))
        out.append((s2, e2))
    return out


def split_sentences(text: str) -> list[str]:
    """The sentences of `text` as strings, line breaks inside a sentence removed."""
    return [span_text(text, span) for span in split_offsets(text)]


_FULLWIDTH_ALNUM = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}
_FULLWIDTH_ALNUM.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})
_FULLWIDTH_ALNUM.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})
_FULLWIDTH_ALNUM.update({0x3000: 0x20, 0xFF05: ord("%"), 0xFF0E: ord(".")})
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"}
_HALF_PUNCT_NEAR_CJK = re.compile(rf"(?<=[{CJK}])[,;:()!?]|[,;:()!?](?=[{CJK}])")
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{CJK}])\s+(?=[{CJK}])")


def normalize_for_model(text: str) -> str:
    """What the model reads: full-width punctuation between Chinese, half-width digits and latin, one space."""
    text = unicodedata.normalize("NFC", text).translate(_FULLWIDTH_ALNUM)
    text = _HALF_PUNCT_NEAR_CJK.sub(lambda m: _HALF_TO_FULL[m.group()], text)
    text = _SPACE_BETWEEN_CJK.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def segment_page(page: Page) -> Page:
    """Fill every paragraph of the page with its sentences (ids a01-p02-s03)."""
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
                sent.lang = detect_lang(zh)
                para.sentences.append(sent)
    return page
