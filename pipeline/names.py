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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

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
)
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


def _rows(name: str) -> Iterator[list[str]]:
    text = resources.files("pipeline.data").joinpath(name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.rstrip("\n").split("\t")


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
    surnames = {r[0]: r[1] for r in _rows("surnames.tsv")}
    known: dict[str, Known] = {}
    for r in _rows("known_names.tsv"):
        others = tuple(x for x in (r[3].split("|") if len(r) > 3 else []) if x)
        known[r[0]] = Known(r[0], r[1], r[2], others)
    divisions = frozenset(w for r in _rows("divisions.tsv") for w in r[0].split())
    titles = tuple(sorted((r[0] for r in _rows("titles.tsv") if r[1] == "title"), key=len, reverse=True))
    verbs = tuple(sorted((r[0] for r in _rows("titles.tsv") if r[1] == "verb"), key=len, reverse=True))
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
            if suffix.startswith("自治"):
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
    return f"{place_core(base, extra)} {suffix}".strip()


def looks_transliterated(zh: str) -> bool:
    """Whether a name is most likely a foreign name written in Chinese characters (`博索纳罗`)."""
    return sum(c in TRANSLITERATION_CHARS for c in simplified(zh)) >= 2 or "·" in zh or "•" in zh


# ------------------------------------------------------------------------------------------------- finding


@lru_cache(maxsize=1)
def _posseg():  # type: ignore[no-untyped-def]
    import logging

    import jieba  # type: ignore[import-untyped]
    import jieba.posseg  # type: ignore[import-untyped]

    jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict" chatter on stderr
    return jieba.posseg


@dataclass
class Found:
    zh: str
    kind: str
    start: int
    end: int
    rule: str


@lru_cache(maxsize=1)
def _gazetteer() -> frozenset[str]:
    """Division names with and without their suffix (`枣庄市`, `枣庄`), two characters or more."""
    names = set(tables().divisions)
    for full in tables().divisions:
        base, _ = split_place(full)
        if len(base) >= 2:
            names.add(base)
    return frozenset(names)


@lru_cache(maxsize=1)
def _context_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    t = tables()
    name = rf"[{_HAN}]{{2,3}}"
    after_title = re.compile(rf"(?:{'|'.join(map(re.escape, t.titles))})(?P<name>{name}?)"
                             rf"(?=(?:{'|'.join(map(re.escape, t.verbs))})|[，,、。（(：:]|在|对|向|为|也|还)")
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
    if len(zh) < 2 or looks_transliterated(zh):
        return False
    s = simplified(zh)
    base, suffix = split_place(s)
    if base[-1:] in "市区县镇乡村省":
        return False  # 薛城区区: a suffix twice is a name and the next word (区长)
    return s in _gazetteer() or base in _gazetteer() or (bool(suffix) and len(base) >= 2 and s[-1] in "区县镇乡村")


def find_names(text: str, extra: dict[str, Known] | None = None) -> list[Found]:
    """Person and place names in one text, in order, without overlaps (longest wins)."""
    pseg = _posseg()
    found: list[Found] = []
    simp = simplified(text)  # same length: OpenCC t2s maps character by character here
    same = len(simp) == len(text)
    probe = simp if same else text
    pos = 0
    for word, flag in pseg.cut(probe):
        start, pos = pos, pos + len(word)
        zh = text[start:pos]
        if flag == "nr" and _person_ok(zh, extra) and not _place_ok(zh, extra):
            found.append(Found(zh, PERSON, start, pos, "jieba-nr"))
        elif flag in ("ns", "nr") and _place_ok(zh, extra):
            # 滕州 + 市: the division suffix jieba splits off belongs to the name
            if (text[pos : pos + 1] and text[pos] in "市区县镇乡" and zh[-1] not in "市区县镇乡省"
                    and _place_ok(text[start : pos + 1], extra)):
                zh = text[start : pos + 1]
            found.append(Found(zh, PLACE, start, start + len(zh), "jieba-ns"))
    for rule, pattern in zip(("after-title", "before-verb"), _context_patterns()):
        for m in pattern.finditer(text):
            zh = m.group("name")
            if _person_ok(zh, extra) and not _place_ok(zh, extra):
                found.append(Found(zh, PERSON, m.start("name"), m.end("name"), rule))
    for table in (extra or {}, tables().known):
        for zh, k in table.items():
            for m in re.finditer(re.escape(zh), text):
                found.append(Found(zh, k.kind, m.start(), m.end(), "table"))
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Found] = []
    for f in found:
        if kept and f.start < kept[-1].end:
            continue
        kept.append(f)
    return kept


# ------------------------------------------------------------------------------------------------- per article


@dataclass
class NameEntry:
    zh: str
    en: str
    kind: str
    sentence_ids: list[str] = field(default_factory=list)
    others: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {"zh": self.zh, "en": self.en, "kind": self.kind, "sentence_ids": list(self.sentence_ids)}

    def expected(self) -> list[str]:
        """English forms that count as the name being there (checked letters only, any case)."""
        forms = [self.en, *self.others]
        if self.kind == PLACE:
            forms += [x for x in (place_core(self.zh),) if x]
        if self.kind == PERSON and " " in self.en:
            family, given = self.en.split(" ", 1)
            forms.append(f"{given} {family}")  # Western order
            if family == "Lyu":
                forms += [f"Lu {given}", f"Lv {given}", f"Lü {given}"]
        return forms


def romanize(zh: str, kind: str, extra: dict[str, Known] | None = None) -> str:
    return romanize_person(zh, extra) if kind == PERSON else romanize_place(zh, extra)


def _letters(text: str) -> str:
    return re.sub(r"[^a-zà-ÿü]", "", text.lower())


def english_has(en: str, forms: Iterable[str]) -> bool:
    """Whether any of `forms` occurs in `en`, comparing letters only (`Zhang Huan-ze` has `Zhang Huanze`)."""
    text = _letters(en)
    return any(_letters(f) and _letters(f) in text for f in forms)
