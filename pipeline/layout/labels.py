"""Line labels (zh.LineKind) of a page: from a gold structure, from a corpus's per-line label file, or from the named
rules alone. They are the training targets and one feature of the sequence labeller (crf.py), and what `assemble`
builds items from.

The labels are a function of the gold structure (`gold_line_labels`), so every gold page gives training data, and
the items are a function of the labels (`assemble.build_items`), so `build_items(gold_line_labels(page))` must give
the gold page back: tests/test_layout.py checks that round trip on every gold page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..zh import LineKind, printed_width
from . import rules as R
from .gold import JOIN_MARK
from .lines import Line, column_width, ends_sentence, fills_column, is_credit, is_subtitle, note_stands_alone

K = LineKind

# A gold or per-line-file label name → LineKind (the corpus's files spell some differently).
LABEL_NAMES: dict[str, LineKind] = {
    **{k.value: k for k in LineKind},
    "body_start": K.BODY, "body_cont": K.CONTINUATION, "editor_note": K.NOTE, "end_matter": K.END_MATTER,
    "column_tag": K.KICKER,
}
# Suffix of a per-line label file beside a page (`NAME.lines.tsv`: the line, a tab, its label).
LINES_SUFFIX = ".lines.tsv"
# `——编 者`, `——编者`: the signature that closes an editor's note.
_NOTE_SIGNATURE = re.compile(r"^[—－-]{1,2}\s*编\s*者")


@dataclass
class _Unit:
    start: int
    end: int
    kind: str  # other | kicker | main | subtitle | byline | dateline | body | subheading | caption | marker
    first: int  # start of the unit's first line (== start)


def _units(text: str, items: list[dict[str, Any]]) -> list[_Unit]:
    """Every unit of a gold page located in the text: [start, end) and what it is."""
    offsets = [i for i, ch in enumerate(text) if not ch.isspace()]
    chars = "".join(text[i] for i in offsets)
    out: list[_Unit] = []

    def find(zh: str, cursor: int, kind: str) -> int:
        needle = re.sub(r"\s+", "", zh.replace(JOIN_MARK, ""))
        at = chars.find(needle, cursor)
        if at < 0 or not needle:
            raise ValueError(f"gold text not found in the page: {zh[:30]!r}")
        end = at + len(needle)
        out.append(_Unit(offsets[at], offsets[end - 1] + 1, kind, offsets[at]))
        return end

    cursor = 0
    for item in items:
        if item["kind"] == "other":
            cursor = find(item["zh"], cursor, "other")
            continue
        end = cursor
        for h in item["headlines"]:
            end = max(end, find(h["zh"], cursor, h["role"]))
        if item["byline"]:
            end = max(end, find(item["byline"]["zh"], cursor, "byline"))
        if item["dateline"]:
            end = max(end, find(item["dateline"], cursor, "dateline"))
        para_cursor = cursor
        for para in item["paragraphs"]:
            para_cursor = find(para["zh"], para_cursor, para["role"])
            end = max(end, para_cursor)
        cursor = end
    return sorted(out, key=lambda u: u.start)


def gold_line_labels(text: str, lines: list[Line], items: list[dict[str, Any]]) -> list[LineKind]:
    """The label of each line of a page whose gold items are `items`."""
    units = _units(text, items)
    labels: list[LineKind] = []
    u = 0
    for line in lines:
        while u + 1 < len(units) and units[u + 1].start <= line.start:
            u += 1
        unit = units[u] if units and units[u].start <= line.start < units[u].end else None
        labels.append(_label(line, unit, units[u + 1] if unit is not None and u + 1 < len(units) else None))
    return labels


def _label(line: Line, unit: _Unit | None, after: _Unit | None) -> LineKind:
    if unit is None:
        return K.CONTINUATION
    first = line.start == unit.start
    kind = unit.kind
    if kind == "other":
        return K.FURNITURE
    if kind in ("kicker", "main", "subtitle"):
        return {"kicker": K.KICKER, "main": K.HEADLINE, "subtitle": K.SUBTITLE}[kind]
    if kind == "byline":
        if not first:
            return K.BYLINE
        return K.CREDIT if line.norm.rstrip("）)").endswith("摄") else K.BYLINE
    if kind == "dateline":
        # The line that opens with the article's dateline (its first sentence may follow on the same line).
        return K.DATELINE
    if not first:
        return K.CONTINUATION
    if kind == "subheading":
        return K.SUBHEADING
    if kind == "caption":
        # a credit line (`记者 X 摄`, `制图：高妍`, `天津大学供图`) is a credit: at an article's end it stays the article's
        return K.CREDIT if is_credit(line.text) or R.GRAPHIC_CREDIT.pattern.match(line.norm) else K.CAPTION
    if kind == "marker":
        if _NOTE_SIGNATURE.match(line.norm):
            return K.NOTE
        return K.MARKER if line.norm.startswith(("（完", "(完", "（下转", "（上接", "(转", "（转", "(下转", "(上接",
                                                  "（接", "（紧接")) else K.END_MATTER
    return K.BODY


def read_line_labels(path: Path, text: str, lines: list[Line], fallback: list[LineKind]) -> list[LineKind]:
    """Labels from a per-line label file (`line<TAB>label`, the page's physical lines in order): each line of
    `lines` that starts a physical line takes that line's label; pieces cut off a line keep `fallback`."""
    starts: dict[int, LineKind] = {}
    pos = 0
    for row in path.read_text(encoding="utf-8").splitlines():
        if "\t" not in row:
            continue
        raw, name = row.rsplit("\t", 1)
        stripped = raw.strip()
        if not stripped or name.strip() not in LABEL_NAMES:
            continue
        at = text.find(stripped, pos)
        if at < 0:
            raise ValueError(f"{path}: line not found in the page: {stripped[:30]!r}")
        starts[at] = LABEL_NAMES[name.strip()]
        pos = at + len(stripped)
    out = list(fallback)
    for i, line in enumerate(lines):
        lab = starts.get(line.start)
        # The file labels a physical line; a credit or marker this reader cuts off it keeps its own label, and a
        # dateline line keeps the gold's reading (the file may call a dateline with text `body_start`).
        if lab is not None and fallback[i] not in (K.DATELINE,) and not (
                lab in (K.BODY, K.CONTINUATION) and fallback[i] in (K.BODY, K.CONTINUATION)):
            out[i] = lab
    return out


def rule_labels(lines: list[Line]) -> list[LineKind]:
    """What the named rules alone say of each line (lines.label_lines must have run), in label form: the labeller's
    strongest feature and its fallback. A line of text continues the paragraph above when that one does not end a
    sentence (the column-break-join rule) and it opens no list item."""
    out: list[LineKind] = []
    width = column_width([printed_width(line.text) for line in lines])
    i = 0
    while i < len(lines):
        line = lines[i]
        kind = line.kind
        if kind == "headline":
            j = i
            while j < len(lines) and lines[j].kind == "headline":
                j += 1
            texts = [ln.norm for ln in lines[i:j]]
            roles = (["main"] if len(texts) == 1 else
                     (["main", "subtitle"] if is_subtitle(texts[1]) else ["kicker", "main"]) if len(texts) == 2
                     else ["kicker", "main", "subtitle"] + ["main"] * (len(texts) - 3))
            out += [{"kicker": K.KICKER, "main": K.HEADLINE, "subtitle": K.SUBTITLE}[r] for r in roles]
            i = j
            continue
        prev = lines[i - 1] if i else None
        if kind == "furniture":
            lab = K.FURNITURE
        elif kind == "marker":
            lab = K.MARKER
        elif kind in ("byline", "byline+"):
            lab = K.CREDIT if line.rule == "photo-credit" else K.BYLINE
        elif kind == "caption":
            lab = K.CREDIT if line.rule == R.GRAPHIC_CREDIT.name else K.CAPTION
        elif kind == "subheading":
            lab = K.SUBHEADING
        elif kind == "dateline":
            lab = K.DATELINE
        elif kind == "note":
            lab = K.NOTE
        elif (kind == "text" and prev is not None and not ends_sentence(prev.norm)
              # a `■` point short of the column's width (or on a page without columns) is a whole point: in the dev
              # gold none of the 30 lines after a short one goes on with it (18 open a paragraph, 12 are bylines and
              # datelines)
              and not (prev.norm.startswith(R.BULLETS) and not fills_column(printed_width(prev.text), width))
              and (prev.kind in ("text", "list", "dateline", "caption")
                   # an editor's note goes on over a column break; its signature and a header alone do not
                   or (prev.kind == "note" and not note_stands_alone(prev)))):
            lab = K.CONTINUATION
        else:
            lab = K.BODY
        out.append(lab)
        i += 1
    return out
