"""Output guards: looping or runaway output is retried once with anti-repetition settings, empty output once
with a minimum length; what persists is noted on the result (and becomes a sentence flag)."""

from __future__ import annotations

import re

from .base import Decoding, TranslationResult, Translator

# A word n-gram repeated back to back this many times is a decoder loop, not style: "industry industry industry"
# (n ≤ 3 needs three copies, since "very, very" and "step by step" are English) or any 4-to-8-word phrase twice
# in a row ("the development of the city the development of the city").
SHORT_NGRAM_MAX = 3
SHORT_NGRAM_COPIES = 3
LONG_NGRAM_MAX = 8
LONG_NGRAM_COPIES = 2
# Letters looping inside a word: "chainainainain" (a 2+ letter unit four times), "提供提供提供提供", "SSSSSS" (one
# letter six times). Letters only (any script), so "1000000" is safe.
_LETTER_LOOP = re.compile(r"([^\W\d_]{2,}?)\1{3,}|([^\W\d_])\2{5,}")
# Stuttering: short letter units tripled again and again ("进进进户户户革革革", "ririri … ggg"), what a looping
# decoder produces once repeated trigrams are banned. Three such runs in one sentence; English has at most one
# ("www", "hahaha").
_STUTTER = re.compile(r"(?:([^\W\d_]{1,4}?)\1{2,})")
STUTTER_RUNS = 3
_WORDS = re.compile(r"\w+|[^\w\s]")
# The retry: no trigram twice and a mild penalty on reused tokens (1.2 is the value the CTRL paper found to
# stop loops without garbling the sentence).
RETRY_NO_REPEAT_NGRAM = 3
RETRY_REPETITION_PENALTY = 1.2
# An empty retry must produce at least this share of the source's token count (and at least 2 tokens).
EMPTY_RETRY_MIN_SHARE = 0.5

REPETITION = "repetition"
EMPTY = "empty"
RETRIED = "retried"


def repeated_fragment(text: str) -> str:
    """The looping part of `text` ("" when it does not loop)."""
    if m := _LETTER_LOOP.search(text):
        return m.group(0)
    stutters = [m.group(0) for m in _STUTTER.finditer(text)]
    if len(stutters) >= STUTTER_RUNS:
        return " ".join(stutters)
    words = [w.lower() for w in _WORDS.findall(text)]
    for n in range(1, LONG_NGRAM_MAX + 1):
        copies_needed = SHORT_NGRAM_COPIES if n <= SHORT_NGRAM_MAX else LONG_NGRAM_COPIES
        for i in range(len(words) - n * copies_needed + 1):
            gram = words[i:i + n]
            if not any(w[0].isalnum() for w in gram):
                continue  # "..." or "!!!" is punctuation, not a loop
            copies = 1
            while words[i + copies * n:i + (copies + 1) * n] == gram:
                copies += 1
            if copies >= copies_needed:
                return " ".join(gram * copies)
    return ""


def runaway(result: TranslationResult, decoding: Decoding) -> bool:
    """Cut off at the length cap (3× the source + 16 tokens: an implausible ratio) instead of ending by itself."""
    if decoding.min_new_tokens:
        return False  # a forced length says nothing about the model
    return not result.ended


def looks_wrong(result: TranslationResult, decoding: Decoding) -> str:
    """Which guard a result trips ("" if none)."""
    if not result.text:
        return EMPTY
    if repeated_fragment(result.text) or runaway(result, decoding):
        return REPETITION
    return ""


def retry_decoding(decoding: Decoding, problem: str, source_tokens: int) -> Decoding:
    if problem == EMPTY:
        return decoding.with_(min_new_tokens=max(2, int(source_tokens * EMPTY_RETRY_MIN_SHARE)))
    return decoding.with_(no_repeat_ngram_size=RETRY_NO_REPEAT_NGRAM, repetition_penalty=RETRY_REPETITION_PENALTY)


def translate_checked(translator: Translator, sources: list[str]) -> list[TranslationResult]:
    """Translate with the translator's decoding; retry each guarded failure once, noting what persists."""
    decoding = translator.decoding
    results = translator.translate(sources, decoding)
    # Retries are grouped by their decoding so each group is one batched call.
    groups: dict[Decoding, list[int]] = {}
    problems: dict[int, str] = {}
    for i, res in enumerate(results):
        if problem := looks_wrong(res, decoding):
            problems[i] = problem
            groups.setdefault(retry_decoding(decoding, problem, res.source_tokens), []).append(i)
    for retry, indices in groups.items():
        for i, again in zip(indices, translator.translate([sources[i] for i in indices], retry)):
            # A retry that lost everything is worse than a loop: keep the first answer then.
            best, used = (again, retry) if again.text or not results[i].text else (results[i], decoding)
            if remaining := looks_wrong(best, used):
                best.notes.append(remaining)
            best.notes.append(RETRIED)
            results[i] = best
    return results
