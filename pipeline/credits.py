"""Bylines and datelines in English by rule, as English-language wires write them; the model never sees them.

- `新华社北京11月7日电（记者 周文 吴佳）` → `BEIJING, Nov. 7 (Xinhua) -- by Zhou Wen and Wu Jia`
- `本报枣庄讯` → `ZAOZHUANG (Dazhong Daily) --` (the paper known from the page), else `ZAOZHUANG --`
- `□ 本报记者 张环泽` → `By Zhang Huanze, staff reporter`
- `本報記者 陳美玲／臺北報導` → `By Chen Meiling, staff reporter, Taipei`

The papers and agencies (pipeline/data/agencies.tsv) and the byline roles (pipeline/data/credit_roles.tsv) are
tables; names are romanised by pipeline.names. Relation to pipeline/zh.py (the layout engineer's module of
Chinese-text knowledge): zh.py knows which words *are* agencies and roles, so that layout can find bylines; these
tables say what they are called *in English*. Both list 新华社, 中新社, …; when zh.py lands, its agency list can be
derived from agencies.tsv's zh column (or the other way round) so the two never disagree.

A text this module cannot read in full returns None, and the unit goes to the model as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from .names import (
    Known,
    _place_ok,
    known,
    pinyin_word,
    romanize_person,
    romanize_place,
    simplified,
    split_person,
)
from .zh import data_rows

if TYPE_CHECKING:
    from .document import Page

RULE_BASED = "rule_based"

# AP style month abbreviations, as the wires write datelines (`BEIJING, Nov. 7 (Xinhua) --`).
MONTHS = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")
_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
_NUM = r"(?:[0-9０-９]{1,2}|[一二三四五六七八九十〇]{1,3})"
_HAN = r"\u4e00-\u9fff"
BYLINE_MARKS = "□■◇◆"
DASH = "--"


@dataclass(frozen=True)
class Source:
    zh: str
    en: str
    kind: str  # agency | paper | broadcaster | site


@dataclass(frozen=True)
class Role:
    zh: str
    en: str
    kind: str  # reporter | photo | text-photo | report


@lru_cache(maxsize=1)
def sources() -> tuple[Source, ...]:
    """agencies.tsv, longest name first."""
    rows = [Source(r[0], r[1], r[2]) for r in data_rows("agencies.tsv")]
    return tuple(sorted(rows, key=lambda s: len(s.zh), reverse=True))


@lru_cache(maxsize=1)
def roles() -> tuple[Role, ...]:
    """credit_roles.tsv, longest first."""
    rows = [Role(r[0], "" if r[1] == "-" else r[1], r[2]) for r in data_rows("credit_roles.tsv")]
    return tuple(sorted(rows, key=lambda r: len(r.zh), reverse=True))


def source_named(zh: str) -> Source | None:
    """The paper or agency called `zh` as printed, else in its Simplified form."""
    for key in (zh, simplified(zh)):
        for s in sources():
            if s.zh == key:
                return s
    return None


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _number(text: str) -> int:
    text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if text.isdigit():
        return int(text)
    if text.startswith("十"):
        text = "一" + text
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _CN_DIGITS.get(tens, 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return _CN_DIGITS.get(text, 0)


def date_english(month: str | None, day: str | None) -> str:
    """`11`, `7` → `Nov. 7`; a day without its month → `7th`."""
    if not day:
        return ""
    d = _number(day)
    if month:
        m = _number(month)
        if 1 <= m <= 12:
            return f"{MONTHS[m - 1]} {d}"
    suffix = "th" if 10 <= d % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")
    return f"{d}{suffix}"


def place_english(zh: str, extra: dict[str, Known] | None = None) -> str:
    """A dateline's place in capitals: `北京` → `BEIJING`, `臺北` → `TAIPEI`."""
    return romanize_place(zh, extra).upper() if zh else ""


def _patterns() -> dict[str, re.Pattern[str]]:
    src = _alternation([s.zh for s in sources()] + [simplified(s.zh) for s in sources()])
    return {
        # 新华社北京11月7日电, 中新网7月26日电, 本报北京10月9日电, 中央社记者陈美玲台北7日电
        "dispatch": re.compile(rf"^据?(?P<src>{src}|本报)(?P<place>[{_HAN}／/]{{0,12}}?)"
                               rf"(?:(?P<month>{_NUM})月)?(?P<day>{_NUM})日?电"),
        # 本报枣庄讯, 本报讯, 湖北日报讯, 【明报专讯】
        "local": re.compile(rf"^【?(?P<src>{src}|本报)(?P<place>[{_HAN}]{{0,8}}?)"
                            rf"(?:(?:(?P<month>{_NUM})月)?(?P<day>{_NUM})日)?(?:专)?讯】?"),
        # 据新华社电
        "wire": re.compile(rf"^据(?P<src>{src})电"),
    }


@lru_cache(maxsize=1)
def patterns() -> dict[str, re.Pattern[str]]:
    return _patterns()


@dataclass
class Dateline:
    en: str
    end: int  # characters of the (Simplified) text it used
    reporter: str = ""  # a name inside the dateline (`中央社记者陈美玲台北7日电`)
    place: str = ""  # a name inside the dateline (`中央社记者陈美玲台北7日电`)


def _split_name_place(text: str, extra: dict[str, Known] | None) -> tuple[str, str]:
    """`陈美玲台北` → (`陈美玲`, `台北`): the longest tail that is a place, the rest a name."""
    for i in range(1, len(text)):
        if _place_ok(text[i:], extra) and split_person(text[:i]):
            return text[:i], text[i:]
    return "", text


def parse_dateline(zh: str, paper: str | None = None, extra: dict[str, Known] | None = None) -> Dateline | None:
    """The English dateline of a text that opens with one, or None."""
    text = simplified(zh.strip())
    for pattern in patterns().values():
        m = pattern.match(text)
        if not m:
            continue
        src_zh = m.group("src")
        if src_zh == "本报":
            src_en = paper or ""
        else:
            s = source_named(src_zh)
            src_en = s.en if s else ""
        place = (m.groupdict().get("place") or "").strip("／/")
        reporter = ""
        if place.startswith("记者"):
            reporter, place = _split_name_place(place[2:], extra)
        # An unknown place is still romanised (a county the gazetteer lacks), unless it is no name at all.
        if (place and not _place_ok(place, extra) and known(place, extra) is None
                and not re.fullmatch(rf"[{_HAN}]{{2,6}}", place)):
            return None
        where = place_english(place, extra)
        tag = f"({src_en})" if src_en else ""
        if m.groupdict().get("day"):
            date = date_english(m.group("month"), m.group("day"))
            head = ", ".join(x for x in (where, date) if x)
        else:
            head = where
        if not head and not tag:
            head = "Staff report"
        en = " ".join(x for x in (head, tag, DASH) if x)
        return Dateline(en, m.end(), reporter, place)
    return None


# ------------------------------------------------------------------------------------------------- bylines


@dataclass
class _Group:
    role: Role | None = None
    agency: str = ""
    names: list[str] = field(default_factory=list)
    photo: bool = False


def _role_pattern() -> re.Pattern[str]:
    agencies = _alternation([simplified(s.zh) for s in sources()])
    role_words = _alternation([simplified(r.zh) for r in roles()])
    return re.compile(rf"(?P<agency>{agencies})?(?P<role>{role_words})|(?P<alone>{agencies})")


@lru_cache(maxsize=1)
def role_pattern() -> re.Pattern[str]:
    return _role_pattern()


def _role(zh: str) -> Role:
    return next(r for r in roles() if simplified(r.zh) == zh)


def romanize_author(zh: str, extra: dict[str, Known] | None = None) -> str:
    """A byline name: `张环泽` → `Zhang Huanze`; a transliterated name by its parts (`阿不都·热合曼`)."""
    en = romanize_person(zh, extra)
    if en:
        return en
    return " ".join(pinyin_word(p) for p in re.split(r"[·•]", zh) if p)


def _tokens(text: str) -> list[str] | None:
    """Names of a credit chunk, split at spaces and 、; a lone surname joins the next character (`王  浩`)."""
    out: list[str] = []
    for tok in re.split(r"[\s\u3000、，,;；：:]+", text):
        if not tok:
            continue
        if out and len(tok) == 1 and len(out[-1]) == 1:
            out[-1] += tok
        else:
            out.append(tok)
    return out


def _names_text(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _plural(role: str, n: int) -> str:
    return role + "s" if n > 1 and role and not role.endswith("s") else role


@dataclass
class Byline:
    en: str
    authors: list[str]  # the Chinese names, in order
    authors_en: list[str]
    has_role: bool = True  # a role word, agency or photo credit, not names alone


_PLACE_REPORT = re.compile(rf"(?:[／/]|\s)(?P<place>[{_HAN}]{{2,4}})(?:报道|报导)$")
_COMPILED = re.compile(r"^综合(?P<body>.+?)(?:报道|报导)$")


def parse_byline(zh: str, paper: str | None = None, extra: dict[str, Known] | None = None,
                 after_dateline: bool = False) -> Byline | None:
    """The English byline of a credit text (`□ 本报记者 张环泽`, `（记者 周文 吴佳）`), or None when any part of it
    is neither a role nor a name."""
    text = simplified(zh.strip()).lstrip(BYLINE_MARKS).strip()
    if len(text) >= 2 and text[0] in "（(" and text[-1] in "）)":
        text = text[1:-1].strip()
    place_en = ""
    m = _PLACE_REPORT.search(text)
    if m and _place_ok(m.group("place"), extra):
        place_en = romanize_place(m.group("place"), extra)
        text = text[: m.start()].strip()
    compiled = _COMPILED.match(text)
    if compiled:
        text = compiled.group("body")
    groups: list[_Group] = []
    pos = 0
    pieces: list[tuple[str, re.Match[str] | None]] = []
    rm: re.Match[str] | None
    for rm in role_pattern().finditer(text):
        pieces.append((text[pos : rm.start()], None))
        pieces.append((rm.group(0), rm))
        pos = rm.end()
    pieces.append((text[pos:], None))
    pending_agency = ""
    text_and_photos = False
    for chunk, rm in pieces:
        if rm is None:
            names = _tokens(chunk)
            if not names or chunk.strip(" ·•\u3000") == "":
                continue
            for n in names:
                if not (split_person(n) or re.fullmatch(rf"[{_HAN}]{{1,8}}(?:[·•][{_HAN}]{{1,8}})+", n)):
                    return None
            if not groups:
                groups.append(_Group(agency=pending_agency))
            groups[-1].names.extend(names)
            continue
        if rm.group("alone"):
            pending_agency = rm.group("alone")
            continue
        role = _role(rm.group("role"))
        agency = rm.group("agency") or pending_agency
        pending_agency = ""
        if role.kind == "report":
            continue
        if role.kind == "text-photo":
            text_and_photos = True
            continue
        if role.kind == "photo":
            if groups and not groups[-1].photo and (groups[-1].names or not agency):
                groups[-1].photo = True
                groups[-1].agency = groups[-1].agency or agency
            else:
                groups.append(_Group(role, agency, photo=True))
            continue
        groups.append(_Group(role, agency))
    groups = [g for g in groups if g.names or g.role or g.photo]
    if not groups:
        return None
    authors = [n for g in groups for n in g.names]
    printed, simp = zh.strip(), simplified(zh.strip())
    if len(printed) == len(simp):  # the names as printed (陳美玲), not in their Simplified form
        authors = [printed[simp.index(n) : simp.index(n) + len(n)] if n in simp else n for n in authors]
        for g in groups:
            g.names = [printed[simp.index(n) : simp.index(n) + len(n)] if n in simp else n for n in g.names]
    authors_en = [romanize_author(n, extra) for n in authors]
    by_zh = dict(zip(authors, authors_en))
    parts: list[tuple[str, str]] = []  # (names with agency, role label)
    photos: list[str] = []
    for g in groups:
        who = _names_text([by_zh[n] for n in g.names])
        src = source_named(g.agency) if g.agency else None
        tag = f" ({src.en})" if src else ""
        if g.photo:
            photos.append(f"Photo by {who}{tag}" if who else f"Photo: {src.en if src else 'staff'}")
            continue
        role_en = g.role.en if g.role else ""
        if role_en == "reporter":
            role_en = ""  # a plain 记者 is what a byline means anyway
        if not who:
            parts.append(("", ((f"{src.en} " if src else "") + role_en).strip()))
            continue
        parts.append((f"{who}{tag}", _plural(role_en, len(g.names))))
    text_en = ""
    if parts:
        if not parts[0][0]:
            text_en = parts[0][1][:1].upper() + parts[0][1][1:]  # 本报评论员: a collective byline
        else:
            joined = ""
            for i, (who, label) in enumerate(parts):
                if i == 0:
                    joined = who + (f", {label}" if label else "")
                elif parts[i - 1][1]:
                    joined += f", and {who}" + (f", {label}" if label else "")
                else:
                    joined += f" and {label + ' ' if label else ''}{who}"
            lead = ("Compiled from reports by " if compiled else
                    "Text and photos by " if text_and_photos else "By ")
            text_en = lead + joined
        if place_en:
            text_en += f", {place_en}"
    en = "; ".join(x for x in (text_en, *photos) if x)
    if after_dateline and en.startswith("By "):
        en = "by " + en[3:]
    return Byline(en, authors, authors_en, any(g.role or g.agency or g.photo for g in groups))


def credit_english(zh: str, paper: str | None = None, extra: dict[str, Known] | None = None) -> str | None:
    """A dateline with the credit that follows it, as one English line; or a byline alone; None when neither."""
    text = zh.strip()
    if len(text) > 2 and text[0] in "（(" and text[-1] in "）)" and parse_dateline(text[1:-1], paper, extra):
        text = text[1:-1]
    dl = parse_dateline(text, paper, extra)
    if dl is None:
        by = parse_byline(text, paper, extra)
        return by.en if by else None
    rest = text[dl.end :].strip()
    en = dl.en
    if dl.reporter:
        en += f" by {romanize_author(dl.reporter, extra)}"
    if rest:
        by = parse_byline(rest, paper, extra, after_dateline=True)
        if by is None:
            return None
        en += " " + by.en
    return en


def detect_paper(page: Page) -> str | None:
    """The English name of the paper a page comes from, when its furniture names one (`大众日报 客户端`)."""
    from .document import Other

    for item in page.items:
        if isinstance(item, Other):
            text = simplified(item.zh)
            for s in sources():
                if s.kind == "paper" and simplified(s.zh) in text:
                    return s.en
    return None

