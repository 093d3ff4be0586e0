"""Lay source documents out as raw page dumps in a paper's style, with gold by construction.

A page is built line by line: every physical line gets a label (lines.tsv) and every unit goes into a gold item at
the same time, so the gold cannot disagree with the page. Labels: furniture, kicker, headline, subtitle, byline,
dateline, body_start, body_cont, subheading, caption, credit, editor_note, end_matter, marker. `dateline` is the line
that opens with the article's dateline (its byline and first words may follow on it). `body_cont` is any
line that continues the paragraph above it across a column break (whatever the paragraph's kind): it is exactly
the gold's `|` joins. Gold roles of the others: editor_note → a body paragraph (`——编 者` → marker), end_matter →
marker, credit → caption inside an article or the byline of a photo.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import re
import unicodedata
from dataclasses import dataclass, field

from . import styles as S
from .sources import ATTRIBUTION, OUTLET_DATELINE, Doc, authors_of, paragraphs_of

JOIN = "|"
SENTENCE_END = "。！？!?；"
LINE_START_FORBIDDEN = "，。、；：！？）》」』”’…%,.;:!?)"
_CONVERTERS: dict[str, object] = {}


def convert(text: str, script: str) -> str:
    """Simplified text in the page's script: Taiwan (s2twp) or Hong Kong (s2hk) Traditional, 「」 quotes."""
    if script == "hans":
        return text
    import opencc

    cfg = {"tw": "s2twp", "hk": "s2hk"}[script]
    if cfg not in _CONVERTERS:
        _CONVERTERS[cfg] = opencc.OpenCC(cfg)
    out = _CONVERTERS[cfg].convert(text)  # type: ignore[attr-defined]
    return out.translate(str.maketrans({"“": "「", "”": "」", "‘": "『", "’": "』"}))


def _word_inside(text: str, i: int) -> bool:
    """Whether offset i falls inside a run of Latin letters or digits."""
    return 0 < i < len(text) and text[i - 1].isascii() and text[i].isascii() and text[i - 1].isalnum() \
        and text[i].isalnum()


def _units(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WFA" else 1


@dataclass
class Builder:
    style_name: str
    rng: random.Random
    lines: list[tuple[str, str]] = field(default_factory=list)
    items: list[dict] = field(default_factory=list)
    art: dict | None = None
    notes: set[str] = field(default_factory=set)  # conventions filled with hand-written text

    def __post_init__(self) -> None:
        self.style = S.STYLES[self.style_name]
        self.script = self.style["script"]
        r = self.rng
        self.width = r.randint(*self.style["width"]) if self.style["width"][1] else 0
        self.wrap = r.choice(self.style["wrap"])
        self.blank = r.random() < self.style["blank"]
        self.indent = r.choice(self.style["indent"])
        day = dt.date(2019, 1, 1) + dt.timedelta(days=r.randint(0, 1800))
        self.date, self.day = f"{day.year}年{day.month}月{day.day}日", day
        self.page_no = r.randint(1, 20)

    # ---- text in the page's conventions -------------------------------------------------------------------
    def cv(self, text: str) -> str:
        return convert(text, self.script)

    def name(self) -> str:
        r = self.rng
        return r.choice(S.SURNAMES) + "".join(r.choice(S.GIVEN) for _ in range(r.choice([1, 2, 2])))

    def fill(self, fmt: str, section: str = "") -> tuple[str, list[str]]:
        """A format from the style table with names, places and dates filled in, and the names it used."""
        names: list[str] = []
        r = self.rng

        def sub(m: re.Match[str]) -> str:
            key, spec = m["key"], m["spec"] or ""
            if key == "name":
                n = self.name()
                names.append(n)
                return n
            if key == "names":
                ns = [self.name() for _ in range(r.randint(1, 3))]
                names.extend(ns)
                return r.choice(["  ", " "]).join(ns)
            if key == "spaced":
                n = r.choice(S.SURNAMES) + r.choice(S.GIVEN)
                names.append(n)
                return n[0] + "  " + n[1]
            if key == "city":
                return r.choice(S.CITIES)
            if key == "twcity":
                return r.choice(S.TW_CITIES)
            if key in ("m", "d"):
                return str(self.day.month if key == "m" else self.day.day)
            if key == "date":
                return self.date
            if key == "wd":
                return S.WEEKDAYS[self.day.weekday()]
            if key == "page":
                return format(self.page_no, spec[1:]) if spec else str(self.page_no)
            if key == "section":
                return section
            if key == "paper":
                return self.style["paper"]
            raise KeyError(key)

        text = re.sub(r"\{(?P<key>\w+)(?P<spec>:[^}]*)?\}", sub, fmt)
        return self.cv(text), [self.cv(n) for n in names]

    # ---- lines and items -----------------------------------------------------------------------------------
    def line(self, text: str, label: str) -> None:
        self.lines.append((text, label))

    def other(self, text: str, label: str = "furniture") -> None:
        self.close()
        self.line(text, label)
        self.items.append({"kind": "other", "zh": text.strip()})

    def open(self, kind: str = "article") -> None:
        self.close()
        self.art = {"kind": kind, "headlines": [], "byline": None, "dateline": None, "paragraphs": [],
                    "truncated": False}

    def close(self) -> None:
        if self.art is not None:
            self.items.append(self.art)
            self.art = None

    def head(self, role: str, text: str) -> None:
        assert self.art is not None
        self.line(text, {"kicker": "kicker", "main": "headline", "subtitle": "subtitle"}[role])
        self.art["headlines"].append({"role": role, "zh": text.strip()})

    def byline(self, text: str, authors: list[str], label: str = "byline") -> None:
        """A byline line, or two (`□记者 X` / `通讯员 Y 报道`: one byline over two lines)."""
        assert self.art is not None
        for part in text.split("\n"):
            self.line(part, label)
        self.art["byline"] = {"zh": " ".join(part.strip() for part in text.split("\n")), "authors": authors}

    def single(self, text: str, role: str, label: str) -> None:
        """A paragraph that is never broken: a sub-heading, a marker, a credit, a short caption."""
        assert self.art is not None
        self.line(self.indent_for(label) + text, label)
        self.art["paragraphs"].append({"role": role, "zh": text.strip()})

    def indent_for(self, label: str) -> str:
        return self.indent if label in ("body_start", "editor_note") else ""

    def para(self, body: str, role: str = "body", label: str = "body_start", dateline: str | None = None,
             byline: str | None = None, authors: list[str] | None = None, sep: str = "") -> None:
        """A paragraph, perhaps led inline by a dateline and a bracketed byline, broken at the column width."""
        assert self.art is not None
        prefix = (dateline or "") + sep + (byline or "")
        if dateline:
            self.art["dateline"] = dateline
        if byline:
            self.art["byline"] = {"zh": byline, "authors": authors or []}
        lead = self.indent_for(label) + prefix
        cuts = self.cuts(lead, body)
        full = lead + body
        bounds = [0, *cuts, len(full)]
        pieces = [full[a:b] for a, b in itertools.pairwise(bounds)]
        first = "dateline" if dateline else label  # the line that opens with the article's dateline
        if cuts and cuts[0] == len(lead) and prefix:
            self.line(pieces.pop(0), "dateline")  # the dateline and byline fill the first line
            first = label
            cuts = cuts[1:]
        for k, piece in enumerate(pieces):
            self.line(piece, first if k == 0 else "body_cont")
        rel = [c - len(lead) for c in cuts]
        own = OUTLET_DATELINE.match(body) if not prefix and not self.art["paragraphs"] else None
        if own and not any(0 < c < own.end() for c in rel):  # the page as it is; the gold reads the dateline
            self.art["dateline"] = own.group(0)
            at = len(self.lines) - len(pieces)
            self.lines[at] = (self.lines[at][0], "dateline")
            if rel and rel[0] == own.end():
                self.lines[at + 1] = (self.lines[at + 1][0], label)  # the dateline filled the first line
                rel = rel[1:]
            body, rel = body[own.end():], [c - own.end() for c in rel]
        gold = JOIN.join(body[a:b] for a, b in zip([0, *rel], [*rel, len(body)]))
        self.art["paragraphs"].append({"role": role, "zh": gold.strip()})

    def cuts(self, lead: str, body: str) -> list[int]:
        """Where the column breaks fall in lead+body (offsets into it)."""
        full, n0, r = lead + body, len(lead), self.rng
        # a closing quote with more of the paragraph after it: the break falls right after the quote often (always
        # a candidate when what follows is the speaker: `…左右。”` | `果农张德顺说。`)
        speaker = [n0 + m.end() for m in re.finditer(r"[。！？][”」]", body)
                   if ATTRIBUTION.match(body[m.end():m.end() + 16].split("。")[0] + "。")]
        forced = sorted(set(speaker) | {n0 + m.end() for m in re.finditer(r"[。！？][”」]", body)
                                        if m.end() < len(body) and r.random() < 0.3})
        out: list[int] = []
        if self.wrap == "all" and self.width:
            cap, used, i = 2 * self.width, 0, 0
            while i < len(full):
                u = _units(full[i])
                if used + u > cap and i > 0:
                    cut = i
                    while cut < len(full) and full[cut] in LINE_START_FORBIDDEN:
                        cut += 1
                    while cut < len(full) and (full[cut - 1].isspace() or full[cut].isspace()):
                        cut += 1
                    back = cut
                    while back > i - 8 and _word_inside(full, back):
                        back -= 1  # a number or a Latin word is not split over two lines
                    if not _word_inside(full, back) and back > 0:
                        cut = back
                    near = [f for f in forced if 0 < cut - f <= 4]
                    if near and r.random() < 0.7:
                        cut = near[0]
                    if cut <= n0:
                        cut = n0 if n0 and (not out or out[-1] < n0) else -1
                    if cut >= len(full):
                        break
                    if cut > 0 and (not out or cut > out[-1]):
                        out.append(cut)
                        i, used = cut, 0
                        continue
                used += u
                i += 1
        elif self.wrap == "sparse":
            ok = [i for i in range(n0 + 2, len(full) - 1)
                  if full[i - 1] not in SENTENCE_END + "”」" and not full[i - 1].isspace() and not full[i].isspace()
                  and full[i] not in LINE_START_FORBIDDEN and not _word_inside(full, i)
                  and (re.search("[，、；：]", full[n0:i]) or i - n0 > 16)]
            k = r.choice([0, 0, 1, 1, 2]) if len(full) > 30 else 0
            out = []
            for c in r.sample(ok, len(ok)):  # pieces of at least 10 characters, as column lines are
                if len(out) == k:
                    break
                if all(abs(c - o) >= 10 for o in out) and c - n0 >= 10 and len(full) - c >= 4:
                    out.append(c)
            out.sort()
            out = sorted(set(out) | {f for f in forced if f < len(full) and r.random() < 0.7})
        elif self.wrap == "none":
            out = [f for f in speaker if f < len(full)]  # a quote and its speaker on two lines of a web page
        return [c for c in out if n0 < c < len(full) or (c == n0 and n0 > 0 and lead.strip())]

    def text(self) -> str:
        """The page: a blank line between all lines or none, Windows line ends on some pages, and trailing spaces
        left on a few lines (as copied pages have them)."""
        self.close()
        r = random.Random(len(self.lines) * 7919 + sum(map(len, (t for t, _ in self.lines))))
        nl = "\r\n" if r.random() < 0.08 else "\n"
        self.lines = [(t + r.choice(["  ", " ", "\u3000"]) if t.strip() and r.random() < 0.03 else t, label)
                      for t, label in self.lines]
        sep = nl * 2 if self.blank else nl
        return sep.join(t for t, _ in self.lines) + nl

    def tsv(self) -> str:
        return "".join(f"{t}\t{label}\n" for t, label in self.lines if t.strip())


# ---- pages --------------------------------------------------------------------------------------------------

def _clause(sentence: str, lo: int = 6, hi: int = 16) -> str | None:
    """A clause of real text short enough to serve as a sub-head or bullet (no punctuation inside)."""
    for part in re.split(r"[，。；：！？、“”《》（）()]", sentence):
        part = part.strip()
        if lo <= len(part) <= hi and not re.search(r"[\s\d]", part[:1]):
            return part
    return None


ATTRIBUTIONS = ["{name}说。", "村民{name}说。", "该负责人表示。", "{name}告诉记者。", "果农{name}说。", "市民{name}说。",
                "{name}介绍。", "他说。", "她说。", "专家{name}表示。"]


def _attribute(rng: random.Random, text: str) -> str:
    """A paragraph that ends in a closing quote often goes on with its speaker (`…左右。”果农张德顺说。`): where the
    source leaves the speaker out, one is added (hand-written), so the column break after `”` is common enough."""
    if re.search(r"[。！？]”$", text) and rng.random() < 0.5:
        fmt = rng.choice(ATTRIBUTIONS)
        return text + fmt.replace("{name}", rng.choice(S.SURNAMES) + rng.choice(S.GIVEN) + rng.choice(["", *S.GIVEN]))
    return text


REPORTED = re.compile(r"^(?P<who>[^，。“”]{2,14}(?:表示|说|介绍|指出|认为))，(?P<what>[^“”]+。)$")


def _quote(rng: random.Random, blocks: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Reported speech as a quote and its speaker half the time (`孔令强说，这种飞机…。` → `“这种飞机…。”孔令强说。`), the
    way papers print it, so the break after a closing quote is common enough to learn."""
    out = []
    for kind, s in blocks:
        m = REPORTED.match(s) if kind == "sent" else None
        out.append((kind, f"“{m['what']}”{m['who']}。" if m and rng.random() < 0.5 else s))
    return out


def _body(doc: Doc, rng: random.Random, limit: int) -> list[tuple[str, str]]:
    paras, total = paragraphs_of(_quote(rng, doc.blocks), rng), 0
    out: list[tuple[str, str]] = []
    paras = [(k, _attribute(rng, t) if k == "body" else t) for k, t in paras]
    for kind, text in paras:
        if total > limit and out:
            break
        out.append((kind, text))
        total += len(text)
    while out and out[-1][0] != "body":
        out.pop()
    return out


def header(b: Builder) -> None:
    st, r = b.style, b.rng
    sections = S.TW_SECTIONS if b.script == "tw" else S.HK_SECTIONS if b.script == "hk" else S.SECTIONS
    section = r.choice(sections)
    fmts = st["header"]
    for fmt in r.sample(fmts, r.randint(1, min(3, len(fmts)))) if fmts else []:
        b.other(b.fill(fmt, section)[0])
    if st["p"].get("section_label", 0) > r.random():
        b.other(b.cv(section), "furniture")


def footer(b: Builder) -> None:
    if b.style.get("qr", 0) > b.rng.random():
        b.other(b.cv(b.rng.choice(S.QR_LABELS)))
    if b.style["footer"] and b.rng.random() < 0.7:
        b.other(b.fill(b.rng.choice(b.style["footer"]))[0])


def headlines(b: Builder, doc: Doc, p: dict) -> None:
    r = b.rng
    if p.get("column_name", 0) > r.random():
        b.head("kicker", b.cv(r.choice(S.COLUMN_NAMES)))
        b.notes.add("column name")
    elif p.get("question_kicker", 0) > r.random():
        b.head("kicker", b.cv(r.choice(S.QUESTION_KICKERS)))
        b.notes.add("question kicker")
    elif p.get("kicker", 0) > r.random():
        b.head("kicker", b.cv(r.choice(S.KICKERS)))
        b.notes.add("kicker")
    main, _, sub = re.sub(r"\s*—\s*—\s*", "——", doc.headline or "").partition("——")
    main = b.cv(main.strip())  # a site's one-line title `主题 — — 论…` is printed as main + ——subtitle
    if p.get("column_tag", 0) > r.random():
        main += b.cv(r.choice(S.COLUMN_TAGS))
        b.notes.add("column tag")
    b.head("main", main)
    if sub:
        b.head("subtitle", b.cv("——" + sub.strip()))
    elif p.get("subtitle", 0) > r.random():
        b.head("subtitle", b.cv(r.choice(S.SUBTITLES)))
        b.notes.add("subtitle")


def photo(b: Builder, doc: Doc, titled: bool | None = None) -> None:
    """A news photo: perhaps a title, a caption from the document, its credit inline or on its own line."""
    r = b.rng
    caps = [t for k, t in doc.blocks if k == "cap"] or [t for k, t in doc.blocks if k == "sent" and len(t) < 60]
    if not caps:
        return
    b.open("photo")
    if titled if titled is not None else r.random() < 0.4:
        title = _clause(caps[0], 4, 10) or (doc.headline or "")[:10]
        b.head("main", b.cv(title))
    cap = b.cv(r.choice(caps))
    if not cap.startswith(("图为", "圖為")) and r.random() < 0.8:
        cap = b.cv(r.choice(["图为", "▲", ""])) + cap
    credit, names = b.fill(r.choice(["本报记者 {name}摄", "新华社记者 {name} 摄", "记者 {name} 摄", "{name} 摄"]))
    if r.random() < 0.4:
        line = cap + r.choice(["  ", " ", "\u3000\u3000"]) + credit
        b.line(line, "caption")
        b.art["paragraphs"].append({"role": "caption", "zh": cap})  # type: ignore[index]
        b.art["byline"] = {"zh": credit, "authors": names}  # type: ignore[index]
    else:
        b.single(cap, "caption", "caption")
        b.byline(credit, names, "credit")
    b.notes.add("photo credit")
    b.close()


def news_article(b: Builder, doc: Doc, limit: int = 500) -> None:
    st, r = b.style, b.rng
    p = st["p"]
    b.open()
    headlines(b, doc, p)
    body = _body(doc, r, limit)
    if p.get("bullets", 0) > r.random():
        bullets = [c for c in (_clause(t, 8, 22) for k, t in body if k == "body") if c][:3]
        if len(bullets) >= 2:
            for c in bullets:
                b.single(b.cv("■" + c), "body", "body_start")
            b.notes.add("bullets (clauses of the article)")
    dateline = byline = None
    authors: list[str] = []
    own = doc.dateline and (doc.dateline.startswith(("新华社", "中新")) and b.style_name in ("wire", "national"))
    if own:
        dateline, byline = b.cv(doc.dateline or ""), b.cv(doc.byline) if doc.byline else None
        authors = authors_of(byline) if byline else []
        if not byline and b.style_name == "wire" and r.random() < 0.5:
            byline, authors = b.fill(r.choice(st["inline_byline_form"]))
    elif st["dateline"] and r.random() < 0.7:
        dateline = b.fill(r.choice(st["dateline"]))[0]
        if st["inline_byline"] > r.random():
            byline, authors = b.fill(r.choice(st.get("inline_byline_form") or ["（记者 {name}）"]))
    if byline is None and st["byline"] and r.random() < 0.85:
        text, names = b.fill(r.choice(st["byline"]))
        b.byline(text, names)
    if p.get("editor_note", 0) > r.random():
        if r.random() < 0.5:
            b.single(b.cv(r.choice(S.OPENING_NOTES)), "subheading", "editor_note")
            b.para(b.cv(r.choice(S.EDITOR_NOTES).removeprefix("编者按：")), "body", "body_start")
            b.single(b.cv(r.choice(S.EDITOR_SIGNATURES)), "marker", "editor_note")
        else:
            b.para(b.cv(r.choice(S.EDITOR_NOTES)), "body", "editor_note")
        b.notes.add("editor's note")
    if p.get("continued", 0) > r.random() / 2 and r.random() < 0.5:
        b.single(b.cv(r.choice(["（上接第一版）", "（上接第1版）"])), "marker", "marker")
        b.notes.add("continued-from marker")
    numbered = p.get("numbered_subs", 0) > r.random()
    n_sub, first = 0, True
    for i, (kind, text) in enumerate(body):
        if numbered and kind == "body" and (i == 1 or (i > 1 and i % 3 == 1)) and n_sub < 5:
            sub = _clause(text, 5, 12)
            if sub:
                b.single(b.cv(S.NUMERALS[n_sub] + "、" + sub), "subheading", "subheading")
                n_sub += 1
                b.notes.add("numbered sub-heads (clauses of the article)")
        if kind == "sub":
            b.single(b.cv(text), "subheading", "subheading")
        elif kind == "cap":
            b.single(b.cv(text), "caption", "caption")
        elif first:
            sep = r.choice(["\u3000\u3000", " ", ""]) if dateline and not byline else ""
            b.para(b.cv(text), dateline=dateline, byline=byline, authors=authors, sep=sep)
            first = False
        else:
            b.para(b.cv(text))
        if i == 0 and kind == "body" and p.get("list", 0) > r.random():
            clauses = [c for c in (_clause(t, 6, 20) for k, t in body[1:] if k == "body") if c][:4]
            if len(clauses) >= 2:
                b.para(b.cv(r.choice(S.LIST_LEADS)))
                form = r.choice(S.LIST_FORMS)
                for n, c in enumerate(clauses, 1):
                    end = "。" if n == len(clauses) else r.choice(["；", ""])
                    lead = form.format(n=n, cn=S.NUMERALS[n - 1])
                    b.single(b.cv(lead + (c[1:] if lead.endswith("是") and c.startswith("是") else c) + end),
                             "body", "body_start")
                b.notes.add("list (clauses of the article, hand-written lead-in)")
        if i == 1 and p.get("inner_caption", 0) > r.random():
            caps = [t for k, t in doc.blocks if k == "cap"]
            cap = b.cv(caps[0] if caps else "图为" + (_clause(text, 8, 20) or "现场") + "。")
            b.single(cap, "caption", "caption")
            b.single(b.fill(r.choice(["本报记者 {name}摄", "{name} 摄"]))[0], "caption", "credit")
            b.notes.add("caption in an article")
    if p.get("continued", 0) > r.random() and not st.get("end_marker"):
        b.single(b.cv(f"（下转第{r.choice(S.NUMERALS[1:])}版）"), "marker", "marker")
        b.art["truncated"] = True  # type: ignore[index]
        b.notes.add("continued-on marker")
    if st.get("end_marker"):
        b.single(b.cv(r.choice(st["end_marker"])), "marker", "marker")
    if p.get("author_note", 0) > r.random():
        b.single(b.cv(r.choice(S.AUTHOR_NOTES)), "marker", "end_matter")
        b.notes.add("author note")
    if p.get("credit", 0) > r.random():
        b.single(b.fill(r.choice(S.GRAPHIC_CREDITS))[0], "caption", "credit")
        b.notes.add("graphic credit")
    b.close()


def briefs_page(b: Builder, docs: list[Doc]) -> None:
    st, r = b.style, b.rng
    for doc in docs:
        if st["p"].get("brief_label", 0) > r.random():
            b.other(b.cv(r.choice(S.TW_BRIEF_LABELS if b.script == "tw" else S.BRIEF_LABELS)), "furniture")
        if st["p"].get("photo", 0) > r.random():
            photo(b, doc, titled=False)
            continue
        b.open()
        headlines(b, doc, {"kicker": st["p"].get("kicker", 0)})
        body = [t for k, t in _body(doc, r, r.randint(60, 220)) if k == "body"]
        dl = b.fill(r.choice(st["dateline"]))[0]
        by, names = b.fill(r.choice(st["inline_byline_form"]))
        for k, text in enumerate(body[:r.randint(1, 2)]):
            if k == 0:
                b.para(b.cv(text), dateline=dl, byline=by, authors=names)
            else:
                b.para(b.cv(text))
        b.close()


def interview_page(b: Builder, doc: Doc) -> None:
    r = b.rng
    b.open()
    b.head("main", b.cv(doc.headline or ""))
    who = b.name()
    b.head("subtitle", b.cv(f"——访{r.choice(['相关部门负责人', '市长', '研究院院长', '企业负责人'])}{who}"))
    text, names = b.fill(r.choice(b.style["byline"]))
    b.byline(text, names)
    body = [t for k, t in _body(doc, r, 600) if k == "body"]
    if not body:
        b.close()
        return
    b.para(b.cv(body[0]))
    qs = r.sample(S.INTERVIEW_QUESTIONS, min(len(S.INTERVIEW_QUESTIONS), max(1, len(body) - 1)))
    for q, ans in zip(qs, body[1:]):
        b.para(b.cv(r.choice(["记者：", "问："]) + q))
        b.para(b.cv(r.choice(["答：", f"{who[0]}：", ""]) + ans))
    b.notes.add("interview questions")
    b.close()


def commentary_page(b: Builder, docs: list[Doc]) -> None:
    for doc in docs:
        news_article(b, doc, limit=b.rng.randint(200, 450))


def photo_page(b: Builder, docs: list[Doc]) -> None:
    r = b.rng
    if r.random() < 0.4:
        b.other(b.cv(r.choice(["组图", "图片新闻", "视觉"])), "furniture")
    for doc in docs[:-1]:
        photo(b, doc)
    news_article(b, docs[-1], limit=250)


def roundup_page(b: Builder, docs: list[Doc]) -> None:
    r = b.rng
    lead, pieces = docs[0], docs[1:]
    b.open()
    b.head("kicker", b.cv(r.choice(S.ROUNDUP_KICKERS)))
    b.head("main", b.cv(lead.headline or ""))
    names: list[str] = []
    for doc in pieces:
        body = [t for k, t in _body(doc, r, r.randint(80, 260)) if k == "body"]
        if not body:
            continue
        sub = doc.headline if doc.headline and len(doc.headline) <= 18 else _clause(body[0], 6, 14)
        if sub:
            b.single(b.cv(sub), "subheading", "subheading")
        city = r.choice(S.FOREIGN_CITIES)
        for k, text in enumerate(body[:2]):
            b.para(b.cv((city + "——" if k == 0 else "") + text))
        names.append(b.name())
    if names:
        b.single(b.cv("（本报记者" + "、".join(names) + "）"), "marker", "end_matter")
    b.notes.add("roundup city lines and kicker")
    b.close()


SITE_SUFFIXES = ["-新华网", "-中新网", " - 中新网", "_新华网", "-人民网"]  # never `|`: the gold join mark


def webdump_page(b: Builder, docs: list[Doc]) -> None:
    r = b.rng
    for doc in docs:
        b.open()
        if doc.headline:
            b.head("main", doc.headline + (r.choice(SITE_SUFFIXES) if r.random() < 0.5 else ""))
        first = True
        sents = doc.blocks[: r.randint(3, 8)]
        i = 0
        while i < len(sents):
            kind, text = sents[i]
            if kind == "sub":
                b.single(text, "subheading", "subheading")
            elif kind == "cap":
                b.single(text, "caption", "caption")
            else:
                if i + 1 < len(sents) and sents[i + 1][0] == "sent" and ATTRIBUTION.match(sents[i + 1][1]):
                    text += sents[i + 1][1]  # the attribution stands on its own line, as on the site
                    i += 1
                if first and doc.dateline:
                    b.para(text, dateline=doc.dateline, byline=doc.byline,
                           authors=authors_of(doc.byline) if doc.byline else [], sep=r.choice(["", " "]))
                else:
                    b.para(text)
                first = False
            i += 1
        while b.art and b.art["paragraphs"] and b.art["paragraphs"][-1]["role"] != "body":
            b.art["paragraphs"].pop()
            b.lines.pop()
        b.close()


def build_page(style: str, docs: list[Doc], rng: random.Random) -> Builder:
    """One page of `style` from `docs` (the builder holds its text, labels, gold items and notes)."""
    b = Builder(style, rng)
    kind = b.style.get("page_type", "news")
    if kind != "webdump":
        header(b)
    if kind == "briefs":
        briefs_page(b, docs)
    elif kind == "interview":
        interview_page(b, docs[0])
    elif kind == "commentary":
        commentary_page(b, docs)
    elif kind == "photo":
        photo_page(b, docs)
    elif kind == "roundup":
        roundup_page(b, docs)
    elif kind == "webdump":
        webdump_page(b, docs)
    else:
        p = b.style["p"]
        for doc in docs:
            if p.get("roundup", 0) > rng.random() and doc is docs[0] and len(docs) >= 3:
                roundup_page(b, docs[:3])
                continue
            if doc in docs[1:3] and p.get("roundup", 0) and b.notes & {"roundup city lines and kicker"}:
                continue
            news_article(b, doc, limit=rng.randint(120, 380))
            if p.get("photo", 0) > rng.random():
                photo(b, doc)
    if kind != "webdump":
        footer(b)
    b.close()
    return b
