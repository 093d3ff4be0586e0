"""Features of each line of a page for the sequence labeller (crf.py): what the named rules say of it, its shape,
and the same of its neighbours.

A feature is a name and a value (1.0 for a yes/no feature). Everything a page's text says is here; a reader of a
richer format adds measurements to `Line.geometry` (a PDF reader: `font_size` relative to the page's body text,
`x` and `width` as fractions of the column, `bold`), and they become features `geo:<name>` with their value, of the
line and (as `-1:geo:…`, `+1:geo:…`) of its neighbours, so the same labeller learns from them once pages with
geometry are in its training data; a page without them gets none, as today.
"""

from __future__ import annotations

import re

from ..zh import HAN_CLASS, SPEECH_VERBS, LineKind, printed_width
from . import rules as R
from .lines import (MIN_TEXT_LINE_CHARS, Line, _bare_headline_like, _headline_like, _subheading_like, balanced,
                    column_width, ends_sentence, fills_column, is_credit)

Features = dict[str, float]

# A page without columns where at least this share of the lines of 20 characters or more ends a sentence sets each
# paragraph on one line. In the dev gold, 29 pages are such, and of their 205 lines that end no sentence one is body
# text (85 headlines, 60 furniture, 31 credits, bylines and end matter, 11 sub-headings, 11 subtitles and kickers, 6
# markers).
ONE_LINE_PARAGRAPHS = 0.85
ONE_LINE_PARAGRAPH_MIN_CHARS = 20
# Length classes: a headline is short (≤ MAX_HEADLINE_CHARS), a column line of a narrow column 10–20 characters,
# of a wide one 20–48, a paragraph set on one line longer.
LENGTH_BOUNDS = (2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 24, 28, 32, 40, 48, 64, 96)
# The last and first characters that tell lines apart; any other character is named by its class.
SIGNAL_CHARS = set("。！？!?…”’」』）)】〕，,、；;：:—-·.．《“「『（(【■●◆▲△▼▽□◇○★☆▶►①②③④⑤⑥⑦⑧⑨⑩")

_COLUMN_TAG = re.compile(r"[（(][^（）()]{2,10}[）)]$")
_BRACKETED = re.compile(r"^[（(【\[].*[）)】\]]$")
_CAPS_LATIN = re.compile(r"^[A-Z0-9][A-Z0-9 .&'-]+$")
_END_MATTER = re.compile(r"^[（(](?:作者|本报记者|本报通讯员|记者|本文|来源|责任编辑|编辑|摄影|本版|文中|综合|根据)")
_NOTE = re.compile(r"^(?:编者按|编者的话|编后|开栏的话|写在前面|编辑手记|记者手记)")
_NOTE_SIGNATURE = re.compile(r"^[—－-]{1,2}\s*编\s*者")
_CITY_LINE = re.compile(rf"^[{HAN_CLASS}]{{2,8}}[—－]{{1,2}}")
_QA = re.compile(r"^(?:记者|问|答|主持人|[A-Z]\s*[：:])[：:]?")
# A speaker's attribution (`孔令强说。`), alone or with more of the paragraph after it (`工信部通报指出。这58款APP…`): in
# the dev gold, 36 of the 36 lines that open so right after a quotation closing a sentence go on its paragraph (26 of
# them the attribution alone); with a comma after the verb (`她透露，此次…`) 21 of 23 open a paragraph.
_ATTRIBUTION = re.compile(rf"^[^，,。“”「」]{{1,24}}(?:{SPEECH_VERBS})(?:[。！!].*)?$")
_OPENS_QUOTE = re.compile(r"^[“「『]")
_LATIN = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"[0-9０-９]")
_HAN = re.compile(f"[{HAN_CLASS}]")
# A page's QR-code or "read more" prompt (`扫码看更多`, `扫描二维码 阅读更多内容`): furniture, not text.
_QR_PROMPT = re.compile(r"扫码|扫一扫|二维码|更多精彩|阅读更多|客户端下载")


def _length_class(n: int) -> str:
    for bound in LENGTH_BOUNDS:
        if n <= bound:
            return f"≤{bound}"
    return f">{LENGTH_BOUNDS[-1]}"


def _char_class(ch: str) -> str:
    if ch in SIGNAL_CHARS:
        return ch
    if _HAN.match(ch):
        return "han"
    if _DIGIT.match(ch):
        return "digit"
    if _LATIN.match(ch):
        return "latin"
    return "other"


def _own(line: Line, rule_label: LineKind, text: str, indented: bool) -> Features:
    """The features of one line alone (`indented`: it starts with more whitespace than every line of the page)."""
    t = line.norm
    f: Features = {
        "bias": 1.0,
        f"rule={rule_label.value}": 1.0,
        f"kind={line.kind}": 1.0,
        f"len{_length_class(len(t))}": 1.0,
        f"last={_char_class(t[-1])}": 1.0,
        f"first={_char_class(t[0])}": 1.0,
    }
    if line.rule:
        f[f"rname={line.rule}"] = 1.0
    if len(t) >= 2:
        f[f"last2={_char_class(t[-2])}{_char_class(t[-1])}"] = 1.0
    flags = {
        "ends_sentence": ends_sentence(t),
        "balanced": balanced(t),
        "clause_punct": bool(R.CLAUSE_PUNCT.search(t)),
        "headline_like": _headline_like(t),
        "bare_headline_like": _bare_headline_like(t),
        "subheading_like": _subheading_like(t),
        "credit": is_credit(t),
        "column_tag_end": bool(_COLUMN_TAG.search(t)) and len(t) <= R.MAX_WEB_TITLE_CHARS,
        "bracketed": bool(_BRACKETED.match(t)),
        "end_matter": bool(_END_MATTER.match(t)),
        "graphic_credit": bool(R.GRAPHIC_CREDIT.pattern.match(t)),
        "caps_latin": bool(_CAPS_LATIN.match(t)),
        "note": bool(_NOTE.match(t)),
        "note_signature": bool(_NOTE_SIGNATURE.match(t)),
        "starts_dash": t.startswith(("——", "—")),
        "original_title": bool(R.ORIGINAL_TITLE.match(t)),
        "ends_dash": t.endswith(("——", "—")),
        "city_line": bool(_CITY_LINE.match(t)),
        "bullet": t.startswith(R.BULLETS),
        "list_item": bool(R.first_match(R.LIST_ITEMS, t)),
        "question": t.endswith(("？", "?")),
        "qa": bool(_QA.match(t)),
        "attribution": bool(_ATTRIBUTION.match(t)),
        "opens_quote": bool(_OPENS_QUOTE.match(t)),
        "dateline": bool(R.first_match(R.DATELINES, t)),
        "caption": bool(R.first_match(R.CAPTIONS, t)),
        "web_title": bool(R.WEB_TITLE_SUFFIX.search(t)),
        "names_only": _names_only(t),
        "qr_prompt": bool(_QR_PROMPT.search(t)) and len(t) <= 24,
        "traditional": t != line.text,
        "latin": bool(_LATIN.search(t)) and not _HAN.search(t),
        "indent": indented,
        "blank_before": _blank_before(text, line),
    }
    f.update({name: 1.0 for name, on in flags.items() if on})
    for name, value in line.geometry.items():
        f[f"geo:{name}"] = float(value)
    return f


def _names_only(t: str) -> bool:
    """A line of one to three personal names and nothing else (`毛  宁`, `周杰`, `李晓宏  殷淼`): the bare byline of
    a commentary or a signed piece, which the byline rules (a role word or a mark) do not take."""
    return len(t) <= 16 and is_credit(t, after_dateline=True) and not is_credit(t)


def _lead(text: str, line: Line) -> int | None:
    """The printed width of the whitespace the physical line starts with before the line; None for a piece cut off
    after text on its line."""
    bol = text.rfind("\n", 0, line.start) + 1
    return None if text[bol:line.start].strip() else printed_width(text[bol:line.start])


def _blank_before(text: str, line: Line) -> bool:
    """Whether a blank line stands before the line."""
    bol = text.rfind("\n", 0, line.start)
    return bol > 0 and text.rfind("\n", 0, bol) >= 0 and not text[text.rfind("\n", 0, bol) + 1 : bol].strip()


# Features of a neighbour that the line's label depends on (copied with the neighbour's offset as a prefix).
NEIGHBOUR_FEATURES = re.compile(r"^(?:rule=|kind=|len|last=|first=|rname=|geo:|width=|ends_sentence$|credit$|headline_like$|"
                                r"bare_headline_like$|indent$|starts_dash$|ends_dash$|dateline$|caption$|bullet$|"
                                r"list_item$|note$|note_signature$|end_matter$|graphic_credit$|question$|blank_before$|opens_quote$|"
                                r"names_only$|qr_prompt$|caps_latin$|original_title$)")


def _physical_length(text: str, line: Line, base_indent: int = 0) -> int:
    """The printed width (half-width units) of the line up to the line's end, its indent included (a column's lines
    fill the same width whether or not they open a paragraph), less the whitespace every line starts with."""
    return printed_width(text[text.rfind("\n", 0, line.start) + 1 : line.end]) - base_indent


def page_features(text: str, lines: list[Line], rule_labels: list[LineKind]) -> list[Features]:
    """The features of every line of a page, its own and its neighbours' (two each side)."""
    # An indent is whitespace beyond what every line of the page starts with: a page that indents all its lines (or
    # a paste that adds the same indent to each) reads as the page without it.
    leads = [_lead(text, line) for line in lines]
    base = min((lead for lead in leads if lead is not None), default=0)
    own = [_own(line, lab, text, (lead or 0) > base) for line, lab, lead in zip(lines, rule_labels, leads)]
    # Page style: whether this page indents its paragraphs (then a flush line after a full stop is a column break,
    # and an indented one a new paragraph) and whether it sets blank lines between lines.
    texty = [f for f, line in zip(own, lines) if len(line.norm) >= MIN_TEXT_LINE_CHARS]
    indents = sum(1 for f in texty if f.get("indent")) / len(texty) if texty else 0.0
    style = "page_indents" if 0.1 <= indents <= 0.9 else "page_all_indented" if indents > 0.9 else "page_flush"
    blanks = sum(1 for f in own if f.get("blank_before")) / len(own) if own else 0.0
    for f in own:
        # Whitespace that every line has (or none has) says nothing: the structure must not depend on it.
        if style != "page_indents":
            f.pop("indent", None)
        if blanks > 0.8:
            f.pop("blank_before", None)
    # The column width: the commonest length of a text line (a line of a column-broken paragraph fills the column;
    # a paragraph's last line rarely does, so a full line that ends a sentence may still go on).
    phys = [_physical_length(text, line, base) for line in lines]
    width = column_width(phys)
    # A page with no column whose text lines nearly all end a sentence sets each paragraph on one line (web copy): there
    # a line that ends no sentence is no paragraph's piece but a heading or furniture.
    long_ends = [bool(f.get("ends_sentence")) for f, line in zip(own, lines)
                 if len(line.norm) >= ONE_LINE_PARAGRAPH_MIN_CHARS]
    closed = not width and bool(long_ends) and sum(long_ends) >= ONE_LINE_PARAGRAPHS * len(long_ends)

    out: list[Features] = []
    for i, f in enumerate(own):
        feats = dict(f)
        feats[style] = 1.0
        if width:
            ratio = phys[i] / width
            feats["width=" + ("full" if fills_column(phys[i], width) else "over" if ratio > 1 else
                              "most" if ratio >= 0.75 else "half" if ratio >= 0.4 else "short")] = 1.0
        else:
            feats["width=none"] = 1.0
        if lines[i].rule:
            # a named rule says more on a page without columns, where a short bare line cannot be a column's fragment
            # (the stacked-headline rule: see crf.RULE_FALLBACK_NO_COLUMN)
            fit = "none" if not width else "full" if fills_column(phys[i], width) else "part"
            feats[f"rname={lines[i].rule}&width={fit}"] = 1.0
        if style == "page_indents":
            feats[f"{style}&{'indent' if f.get('indent') else 'flush'}"] = 1.0
        if closed:
            feats[f"one_line_paragraphs&{'closed' if f.get('ends_sentence') else 'open'}"] = 1.0
        for d in (-2, -1, 1, 2):
            j = i + d
            if not 0 <= j < len(own):
                feats[f"{d:+d}:none"] = 1.0
                continue
            for name, value in own[j].items():
                if NEIGHBOUR_FEATURES.match(name):
                    feats[f"{d:+d}:{name}"] = value
        if i:
            prev, cur = lines[i - 1].norm, lines[i].norm
            feats[f"pair:rule={rule_labels[i - 1].value}>{rule_labels[i].value}"] = 1.0
            pair = (f"pair:{'closed' if ends_sentence(prev) else 'open'}_then_"
                    f"{'indent' if f.get('indent') else 'flush'}")
            feats[f"{pair}&{style}"] = 1.0
            feats[f"{pair}&prev_{'full' if fills_column(phys[i - 1], width) else 'not_full'}"] = 1.0
            if len(prev) >= len(cur):
                feats["pair:prev_not_shorter"] = 1.0
            if prev.endswith(tuple("”」』")) and f.get("attribution"):
                feats["pair:quote_then_attribution"] = 1.0
        out.append(feats)
    return out
