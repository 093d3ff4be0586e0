"""Traditional or Simplified script, per article: detection and the Simplified form the model reads.

opus-mt-zh-en was trained mostly on Simplified text, so an article printed in Traditional script (Taiwan, Hong
Kong) is converted to Simplified for the model input only, with OpenCC's Taiwan and Hong Kong phrase tables
(`tw2sp`, `hk2s`); the stored `zh`, every span and the HTML keep the text as printed, labelled `zh-Hant`.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

HANS = "Hans"
HANT = "Hant"
# Characters whose Traditional form differs from the Simplified: a text is Traditional when at least this share of
# its convertible characters are in Traditional form. Mixed text (a Simplified page quoting a Traditional name)
# stays Simplified; 0.5 is the midpoint, and on real pages the share is near 0 or near 1.
MIN_TRADITIONAL_SHARE = 0.5
# Fewer convertible characters than this decide nothing (a headline of four shared characters): Simplified.
MIN_EVIDENCE = 3
# OpenCC configurations: Taiwan phrases first (臺北 → 台北, 軟體 → 软件), Hong Kong variants otherwise.
CONFIGS = {"tw": "tw2sp", "hk": "hk2s", "plain": "t2s"}
# Characters written differently in Hong Kong and Taiwan: 裏/着/綫 are Hong Kong forms.
_HK_MARKS = frozenset("裏綫着啓衞僞")


@lru_cache(maxsize=4)
def _converter(config: str):  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC(config)


def _counts(text: str) -> tuple[int, int]:
    """(characters that are Traditional-only, characters that are Simplified-only) in `text`."""
    t2s, s2t = _converter("t2s"), _converter("s2t")
    trad = simp = 0
    for ch in set(text):
        if not ("\u4e00" <= ch <= "\u9fff"):
            continue
        n = text.count(ch)
        if t2s.convert(ch) != ch:
            trad += n
        elif s2t.convert(ch) != ch:
            simp += n
    return trad, simp


def detect_script(texts: Iterable[str]) -> str:
    """`Hant` when the texts are printed in Traditional characters, else `Hans`."""
    trad = simp = 0
    for t in texts:
        a, b = _counts(t)
        trad += a
        simp += b
    if trad + simp < MIN_EVIDENCE:
        return HANS
    return HANT if trad / (trad + simp) >= MIN_TRADITIONAL_SHARE else HANS


def variant(texts: Iterable[str]) -> str:
    """Which OpenCC table fits Traditional text: Hong Kong when its forms appear, else Taiwan."""
    return "hk" if any(ch in _HK_MARKS for t in texts for ch in t) else "tw"


def to_simplified(text: str, region: str = "tw") -> str:
    """The Simplified text the model reads; the same length is not promised (tw2sp converts phrases)."""
    return str(_converter(CONFIGS.get(region, "t2s")).convert(text))


def bcp47(script: str) -> str:
    """The HTML `lang` of Chinese text in this script."""
    return "zh-Hant" if script == HANT else "zh-Hans"
