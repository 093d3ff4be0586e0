"""Number checker: every number in a Chinese sentence must be accounted for in its English translation.

Chinese units are understood (`686亿元` = 68.6 billion yuan, `1.5万` = 15,000, `七成` = 70%), as are Chinese
numerals before a measure word (`三项机制` = three mechanisms), ordinals (`第三` = third), dates (`10月9日` =
October 9) and English number words and scale words ("one billion", "twenty-two", "37.978 billion").
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

_ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
_CN_DIGITS = "零〇一二两三四五六七八九"
_CN_NUMERAL = f"[{_CN_DIGITS}十百千万亿]+"
# Digits, then optional Chinese multipliers (1.5万, 379.78亿, 3千万, 2万亿), then 成 (tenths: 七成 = 70%).
_ZH_NUMBER = re.compile(
    rf"(?P<pct>百分之(?P<pctnum>{_ARABIC}|{_CN_NUMERAL}))"
    rf"|(?P<arabic>{_ARABIC})(?P<mult>[十百千万亿]*)(?P<cheng>成)?"
    rf"|(?P<cn>{_CN_NUMERAL})(?P<cncheng>成)?"
)
# A Chinese-numeral run counts only before a measure word or unit, or after 第: elsewhere 一/万/千 are words
# (一些 some, 统一 unify, 千万 by all means, 万一 in case).
_MEASURE_WORDS = set(
    "个项家名人位年月日号天次条座所期批支架层届轮场份篇本部张套组队点秒周岁倍种类处台辆件户村镇乡省市县区元角"
    "米吨亩级股只头栋间首句段章节大方路线道步块片斤克度时分集册页排列"
)
# Words that begin with a numeral but are not numbers (十分 very, 一些 some, …); their value is never required.
_NOT_NUMBERS = ("十分", "万分", "百分百", "千万别", "千万不", "千万要", "一些", "一点", "一起", "一直", "一定")
# A run after these is vague (几十个 dozens, 数百 hundreds, 上万 tens of thousands): nothing exact to check.
_VAGUE_BEFORE = set("几数上若")
# Numerals of value 1 are usually English articles ("一个目标" = "a goal"): not required.
_SKIP_VALUES = {1.0}
_DATE_MARKERS = {"月": "month", "日": "day", "号": "day", "年": "year"}
# 千 before these is the SI prefix kilo- (5千米 = 5 km, 3千瓦 = 3 kW), not "thousand".
_KILO_UNITS = set("米克瓦焦帕卡赫伏")

# Hyphenated words are read part by part: "twenty-two" → twenty, two; "January-September" → both months.
_EN_TOKEN = re.compile(rf"{_ARABIC}|[A-Za-z]+\.?|%")
_EN_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_EN_TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
_EN_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_EN_ORDINALS = {w: i + 1 for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split())}
_EN_ORDINALS.update({"thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70,
                     "eightieth": 80, "ninetieth": 90, "hundredth": 100})
_EN_OTHER = {"twice": 2, "double": 2, "doubled": 2, "both": 2, "pair": 2, "triple": 3, "tripled": 3,
             "dozen": 12, "half": 0.5, "quarter": 0.25}
# Month names count only capitalised ("May", not the verb "may"; "March", not "march").
_MONTHS = {m: i + 1 for i, m in enumerate(
    "January February March April May June July August September October November December".split())}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["Sept"] = 9
# Relative tolerance for equal values (float products such as 37.978 × 10⁹).
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class ZhNumber:
    text: str  # as written in the Chinese, e.g. "379.78亿"
    value: float
    kind: str = "number"  # number | month | day | year | percent


def _cn2an(text: str) -> float | None:
    """A Chinese or mixed numeral's value (`一百零五` → 105, `1.5万` → 15000); None for vague ones (`二三十`)."""
    import cn2an

    try:
        return float(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, IndexError):
        return None


def zh_numbers(zh: str) -> list[ZhNumber]:
    """The numbers of a Chinese sentence that its English must contain."""
    text = unicodedata.normalize("NFKC", zh)
    found: list[ZhNumber] = []
    for m in _ZH_NUMBER.finditer(text):
        after = text[m.end():m.end() + 1]
        before = text[m.start() - 1:m.start()] if m.start() else ""
        if m.group("pct"):
            value = _cn2an(m.group("pctnum").replace(",", ""))
            kind = "percent"
        elif m.group("arabic"):
            digits = m.group("arabic").replace(",", "")
            mult = _drop_kilo(m.group("mult"), after)
            value = _cn2an(digits + mult) if mult else float(digits)
            if value is not None and m.group("cheng"):
                value *= 10
            kind = "percent" if after == "%" or m.group("cheng") else _DATE_MARKERS.get(after, "number")
        else:
            run = m.group("cn")
            if any(text.startswith(w, m.start()) for w in _NOT_NUMBERS) or before in _VAGUE_BEFORE:
                continue
            big = run[-1] in "万亿" and len(run) > 1  # 一千五百万, 五十亿: a figure wherever it stands
            if not (before == "第" or m.group("cncheng") or after in _MEASURE_WORDS or big):
                continue
            if not any(c in run for c in _CN_DIGITS + "十"):
                continue  # 万/亿/千 alone (上亿, 千万) is a word, not a figure
            value = _cn2an(_drop_kilo(run, after))
            if value is not None and m.group("cncheng"):
                value *= 10
            if value in _SKIP_VALUES:
                continue
            kind = "percent" if m.group("cncheng") else _DATE_MARKERS.get(after, "number")
        if value is not None:
            found.append(ZhNumber(m.group(0), value, kind))
    return _merge_compounds(found, text)


def _drop_kilo(numeral: str, after: str) -> str:
    return numeral[:-1] if numeral.endswith("千") and after in _KILO_UNITS else numeral


def _merge_compounds(found: list[ZhNumber], text: str) -> list[ZhNumber]:
    """`3亿5000万` is one figure (350 million), not 300 million and 50 million."""
    merged: list[ZhNumber] = []
    for num in found:
        prev = merged[-1] if merged else None
        if prev and prev.text.endswith("亿") and num.text.endswith("万") and num.value < 1e8 \
                and prev.text + num.text in text:
            merged[-1] = ZhNumber(prev.text + num.text, prev.value + num.value, prev.kind)
        else:
            merged.append(num)
    return merged


def en_numbers(en: str) -> set[float]:
    """Every value the English states: digits with scale words, number words, ordinals, month names."""
    tokens = _EN_TOKEN.findall(unicodedata.normalize("NFKC", en))
    values: set[float] = set()
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        word = tok.rstrip(".").lower()
        if tok[0].isdigit():
            value = float(tok.replace(",", ""))
            values.add(value)
            j = i + 1
            while j < len(tokens) and tokens[j].rstrip(".").lower() in _EN_SCALES:
                value *= _EN_SCALES[tokens[j].rstrip(".").lower()]
                values.add(value)
                j += 1
            i = j
            continue
        if tok.rstrip(".") in _MONTHS:  # capitalised by construction of _MONTHS
            values.add(float(_MONTHS[tok.rstrip(".")]))
        if word in _EN_ORDINALS:
            values.add(float(_EN_ORDINALS[word]))
        if word in _EN_OTHER:
            values.add(float(_EN_OTHER[word]))
        if word.endswith("s") and word[:-1] in _EN_SCALES and i + 1 < len(tokens) and tokens[i + 1] == "of":
            i += 1  # "millions of": vague
            continue
        if _is_number_word(word) or (word in ("a", "an") and i + 1 < len(tokens)
                                     and tokens[i + 1].rstrip(".").lower() in _EN_SCALES):
            value, i = _read_number_words(tokens, i)
            values.add(value)
            continue
        i += 1
    return values


def _is_number_word(word: str) -> bool:
    return word in _EN_UNITS or word in _EN_TENS or word in _EN_SCALES


def _read_number_words(tokens: list[str], i: int) -> tuple[float, int]:
    """Parse "three hundred and five", "twenty-two", "a billion", "one hundred million" from tokens[i]."""
    total, current = 0.0, 0.0
    seen = False
    while i < len(tokens):
        word = tokens[i].rstrip(".").lower()
        if word in ("a", "an") and not seen:
            current, seen = 1.0, True
        elif word == "and" and seen and i + 1 < len(tokens) and _is_number_word(tokens[i + 1].lower()):
            pass
        elif _is_number_word(word):
            if word in _EN_UNITS:
                current += _EN_UNITS[word]
            elif word in _EN_TENS:
                current += _EN_TENS[word]
            elif word == "hundred":
                current = (current or 1) * 100
            else:
                total += (current or 1) * _EN_SCALES[word]
                current = 0.0
            seen = True
        else:
            break
        i += 1
    return total + current, i


def _same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=_TOLERANCE, abs_tol=_TOLERANCE)


def missing_numbers(zh: str, en: str) -> list[str]:
    """The Chinese numbers (as written) that the English does not state; [] when every figure is accounted for."""
    stated = en_numbers(en)
    missing = []
    for num in zh_numbers(zh):
        if not any(_same(num.value, v) for v in stated) and num.text not in missing:
            missing.append(num.text)
    return missing
