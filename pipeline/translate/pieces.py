"""Long sentences: translated in pieces cut at clause marks, then joined back into one English sentence."""

from __future__ import annotations

import re
from typing import Callable

# opus-mt-zh-en was trained on sentences; far beyond ~200 source tokens it drops clauses or loops, and its
# position table ends at 512. Chinese news sentences reach 150+ characters (about as many tokens).
MAX_SOURCE_TOKENS = 200
# Cut points, strongest first: clause-level semicolons, colons, commas, then list commas. The half-width forms
# survive model-input normalisation next to latin text and digits.
CUT_LEVELS = ("；;", "：:", "，,", "、")
# How a non-final piece's English should end, by the mark its Chinese ends with.
_JOINERS = {"；": ";", ";": ";", "：": ":", ":": ":", "，": ",", ",": ",", "、": ","}
_CLOSERS = "”’」』）)】]》\"'"
_WORD_CHAR = re.compile(r"[0-9A-Za-z._%+\-]")


def split_for_model(text: str, count_tokens: Callable[[str], int], limit: int = MAX_SOURCE_TOKENS) -> list[str]:
    """`text` as pieces of at most `limit` tokens whose concatenation is `text` (one piece when it fits)."""
    return _split(text, count_tokens, limit, 0)


def _split(text: str, count: Callable[[str], int], limit: int, level: int) -> list[str]:
    if count(text) <= limit:
        return [text]
    if level == len(CUT_LEVELS):
        return _hard_split(text, count, limit)
    parts = _cut_after(text, CUT_LEVELS[level])
    if len(parts) == 1:
        return _split(text, count, limit, level + 1)
    pieces: list[str] = []
    for chunk in _pack(parts, count, limit):
        pieces.extend(_split(chunk, count, limit, level + 1))
    return pieces


def _cut_after(text: str, marks: str) -> list[str]:
    """Split after each run of `marks` (and the closing quotes or brackets right after it), keeping them with the
    text before."""
    cut = re.compile(f"[{re.escape(marks)}]+[{re.escape(_CLOSERS)}]*")
    parts, start = [], 0
    for m in cut.finditer(text):
        parts.append(text[start:m.end()])
        start = m.end()
    parts.append(text[start:])
    return [p for p in parts if p]


def _pack(parts: list[str], count: Callable[[str], int], limit: int) -> list[str]:
    """Join consecutive parts greedily while they fit, so pieces are as long (and as fluent) as allowed."""
    chunks: list[str] = []
    current = ""
    for part in parts:
        if current and count(current + part) > limit:
            chunks.append(current)
            current = part
        else:
            current += part
    if current:
        chunks.append(current)
    return chunks


def _hard_split(text: str, count: Callable[[str], int], limit: int) -> list[str]:
    """Last resort for a run with no cut mark: the longest prefixes that fit, never inside a latin word or number."""
    pieces = []
    while text:
        if count(text) <= limit:
            pieces.append(text)
            break
        lo, hi = 1, len(text)  # the longest prefix length whose count fits (binary search; counts grow with length)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if count(text[:mid]) <= limit:
                lo = mid
            else:
                hi = mid - 1
        cut = lo
        while cut > 1 and _WORD_CHAR.match(text[cut - 1]) and _WORD_CHAR.match(text[cut]):
            cut -= 1
        if cut == 1 and _WORD_CHAR.match(text[0]):
            cut = lo  # one enormous latin token: cutting it is better than looping
        pieces.append(text[:cut])
        text = text[cut:]
    return pieces


def join_pieces(zh_pieces: list[str], en_pieces: list[str]) -> str:
    """One English sentence from the pieces' English: each non-final piece ends with the clause mark its
    Chinese ended with (the model ends each piece as if it were a whole sentence)."""
    out = []
    last = len(en_pieces) - 1
    for i, (zh, en) in enumerate(zip(zh_pieces, en_pieces, strict=True)):
        en = en.strip()
        if i < last and en and (mark := _JOINERS.get(zh.rstrip().rstrip(_CLOSERS)[-1:])):
            en = en[:-1] if en[-1] in ".。;:,，" and not en.endswith("...") else en
            en += mark
        if en:
            out.append(en)
    return " ".join(out)
