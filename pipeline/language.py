"""Language routing: which text goes to the zh→en model and which is copied through untranslated."""

from __future__ import annotations

import re
from functools import lru_cache

from .zh import HAN as _HAN
from .zh import HAN_CLASS, HANGUL_CLASS, KANA_CLASS

# Kana without `・` (U+30FB), which Chinese text also uses between the parts of foreign names.
_KANA = re.compile(f"[{KANA_CLASS}]")
_HANGUL = re.compile(f"[{HANGUL_CLASS}]")
# A run of letters of any other script counts as one word: `iPhone`, `MW`, `Москва`.
_OTHER_WORD = re.compile(rf"[^\W\d_\u3040-\u30ff{HAN_CLASS}\uac00-\ud7af]+")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f\uff21-\uff3a\uff41-\uff5a]")
URL_OR_EMAIL = re.compile(r"(?:https?://|ftp://|www\.)\S+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII)
# Han characters against words of other scripts: at this share the text is a Chinese sentence with names or units
# in it (`一期工程装机规模100MW`, `Apple发布了iPhone`) and goes to the model, which copies the latin itself. Counting
# latin *words* rather than letters keeps one English brand name from outweighing the Chinese around it.
MIN_HAN_SHARE = 0.3
# Kana at this share of the Han characters marks Japanese (kanji with kana), which the zh→en model must not get.
MIN_KANA_SHARE_OF_HAN = 0.2
# langdetect is unreliable below this many latin letters; shorter latin strings (`100MW`, `CEO`) are called "en".
MIN_LANGDETECT_CHARS = 20
# langdetect samples randomly; a fixed seed makes the same text always get the same language.
LANGDETECT_SEED = 0

ZH = "zh"
UNDETERMINED = "und"


def _script_lang(text: str) -> str | None:
    """The language the script alone decides ("zh", "ja", "ko", "und"), or None when it takes langdetect."""
    text = URL_OR_EMAIL.sub(" ", text)
    han = len(_HAN.findall(text))
    kana = len(_KANA.findall(text))
    hangul = len(_HANGUL.findall(text))
    others = len(_OTHER_WORD.findall(text))
    if not han + kana + hangul + others:
        return UNDETERMINED  # numbers, URLs, punctuation
    if kana and kana >= MIN_KANA_SHARE_OF_HAN * han:
        return "ja"
    if hangul > han:
        return "ko"
    if han / (han + others + hangul) >= MIN_HAN_SHARE:
        return ZH
    return None


def detect_lang(text: str) -> str:
    """ISO 639-1 code of `text` ("zh" goes to the model), or "und" for numbers, URLs and punctuation."""
    decided = _script_lang(text)
    if decided is not None:
        return decided
    letters = URL_OR_EMAIL.sub(" ", text)
    if len(_LATIN_LETTER.findall(letters)) < MIN_LANGDETECT_CHARS and _LATIN_LETTER.search(letters):
        return "en"
    return _langdetect(letters.strip())


@lru_cache(maxsize=4096)
def _langdetect(text: str) -> str:
    from langdetect import DetectorFactory, LangDetectException, detect

    DetectorFactory.seed = LANGDETECT_SEED
    try:
        lang = detect(text)
    except LangDetectException:
        return UNDETERMINED
    return ZH if lang.startswith("zh") else lang


def has_chinese(text: str) -> bool:
    """Whether any line of `text` is Chinese by script (a page of English or Japanese is not)."""
    return any(_HAN.search(line) and _script_lang(line) == ZH for line in text.splitlines())
