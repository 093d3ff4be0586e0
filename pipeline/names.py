"""Person and place names: finding them in Chinese text and writing them as English-language media do.

Romanisation follows the conventions of English-language wires and papers (Xinhua, Reuters, AP):
- a person: surname first, given name joined (`张环泽` → `Zhang Huanze`), the surname in its surname reading
  (`单` Shan, `解` Xie, `曾` Zeng, `区` Ou) and compound surnames kept whole (`欧阳` Ouyang);
- a place: its name joined without tones (`枣庄` → `Zaozhuang`), the division suffix in English (`山亭区` →
  `Shanting District`), and the established English name where there is one (`香港` Hong Kong, `臺北` Taipei);
- ü after l/n is written yu (`吕` Lyu), and an apostrophe separates a syllable that starts with a, o or e
  (`Tai'erzhuang`, `Xi'an`).
The tables are data (pipeline/data/*.tsv): surnames.tsv, known_names.tsv, divisions.tsv, titles.tsv.

Finding is rules over jieba's part-of-speech tags (`nr` person, `ns` place), a gazetteer of administrative divisions,
and context (a title before a name, a speech verb after it). Its precision and recall are measured by
bench/names_eval.py on a labelled set from the WMT21 news documents (bench/RESULTS.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .zh import data_rows, jieba_module

PERSON = "person"
PLACE = "place"

_HAN = r"\u4e00-\u9fff\u3400-\u4dbf"
_HAN_ONLY = re.compile(rf"^[{_HAN}]+$")
_VOWEL_START = re.compile(r"^[aoe]")
# Division suffixes, longest first: (suffix, English after the name; "" drops it). A city is called by its name
# alone (`Zaozhuang`), as the wires do; lower levels keep their level (`Shanting District`).
DIVISION_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("特别行政区", "Special Administrative Region"),
    ("特別行政區", "Special Administrative Region"),
    ("自治区", "Autonomous Region"),
    ("自治州", "Autonomous Prefecture"),
    ("自治县", "Autonomous County"),
    ("新区", "New Area"),
    ("林区", "Forestry District"),
    ("地区", "Prefecture"),
    ("街道", "Subdistrict"),
    ("省", "Province"),
    ("市", ""),
    ("区", "District"),
    ("區", "District"),
    ("县", "County"),
    ("縣", "County"),
    ("镇", "Town"),
    ("鎮", "Town"),
    ("乡", "Township"),
    ("鄉", "Township"),
    ("村", "Village"),
    ("盟", "League"),
    ("旗", "Banner"),
    ("河", "River"),
    ("溪", "Creek"),
    ("湖", "Lake"),
)
# A water's name of one character keeps it in the name (`巢湖` → `Chaohu Lake`); a longer one drops it (`油江河` →
# `Youjiang River`).
WATER_SUFFIXES = ("河", "溪", "湖")
# The ethnic groups named in an autonomous division (`延边朝鲜族自治州`) are left out of its short English name.
ETHNIC_GROUPS = ("朝鲜族", "土家族", "苗族", "藏族", "羌族", "彝族", "布依族", "侗族", "哈尼族", "壮族", "傣族", "白族",
                 "景颇族", "傈僳族", "回族", "蒙古族", "蒙古", "柯尔克孜", "哈萨克", "维吾尔", "黎族", "瑶族", "满族",
                 "土族", "撒拉族", "东乡族", "保安族", "裕固族", "纳西族", "仫佬族", "毛南族", "水族", "仡佬族", "畲族")
_ETHNIC = re.compile(f"(?:{'|'.join(ETHNIC_GROUPS)})+$")
# Characters that mark a transliterated foreign name (`博索纳罗`, `巴西利亚`): a name with two or more of them that no
# table knows is not romanised by pinyin, which would only garble it.
TRANSLITERATION_CHARS = frozenset("斯尔克拉德罗纳亚利特维尼卡多布普塔夫莫科索奥艾兹萨里曼蒙丽娜妮莎琳娅蒂菲"
                                  "洛伦森默赫戈杰詹姆汉堡迪尼基诺瓦西")
# A Chinese personal name is a surname and a given name of one or two characters.
MAX_GIVEN_CHARS = 2


@dataclass(frozen=True)
class Known:
    """A name with an established English form (known_names.tsv) or a glossary entry."""

    zh: str
    en: str
    kind: str
    others: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tables:
    surnames: dict[str, str]
    known: dict[str, Known]
    divisions: frozenset[str]
    titles: tuple[str, ...]
    verbs: tuple[str, ...]


@lru_cache(maxsize=1)
def tables() -> Tables:
    """The name tables of pipeline/data, loaded once."""
    surnames = {r[0]: r[1] for r in data_rows("surnames.tsv")}
    known: dict[str, Known] = {}
    for r in data_rows("known_names.tsv"):
        others = tuple(x for x in (r[3].split("|") if len(r) > 3 else []) if x)
        known[r[0]] = Known(r[0], r[1], r[2], others)
    divisions = frozenset(w for r in data_rows("divisions.tsv") for w in r[0].split())
    titles = tuple(sorted((r[0] for r in data_rows("titles.tsv") if r[1] == "title"), key=len, reverse=True))
    verbs = tuple(sorted((r[0] for r in data_rows("titles.tsv") if r[1] == "verb"), key=len, reverse=True))
    return Tables(surnames, known, divisions, titles, verbs)


@lru_cache(maxsize=1)
def _t2s():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """The Simplified form of `text` (OpenCC t2s); Simplified text is returned unchanged."""
    return str(_t2s().convert(text)) if text else text


def _syllables(text: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin

    out = []
    for s in lazy_pinyin(text, style=Style.NORMAL, errors="ignore"):
        s = s.lower()
        if s.startswith(("lv", "nv")):
            s = s[0] + "yu" + s[2:]  # 吕 lü → Lyu, 女 nü → nyu
        out.append(s)
    return out


def join_syllables(syllables: list[str]) -> str:
    """Syllables joined into one word, with an apostrophe before a syllable that starts with a, o or e."""
    word = ""
    for i, s in enumerate(syllables):
        word += ("'" if i and _VOWEL_START.match(s) else "") + s
    return word


def pinyin_word(zh: str) -> str:
    """`枣庄` → `Zaozhuang`: pinyin without tones, joined, capitalised."""
    word = join_syllables(_syllables(simplified(zh)))
    return word[:1].upper() + word[1:]


def split_person(zh: str) -> tuple[str, str] | None:
    """(surname, given name) of a Chinese personal name, or None when `zh` is not one."""
    name = simplified(zh)
    if not _HAN_ONLY.match(name):
        return None
    surnames = tables().surnames
    if len(name) >= 3 and name[:2] in surnames and len(name) - 2 <= MAX_GIVEN_CHARS:
        return name[:2], name[2:]
    if 2 <= len(name) <= 1 + MAX_GIVEN_CHARS and is_surname(name[0]):
        return name[:1], name[1:]
    return None


@lru_cache(maxsize=1)
def _common_surnames() -> frozenset[str]:
    from .layout.rules import COMMON_SURNAMES

    return frozenset(COMMON_SURNAMES) | frozenset(k for k in tables().surnames if len(k) == 1)


def is_surname(char: str) -> bool:
    return simplified(char) in _common_surnames()


def known(zh: str, extra: dict[str, Known] | None = None) -> Known | None:
    """The established English form of a name: the user's glossary first, then known_names.tsv."""
    for table in (extra or {}, tables().known):
        for key in (zh, simplified(zh)):
            if key in table:
                return table[key]
    return None


def romanize_person(zh: str, extra: dict[str, Known] | None = None) -> str:
    """`张环泽` → `Zhang Huanze`, `单雄信` → `Shan Xiongxin`, `欧阳娜娜` → `Ouyang Nana`; "" when not a Chinese name."""
    k = known(zh, extra)
    if k is not None:
        return k.en
    parts = split_person(zh)
    if parts is None:
        return ""
    surname, given = parts
    family = tables().surnames.get(surname) or pinyin_word(surname)
    return f"{family} {pinyin_word(given)}".strip()


def split_place(zh: str) -> tuple[str, str]:
    """(name, English of its division suffix): `山亭区` → (`山亭`, `District`), `枣庄市` → (`枣庄`, ``)."""
    for suffix, en in DIVISION_SUFFIXES:
        if zh.endswith(suffix) and len(zh) > len(suffix):
            base = zh[: -len(suffix)]
            if suffix in WATER_SUFFIXES and len(base) == 1:
                return zh, en
            if suffix.startswith("自治") and known(base) is None:
                base = _ETHNIC.sub("", base) or base
            return base, en
    return zh, ""


def place_core(zh: str, extra: dict[str, Known] | None = None) -> str:
    """The name part of a place's English, what an English text must contain: `山亭区` → `Shanting`."""
    k = known(zh, extra)
    if k is not None:
        return k.en
    base, _ = split_place(zh)
    k = known(base, extra)
    return k.en if k is not None else pinyin_word(base)


def romanize_place(zh: str, extra: dict[str, Known] | None = None) -> str:
    """`枣庄` / `枣庄市` → `Zaozhuang`, `山亭区` → `Shanting District`, `臺北` → `Taipei`."""
    k = known(zh, extra)
    if k is not None:
        return k.en
    base, suffix = split_place(zh)
    k = known(base, extra)
    return f"{k.en if k is not None else pinyin_word(base)} {suffix}".strip()


def looks_transliterated(zh: str) -> bool:
    """Whether a name is most likely a foreign name written in Chinese characters (`博索纳罗`)."""
    return sum(c in TRANSLITERATION_CHARS for c in simplified(zh)) >= 2 or "·" in zh or "•" in zh


# ------------------------------------------------------------------------------------------------- finding


@lru_cache(maxsize=1)
def _posseg():  # type: ignore[no-untyped-def]
    import jieba.posseg

    jieba_module()  # loaded once, quiet
    return jieba.posseg


def is_place_word(zh: str) -> bool:
    """Whether jieba reads `zh` as one place name (`美国`, `新加坡`, `重庆`; not `特朗普`)."""
    words = list(_posseg().cut(zh))
    return len(words) == 1 and words[0].flag == "ns"


@dataclass
class Found:
    zh: str
    kind: str
    start: int
    end: int
    rule: str


# jieba's dictionary tags ~3,600 county-level names (`滕州市 ns`, `威宁县 ns`); they complete the gazetteer below
# the prefecture level that divisions.tsv holds.
COUNTY_SUFFIXES = ("县", "市", "区", "旗")


def _jieba_divisions() -> set[str]:
    pseg = _posseg()
    return {w for w, tag in pseg.dt.word_tag_tab.items()
            if tag == "ns" and len(w) >= 3 and w.endswith(COUNTY_SUFFIXES) and not w.endswith("地区")
            and not looks_transliterated(w)}


@lru_cache(maxsize=1)
def _gazetteer() -> frozenset[str]:
    """Division names with and without their suffix (`枣庄市`, `枣庄`), two characters or more."""
    divisions = set(tables().divisions) | _jieba_divisions()
    names = set(divisions)
    for full in divisions:
        base, _ = split_place(full)
        if len(base) >= 2:
            names.add(base)
    return frozenset(names)


@lru_cache(maxsize=1)
def _context_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    t = tables()
    name = rf"[{_HAN}]{{2,3}}"
    after_title = re.compile(rf"(?:{'|'.join(map(re.escape, t.titles))})(?P<name>{name}?)"
                             rf"(?=(?:{'|'.join(map(re.escape, t.verbs))})|[，,、。（(：:]|在|对|向|为|也|还|被|是|等|和|与)")
    before_verb = re.compile(rf"(?:^|[，,。；;：:“”\s])(?P<name>{name}?)(?=(?:{'|'.join(map(re.escape, t.verbs))}))")
    return after_title, before_verb


def _person_ok(zh: str, extra: dict[str, Known] | None) -> bool:
    k = known(zh, extra)
    if k is not None:
        return k.kind == PERSON
    return split_person(zh) is not None and not looks_transliterated(zh)


def _place_ok(zh: str, extra: dict[str, Known] | None) -> bool:
    k = known(zh, extra)
    if k is not None:
        return k.kind == PLACE
    if len(zh) < 2:
        return False
    s = simplified(zh)
    base, suffix = split_place(s)
    if base[-1:] in "市区县镇乡村省":
        return False  # 薛城区区: a suffix twice is a name and the next word (区长)
    if s in _gazetteer() or base in _gazetteer():
        return True
    if looks_transliterated(zh) or (suffix and s[-1] in WATER_SUFFIXES):
        return False  # a foreign name no table knows; a water only right after a place (find_names)
    return bool(suffix) and len(base) >= 2 and s[-1] in "区县镇乡村"


# jieba's dictionary tags many common words `nr` (智慧 1581, 石英 1519, 宣传部 333, 王子 685); a dictionary word this
# frequent is a person only with a title or speech verb around it. Names jieba's HMM finds are not in the
# dictionary; names in it are rare (阎晓明 7, 张宏伟 3). Tuned on the dev half of bench/data/names.
MAX_PERSON_WORD_FREQ = 100
# Function characters jieba's HMM glues to a name (`和梅根`, `向张三`): such a "name" needs context.
FUNCTION_CHARS = frozenset("和与及向对在为把被将从让给同跟")
# A "name" followed by one of these is a place (`哈杰省`, `韦瑟尔县`), not a person.
DIVISION_CHARS = frozenset("省市县区州镇乡村")
# Titles written after a name (`习近平总书记`, `李克强总理`).
TITLES_AFTER = ("总书记", "总理", "主席", "同志", "先生", "女士", "教授", "院士")
# After a division, a town, village or water (`威宁县迤那镇中海村`, `江津区驴子溪`): names jieba splits apart.
_CHAINED = re.compile(rf"[{_HAN}]{{2,3}}?(?:镇|乡|村|河|溪|湖)")


@lru_cache(maxsize=1)
def _freq() -> dict[str, int]:
    dt = jieba_module().dt
    dt.check_initialized()
    return dict(dt.FREQ)


# `强降雨` (heavy rain) is no 强 Jiangyu: a given name that is a frequent common noun or verb makes no name.
GIVEN_WORD_TAGS = frozenset({"n", "v", "vn"})
MIN_GIVEN_WORD_FREQ = 200


def _given_is_word(zh: str) -> bool:
    parts = split_person(zh)
    if parts is None or len(parts[1]) < 2:
        return False
    given = parts[1]
    return (_posseg().dt.word_tag_tab.get(given) in GIVEN_WORD_TAGS
            and _freq().get(given, 0) >= MIN_GIVEN_WORD_FREQ)


def _jieba_person(zh: str, extra: dict[str, Known] | None) -> bool:
    k = known(zh, extra)
    if k is not None:
        return k.kind == PERSON
    return (_freq().get(simplified(zh), 0) < MAX_PERSON_WORD_FREQ and zh[0] not in FUNCTION_CHARS
            and _person_ok(zh, extra) and not _place_ok(zh, extra) and not _given_is_word(simplified(zh)))


def find_names(text: str, extra: dict[str, Known] | None = None) -> list[Found]:
    """Person and place names in one text, in order, without overlaps (longest wins)."""
    pseg = _posseg()
    found: list[Found] = []
    simp = simplified(text)  # same length: OpenCC t2s maps character by character here
    probe = simp if len(simp) == len(text) else text
    pos = 0
    for word, flag in pseg.cut(probe):
        start, pos = pos, pos + len(word)
        zh = text[start:pos]
        if flag in ("nr", "nrfg") and _jieba_person(zh, extra) and text[pos : pos + 1] not in DIVISION_CHARS:
            found.append(Found(zh, PERSON, start, pos, "jieba-nr"))
        elif flag in ("ns", "nr") and _place_ok(zh, extra):
            # 滕州 + 市: the division suffix jieba splits off belongs to the name
            if (text[pos : pos + 1] and text[pos] in "市区县镇乡" and zh[-1] not in "市区县镇乡省"
                    and _place_ok(text[start : pos + 1], extra)):
                zh = text[start : pos + 1]
            elif zh.endswith("地区") and simplified(zh) not in _gazetteer():
                zh = zh[:-2]  # 北京地区: the Beijing area
            found.append(Found(zh, PLACE, start, start + len(zh), "jieba-ns"))
    after_title, before_verb = _context_patterns()
    for rule, pattern in (("after-title", after_title), ("before-verb", before_verb)):
        for m in pattern.finditer(text):
            zh = m.group("name")
            if _person_ok(zh, extra) and not _place_ok(zh, extra):
                found.append(Found(zh, PERSON, m.start("name"), m.end("name"), rule))
    for m in re.finditer(rf"(?P<name>[{_HAN}]{{2,3}}?)(?:{'|'.join(TITLES_AFTER)})", text):
        zh = m.group("name")
        if _person_ok(zh, extra) and not _place_ok(zh, extra) and (m.start() == 0 or not re.match(
                rf"[{_HAN}]", text[m.start() - 1])):
            found.append(Found(zh, PERSON, m.start(), m.end("name"), "title-after"))
    for table in (extra or {}, tables().known):
        for zh, k in table.items():
            if k.kind not in (PERSON, PLACE):
                continue  # a glossary's plain terms are checked as terms, not listed as names
            for m in re.finditer(re.escape(simplified(zh)), probe):  # 欣旺达 in a glossary finds 欣旺達 too
                found.append(Found(text[m.start() : m.end()], k.kind, m.start(), m.end(), "table"))
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Found] = []
    for f in found:
        if kept and f.start < kept[-1].end:
            continue
        kept.append(f)
        while f.kind == PLACE:  # a town, village or water right after a place
            chained = _CHAINED.match(text, f.end)
            if not chained:
                break
            f = Found(chained.group(0), PLACE, chained.start(), chained.end(), "chained")
            kept.append(f)
    out: list[Found] = []
    for f in kept:
        if out and f.start < out[-1].end:
            continue
        out.append(f)
    return out


# ------------------------------------------------------------------------------------------------- per article


def expected_forms(zh: str, kind: str, en: str, extra: dict[str, Known] | None = None) -> list[str]:
    """English forms that count as the name being in a translation: its English, the established alternatives,
    a place's name without its division (`Shanting` for `Shanting District`), a person in Western order."""
    forms = [en]
    k = known(zh, extra)
    if k is not None:
        forms += list(k.others)
    if kind == PLACE:
        forms.append(place_core(zh, extra))
    elif " " in en and k is None:
        family, given = en.split(" ", 1)
        forms.append(f"{given} {family}")
        if family == "Lyu":
            forms += [f"Lu {given}", f"Lv {given}", f"Lü {given}"]
    return [f for f in dict.fromkeys(forms) if f]


def romanize(zh: str, kind: str, extra: dict[str, Known] | None = None) -> str:
    return romanize_person(zh, extra) if kind == PERSON else romanize_place(zh, extra)


def _letters(text: str) -> str:
    return re.sub(r"[^a-zà-ÿü]", "", text.lower())


@lru_cache(maxsize=4096)
def _form_pattern(form: str) -> re.Pattern[str] | None:
    """`Zhang Huanze` → a pattern for its letters with any spaces, hyphens or apostrophes between them, whole words."""
    letters = _letters(form)
    if not letters:
        return None
    return re.compile(r"(?<![a-zà-ÿü])" + r"[\s'’‐-]*".join(map(re.escape, letters)) + r"(?![a-zà-ÿü])")


def english_has(en: str, forms: Iterable[str]) -> bool:
    """Whether any of `forms` occurs in `en` as whole words, in any case, whatever the spaces and hyphens between
    its letters (`Zhang Huan-ze` has `Zhang Huanze`; `Hamilton` has no `Hami`)."""
    text = en.lower()
    return any(p is not None and p.search(text) for p in map(_form_pattern, forms))
