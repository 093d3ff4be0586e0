"""Language routing: which text goes to the zh→en model and which is copied through untranslated."""

from __future__ import annotations

import re

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_KANA = re.compile(r"[\u3040-\u30ff]")
# Mostly-Han text is Chinese without asking langdetect, which is unreliable on short strings: a third of the
# letters being Han already means a Chinese sentence with English names or units in it (`一期工程装机规模100MW`).
MIN_HAN_RATIO = 0.3
# langdetect needs some text to be reliable; shorter latin strings are just called "en".
MIN_LANGDETECT_CHARS = 20

ZH = "zh"
UNDETERMINED = "und"


def detect_lang(text: str) -> str:
    """ISO 639-1 code of `text` ("zh" goes to the model), or "und" for numbers, URLs and punctuation."""
    han = len(_HAN.findall(text))
    latin = len(_LATIN.findall(text))
    kana = len(_KANA.findall(text))
    letters = han + latin + kana
    if letters == 0 or re.fullmatch(r"\s*(https?://|www\.)\S+\s*", text):
        return UNDETERMINED
    if kana and kana >= han * 0.2:
        return "ja"
    if han / letters >= MIN_HAN_RATIO:
        return ZH
    if latin < MIN_LANGDETECT_CHARS:
        return "en"
    from langdetect import DetectorFactory, LangDetectException, detect

    DetectorFactory.seed = 0  # langdetect is random unless seeded
    try:
        return detect(text)
    except LangDetectException:
        return UNDETERMINED


def has_chinese(text: str) -> bool:
    return bool(_HAN.search(text))
