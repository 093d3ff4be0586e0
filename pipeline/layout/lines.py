"""Lines of a page dump: split with their offsets, then labelled by the named rules, first alone, then in context."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from ..zh import HAN, HAN_CLASS, LineKind, breaks_word, printed_width, to_simplified
from . import rules as R


@dataclass
class Line:
    """A line (or a piece cut off one) with its [start, end) offsets and what it is."""

    start: int
    end: int
    text: str
    # What the named rules say: furniture | marker | byline | caption | dateline | list | text, judged alone;
    # byline+ (continuation), headline and subheading, judged in context.
    kind: str = LineKind.TEXT
    # The name of the rule that decided `kind` (see rules.py), for notes and for `explain`.
    rule: str = ""
    # `text` in Simplified script, character for character (what the rules read, so that Traditional pages answer
    # to them too); offsets into it are offsets into `text`.
    norm: str = ""
    # Measurements a reader of a richer format may add (a PDF reader: `font_size` relative to the page's body text,
    # `x` and `width` as fractions of the column): the labeller turns them into features (features.py).
    geometry: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.norm:
            self.norm = to_simplified(self.text)


def ends_sentence(text: str) -> bool:
    """Whether `text` ends a sentence (so a line break after it may end the paragraph)."""
    return bool(R.SENTENCE_END.pattern.search(to_simplified(text)))


def balanced(text: str) -> bool:
    """Whether every bracket and quote pair opened in `text` is closed in it, in order."""
    for open_, close in R.BRACKET_PAIRS:
        depth = 0
        for ch in text:
            if ch == open_:
                depth += 1
            elif ch == close:
                depth -= 1
                if depth < 0:
                    return False
        if depth:
            return False
    return True


# --- Bylines ------------------------------------------------------------------------------------------------------

def _is_name(token: str) -> bool:
    if R.TRANSLITERATED_NAME.match(token):
        return True
    if not re.fullmatch(f"[{HAN_CLASS}]+", token):
        return False
    if token[:2] in R.COMPOUND_SURNAMES:
        return 3 <= len(token) <= R.MAX_NAME_CHARS + 1
    return 2 <= len(token) <= R.MAX_NAME_CHARS and token[0] in R.COMMON_SURNAMES


# The slash that joins two agencies in one credit (`（法新社／路透社）` under a Hong Kong paper's wire story).
_AGENCY_SLASHES = frozenset({"/", "／"})
_CREDIT_CHUNK = re.compile(r"[^\s\u3000、｜|]+")
# `作者：杨洁`, `撰文：X`: a role word with a colon; the colon is no part of a name.
_ROLE_COLON = re.compile(r"((?:^|[\s\u3000□■◇◆●（(【])(?:本文作者|作者|撰文|编译|报道/摄影|报道|摄影|文字整理|采访/撰文|采写|文|图|摄|"
                         r"记者))[：:]")
# `新华社发（莫京娜摄）`: the photographer in brackets after the agency.
_BRACKETED_SHOT = re.compile(r"[（(]([^（）()]{1,20}摄)[）)]$")


def _uncolon(t: str) -> str:
    """`作者：杨洁`, `文：X　图：Y`, `新华社发（X摄）` → `作者 杨洁`, `文 X　图 Y`, `新华社发 X摄 ` (same length, so offsets into
    the page still hold)."""
    t = _BRACKETED_SHOT.sub(lambda m: " " + m.group(1) + " ", t) if not t.startswith(("（", "(")) else t
    return _ROLE_COLON.sub(lambda m: m.group(1) + " ", t)


def _credit_tokens(text: str) -> list[tuple[str, str]]:
    """Role words and name candidates of a credit, in order (mark and outer brackets removed), each as (Simplified
    form, form on the page)."""
    page = text.strip()
    t = _uncolon(to_simplified(page))
    lo, hi = 0, len(t)
    m = R.BYLINE_MARK.pattern.match(t)
    if m:
        lo = m.end()
    while lo < hi and t[lo].isspace():
        lo += 1
    if hi - lo >= 2 and t[lo] in "（(【" and t[hi - 1] in "）)】":
        lo, hi = lo + 1, hi - 1
    # `本報記者 陳美玲／臺北報導`: the place a Taiwan reporter files from, after a slash, goes with 報導.
    place = R.FILED_FROM.search(t, lo, hi)
    if place:
        hi = place.start()
    tokens: list[tuple[str, str]] = []
    for chunk in _CREDIT_CHUNK.finditer(t, lo, hi):
        pos = chunk.start()
        for part in re.split(f"({R.BYLINE_ROLE.pattern})", chunk.group()):
            if part:
                tokens.append((part, page[pos : pos + len(part)]))
            pos += len(part)
    if place:
        tokens.append(("报导", page[place.start() : place.end()]))
    # 人民日报 spaces out two-character names (`王  浩`): a lone surname and a lone character are one name.
    merged: list[tuple[str, str]] = []
    for tok in tokens:
        if (merged and len(tok[0]) == 1 and (len(merged[-1][0]) == 1 and merged[-1][0] in R.COMMON_SURNAMES
                                             or merged[-1][0] in R.COMPOUND_SURNAMES)
                and not R.BYLINE_ROLE.fullmatch(tok[0]) and not R.BYLINE_ROLE.fullmatch(merged[-1][0])):
            merged[-1] = (merged[-1][0] + tok[0], merged[-1][1] + tok[1])
        else:
            merged.append(tok)
    return merged


def is_credit(text: str, after_dateline: bool = False) -> bool:
    """Whether a line (or bracketed text) is a byline or photo credit: roles and personal names only (after a
    dateline, names alone in brackets are its reporters: `新华社北京7月26日电（杨迪）`)."""
    stripped = _uncolon(to_simplified(text.strip()))
    marked = bool(R.BYLINE_MARK.pattern.match(stripped))
    if not stripped or len(stripped) > R.MAX_BYLINE_CHARS or R.BYLINE_FORBIDDEN.search(R.BYLINE_ROLE.sub("", stripped)):
        return False
    tokens = [t for t, _ in _credit_tokens(stripped)]
    roles = [t for t in tokens if _is_role(t)]
    names = [t for t in tokens if not _is_role(t)]
    if not names:  # `本报评论员`, `（路透社）`, and a newsroom's photo (`（明報記者攝）`)
        return any(r in R.COLLECTIVE_AUTHORS for r in roles) or ("摄" in roles and any(r.endswith("记者") for r in roles))
    return all(_is_name(n) for n in names) and (marked or bool(roles) or after_dateline)


def byline_authors(text: str) -> list[str]:
    """Names in a byline: `□记者 孟令洋 通讯员 赵健健 报道` → [孟令洋, 赵健健]."""
    tokens = _credit_tokens(text)
    names = [page for t, page in tokens if not _is_role(t)]
    # an agency alone credits the photo to the agency (`（法新社）`, `（路透）`)
    return names or [page for t, page in tokens if t in R.PHOTO_AGENCIES][:1]


def _is_role(token: str) -> bool:
    """A role word, an agency in brackets after a photographer's name (`胡贵龙摄（人民视觉）`), or the slash between
    two agencies (`（法新社／路透社）`)."""
    return (bool(R.BYLINE_ROLE.fullmatch(token)) or token in R.WHOLE_WORD_ROLES or bool(R.NEWSROOM_WORD.fullmatch(token))
            or token in _AGENCY_SLASHES
            or bool(re.fullmatch(r"[（(][^（）()]{1,10}[）)]", token)))


def credit_rule(text: str) -> str:
    """Which byline rule a credit line answers to."""
    text = to_simplified(text)
    if R.BYLINE_MARK.pattern.match(text.strip()):
        return R.BYLINE_MARK.name
    if text.rstrip("）)").endswith("摄"):
        return "photo-credit"
    return "reporter-credit" if any(not _is_role(t) for t, _ in _credit_tokens(text)) else "collective-byline"


# --- Splitting ----------------------------------------------------------------------------------------------------

def _piece(text: str, start: int, end: int) -> Line:
    """The stripped line inside text[start:end]."""
    raw = text[start:end]
    s = start + (len(raw) - len(raw.lstrip()))
    return Line(s, s + len(raw.strip()), raw.strip())


def _cut(text: str, line: Line) -> list[Line]:
    """Cut inline markers and a caption's photo credit off a physical line, so each is a unit of its own."""
    t = line.norm
    m = R.CONTINUED_FROM.pattern.search(t)
    if m and t[m.end():].strip():
        cut = line.start + m.end()
        return [_piece(text, line.start, cut), *_cut(text, _piece(text, cut, line.end))]
    m = R.CONTINUED_ON.pattern.search(t)
    if m and t[: m.start()].strip():
        cut = line.start + m.start()
        return [*_cut(text, _piece(text, line.start, cut)), _piece(text, cut, line.end)]
    m = R.INLINE_PHOTO_CREDIT.pattern.search(t)
    group = "credit" if m and m.group("credit") else "bracketed"
    if m and is_credit(m.group(group)) and not is_credit(t):  # `新华社发 白雪骐 摄` is one credit
        before = t[: m.start(group)].strip()
        if before and (R.first_match(R.CAPTIONS, t) or ends_sentence(before)):
            cut = line.start + m.start(group)
            caption = _piece(text, line.start, cut)
            if not R.first_match(R.CAPTIONS, t):
                caption.kind, caption.rule = "caption", R.INLINE_PHOTO_CREDIT.name
            return [caption, _piece(text, cut, line.end)]
    return [line]


def split_lines(text: str) -> list[Line]:
    """Non-blank lines with their [start, end) offsets, outer whitespace (incl. U+3000) excluded, inline markers
    and caption credits cut off as pieces of their own."""
    lines: list[Line] = []
    for m in re.finditer(r"[^\n]+", text):
        raw = m.group()
        stripped = raw.strip()
        if not stripped:
            continue
        start = m.start() + (len(raw) - len(raw.lstrip()))
        lines += _cut(text, Line(start, start + len(stripped), stripped))
    return lines


# --- Column width -------------------------------------------------------------------------------------------------

# Lines shorter than this (headlines, bylines, labels) say nothing of how a page sets its paragraphs.
MIN_TEXT_LINE_CHARS = 10
# A column width must be the length of at least this many lines (else the page sets one paragraph per line).
MIN_WIDTH_LINES = 4
# …and at least this share of the page's text lines: a page set in columns has most of its lines at the width, while
# on a page of one-line paragraphs a few headlines and short paragraphs of like length make no column
# (renmin-2022-10-10-p02 has 7 of its 29 lines within 2 units of 29 units).
MIN_WIDTH_SHARE = 0.4
# Lines within this many half-width units of the column width fill it: one half-width character (a digit, a Latin
# letter) more or less, or a closing mark kept on the line (no line may start with `，` or `”`).
WIDTH_SLACK_UNITS = 2


def column_width(lengths: list[int]) -> int:
    """The commonest printed width of the page's text lines, counting widths within WIDTH_SLACK_UNITS as the same;
    0 when none stands out."""
    counts = Counter(n for n in lengths if n >= 2 * MIN_TEXT_LINE_CHARS)
    if not counts:
        return 0

    def near(n: int) -> int:
        return sum(counts[n + d] for d in range(-WIDTH_SLACK_UNITS, WIDTH_SLACK_UNITS + 1))

    best = max(sorted(counts), key=near)
    return best if near(best) >= max(MIN_WIDTH_LINES, MIN_WIDTH_SHARE * sum(counts.values())) else 0


def fills_column(n: int, width: int) -> bool:
    """Whether a line of printed width `n` fills a column `width` wide (0: the page has no column)."""
    return width > 0 and abs(n - width) <= WIDTH_SLACK_UNITS


# --- Labelling ----------------------------------------------------------------------------------------------------

def classify_line(line: Line) -> tuple[str, str]:
    """The kind of a line judged on its own, and the rule that says so."""
    t = line.norm
    hit = R.first_match(R.FURNITURE, t)
    if hit:
        return "furniture", hit[0].name
    for rule in R.MARKERS:
        m = rule.pattern.search(t)
        if m and m.start() == 0 and m.end() == len(t):
            return "marker", rule.name
    hit = R.first_match(R.DATELINES, t)
    if hit and hit[0].name == R.FILED_FROM_DATELINE:
        # `【記者賀悅娟／高雄報導】` names a reporter, but in brackets it is the story's opening, set alone on its line
        # or not (in the dev gold, 25 of 25 such lines are datelines, 2 of them alone): the credit rules do not take it.
        return "dateline", hit[0].name
    if is_credit(t):
        return "byline", credit_rule(t)
    hit = R.first_match(R.NOTES, t)
    if hit:
        return "note", hit[0].name
    for kind, table in (("caption", R.CAPTIONS), ("dateline", R.DATELINES), ("list", R.LIST_ITEMS)):
        hit = R.first_match(table, t)
        if hit:
            return kind, hit[0].name
    return "text", ""


def _open_and_balanced(text: str) -> bool:
    """Balanced and ending in neither a full stop nor a clause mark: a title's shape, whatever its length."""
    return balanced(text) and not R.FULL_STOP_END.search(text) and not R.CLAUSE_END.search(text)


def _headline_like(text: str) -> bool:
    """Short (or a news site's page title), balanced and not ending in a full stop (where a ！ or ？ may stand is
    checked by the caller)."""
    short = len(text) <= R.MAX_HEADLINE_CHARS or (len(text) <= R.MAX_WEB_TITLE_CHARS
                                                   and bool(R.WEB_TITLE_SUFFIX.search(text)))
    return short and _open_and_balanced(text)


def _title_like(text: str) -> bool:
    """Headline-like up to the length of a web page's title: a long headline with its column tag (`…（人民时评）`)."""
    return len(text) <= R.MAX_WEB_TITLE_CHARS and _open_and_balanced(text)


def _bare_headline_like(text: str) -> bool:
    """Headline-like without any punctuation (a topic lead's colon aside: `美国：飓风“汉娜”登陆得州`): the only kind of
    line taken for a headline with no byline, dateline or caption under it to confirm it (a column fragment almost
    always carries a comma)."""
    return _headline_like(text) and not R.CLAUSE_PUNCT.search(_topic_rest(text))


def _topic_rest(text: str) -> str:
    """The text after a heading's topic lead (`美国：`, `商务部：`; R.TOPIC_LEAD), or all of it."""
    m = R.TOPIC_LEAD.match(text)
    return text[m.end():] if m and not R.NOT_TOPIC_LEAD.search(m.group(0)) else text


def is_subtitle(text: str) -> bool:
    """A subtitle under a main headline: `——…`, or a reposted story's original title (`原标题：…`)."""
    return text.startswith(("——", "—")) or bool(R.ORIGINAL_TITLE.match(text))


def _subheading_like(text: str) -> bool:
    """A short unpunctuated balanced line (a list number in front is allowed: `一、坚持创新驱动`; a topic lead too:
    `德国：小型飞机撞上民宅`)."""
    hit = R.first_match(R.LIST_ITEMS, text)
    body = _topic_rest(text[hit[1].end():].strip() if hit else text)
    return bool(body) and len(text) <= R.MAX_SUBHEADING_CHARS and not R.CLAUSE_PUNCT.search(body) and balanced(body)


def _headline_run(lines: list[Line], i: int) -> int:
    """Index of the first headline line of the run just above lines[i] (== i when there is none)."""
    j = i
    while (j > 0 and i - j < R.MAX_HEADLINE_LINES and lines[j - 1].kind == "text" and _headline_like(lines[j - 1].norm)
           and not lines[j - 1].norm.startswith(R.BULLETS)):  # `■…` under a headline is a point of the text
        above = lines[j - 1].norm
        # ！/？ closes the main headline; a line above it ending so is the end of the previous article, unless it is a
        # short question standing alone over the headline, a kicker (`新就业形态劳动者如何维权?`; a short line ending
        # in ！ there stays the last paragraph above: `加油！`).
        if R.HEADLINE_TERMINATOR.search(above) and not all(is_subtitle(ln.norm) for ln in lines[j:i]):
            if j < i and _question_kicker(lines, j - 1):
                j -= 1
            break
        j -= 1
    # A third stacked line only belongs to the headline when the bottom one is a subtitle (`——…`).
    if i - j == 3 and not is_subtitle(lines[i - 1].norm):
        j += 1
    return j


# A question over a headline is short and has no clause mark before its ？ (`夜经济如何“亮”起来？`).
MAX_QUESTION_KICKER_CHARS = 20


def _question_kicker(lines: list[Line], k: int) -> bool:
    """Whether lines[k] is a question standing alone as a kicker: short, no clause mark, finished text above."""
    t = lines[k].norm
    return (len(t) <= MAX_QUESTION_KICKER_CHARS and t.endswith(("？", "?")) and not R.CLAUSE_PUNCT.search(t[:-1])
            and _finished(lines[k - 1] if k else None))


def dateline_alone(line: Line) -> bool:
    """Whether a line is a dateline (and its bracketed credit) and nothing more: the paragraph starts on the next line
    (`新华社北京7月26日电  （记者姜  波）`, `〔國際新聞中心／綜合報導〕` set on a line of their own)."""
    hit = R.first_match(R.DATELINES, line.norm)
    if hit is None:
        return False
    rest = line.norm[hit[1].end():]
    m = R.DATELINE_CREDIT.pattern.match(rest)
    return not (rest[m.end():] if m else rest).strip()


def _finished(line: Line | None) -> bool:
    """Whether the text before a line is complete: page top, furniture, a marker or sub-heading, or a line of text
    that ends a sentence."""
    if line is None or line.kind in ("furniture", "marker", "subheading"):
        return True
    if line.kind == "note":
        return note_stands_alone(line) or ends_sentence(line.norm)
    return line.kind in ("text", "list", "dateline", "caption") and ends_sentence(line.norm)


def note_stands_alone(line: Line) -> bool:
    """Whether an editor's-note line is complete in itself: its signature (`——编 者`) or its name alone as a header
    (`开栏的话`); nothing of the text below goes on from it."""
    return line.rule == R.NOTE_SIGNATURE.name or bool(R.EDITOR_NOTE.pattern.fullmatch(line.norm))


def _item_boundary(line: Line | None) -> bool:
    """Whether nothing of an article can go on after this line: page top, furniture, `（完）` or `（下转第二版）`."""
    return line is None or line.kind == "furniture" or line.rule in (R.END_OF_COPY.name, R.CONTINUED_ON.name)


def label_lines(lines: list[Line]) -> list[Line]:
    """Set every line's kind and rule: alone first, then bylines, headlines and sub-headings in context."""
    for line in lines:
        if not line.rule:  # a caption cut off its credit is already labelled
            line.kind, line.rule = classify_line(line)
    # A byline that does not close with 报道/摄 may go on over one more short line.
    for prev, line in itertools.pairwise(lines):
        if prev.kind == "byline" and not R.BYLINE_END.search(prev.norm) and (
            line.kind == "byline"
            or (line.kind == "text" and len(line.norm) <= R.MAX_BYLINE_CONTINUATION_CHARS
                and R.BYLINE_END.search(line.norm))
        ):
            line.kind, line.rule = "byline+", "byline-continuation"
    # A bare name under a headline-like line and over the text is a commentary's byline.
    for i in range(1, len(lines) - 1):
        line, below = lines[i], lines[i + 1]
        if (line.kind == "text" and len(line.norm) <= R.MAX_BYLINE_CHARS and line.norm[0].isalpha()  # not `、方下`
                and is_credit(line.norm, after_dateline=True)
                and lines[i - 1].kind == "text" and _title_like(lines[i - 1].norm)
                and below.kind in ("text", "list", "dateline", "note") and len(below.norm) > len(line.norm)):
            line.kind, line.rule = "byline", "bare-name-byline"
    # Headlines: the run of short open lines just above whatever opens an article or a photo.
    openers = {"byline": "headline-above-byline", "dateline": "headline-above-dateline",
               "caption": "headline-above-caption"}
    for i, line in enumerate(lines):
        rule = openers.get(line.kind) or ("headline-above-continuation" if line.rule == R.CONTINUED_FROM.name else "")
        if not rule:
            continue
        j = _headline_run(lines, i)
        # A caption often interrupts a paragraph mid-sentence; what precedes it is only a photo's headline when the
        # text above that is complete.
        if line.kind == "caption" and j < i and not _finished(lines[j - 1] if j else None):
            continue
        for k in range(j, i):
            lines[k].kind, lines[k].rule = "headline", rule
    _label_unsignalled_headlines(lines, column_width([printed_width(line.text) for line in lines]))
    for i, line in enumerate(lines):
        if (line.kind == "text" and R.WEB_TITLE_SUFFIX.search(line.norm) and _headline_like(line.norm)
                and _finished(lines[i - 1] if i else None)):
            line.kind, line.rule = "headline", "web-title"
    _label_topic_headlines(lines)
    # A roundup's city line standing alone over its piece's text.
    for i, line in enumerate(lines[:-1]):
        if line.kind == "text" and R.CITY_LINE.match(line.norm) and lines[i + 1].kind in ("text", "list") and len(
                lines[i + 1].norm) > R.MAX_SUBHEADING_CHARS // 2:
            line.kind, line.rule = "subheading", "city-line"
    # Sub-headings: a short unpunctuated line between finished paragraphs. Not a `■` point (in the dev gold 43 of 47
    # are points of the text), nor a line whose end breaks a word with the next line (`…新闻办公室26日召` | `开…`: the
    # first line of a paragraph set on a page without columns).
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        above = lines[i - 1] if i else None
        if (line.kind in ("text", "list") and _subheading_like(line.norm) and above is not None
                and above.kind != "furniture" and _finished(above) and nxt is not None
                and nxt.kind in ("text", "list") and not line.norm.startswith(R.BULLETS)
                and not breaks_word(line.norm, nxt.norm)):
            line.kind, line.rule = "subheading", "subheading"
    return lines


def _label_unsignalled_headlines(lines: list[Line], width: int = 0) -> None:
    """Headlines with no byline, dateline or caption under them: a stack of two or three short bare lines between
    finished text and body text, or one such line where an item must start (page top, after furniture or an end
    marker). A line that fills the page's column (`width`, half-width units) is a column's line, not a headline: before
    this check, 65 of the 69 dev gold lines at the column width that the rule named (73 hand-laid pages then) were
    paragraph lines of narrow columns."""
    i = 0

    def bare(line: Line) -> bool:  # a roundup's city line alone (`特拉维夫——`) heads a piece's text, not an article
        return (line.kind == "text" and _bare_headline_like(line.norm) and not R.CITY_LINE.match(line.norm)
                and not fills_column(printed_width(line.text), width))

    while i < len(lines):
        j = i
        while j < len(lines) and bare(lines[j]):
            j += 1
        if j == i:
            i += 1
            continue
        prev = lines[i - 1] if i else None
        nxt = lines[j] if j < len(lines) else None
        body_follows = nxt is not None and nxt.kind in ("text", "list")
        stacked = 2 <= j - i <= R.MAX_HEADLINE_LINES
        if body_follows and _finished(prev) and (stacked or (j - i == 1 and _item_boundary(prev))):
            for k in range(i, j):
                lines[k].kind, lines[k].rule = "headline", "stacked-headline" if stacked else "lone-headline"
        i = j


# A page copied from a web site sets each paragraph on one line: nearly all its lines of text end a sentence.
WEB_PAGE_FINISHED_SHARE = 0.85
WEB_PAGE_MIN_LINES = 5
# A headline's words come back in the first lines of its text (at least this share of its two-character sequences),
# and next to none of them in the lines above, which belong to another document.
TOPIC_BELOW_SHARE, TOPIC_ABOVE_SHARE, TOPIC_WINDOW = 0.4, 0.15, 4


def _web_page(lines: list[Line]) -> bool:
    texty = [ln for ln in lines if ln.kind == "text" and len(ln.norm) >= 10]
    return (len(texty) >= WEB_PAGE_MIN_LINES
            and sum(1 for ln in texty if ends_sentence(ln.norm)) >= WEB_PAGE_FINISHED_SHARE * len(texty))


def _bigrams(text: str) -> set[str]:
    """The two-Han-character sequences of a text (a cheap stand-in for its words)."""
    han = [ch if HAN.match(ch) else " " for ch in text]
    return {a + b for a, b in itertools.pairwise(han) if a != " " and b != " "}


def _topic_shares(lines: list[Line], i: int, window: int = TOPIC_WINDOW) -> tuple[float, float]:
    """The share of line i's bigrams found in the `window` lines below it, and in those above it."""
    grams = _bigrams(lines[i].norm)
    if not grams:
        return 0.0, 0.0
    below = set().union(*(_bigrams(ln.norm) for ln in lines[i + 1 : i + 1 + window]))
    above = set().union(*(_bigrams(ln.norm) for ln in lines[max(0, i - window) : i]))
    return len(grams & below) / len(grams), len(grams & above) / len(grams)


def _label_topic_headlines(lines: list[Line]) -> None:
    """On a page copied from a web site (a paragraph a line), a bare short line (or a question with no comma)
    between finished paragraphs whose words come back below it and not above it is the headline of the next
    document: web copy has no byline or dateline under a title to mark the start."""
    if not _web_page(lines):
        return
    for i in range(1, len(lines) - 1):
        line, above, nxt = lines[i], lines[i - 1], lines[i + 1]
        t = line.norm
        bare = _bare_headline_like(t) or (t.endswith(("？", "?")) and len(t) <= R.MAX_HEADLINE_CHARS
                                         and not R.CLAUSE_PUNCT.search(t[:-1]) and balanced(t))
        if line.kind != "text" or not bare or not _finished(above) or nxt.kind not in ("text", "list"):
            continue
        down, up = _topic_shares(lines, i)
        if down >= TOPIC_BELOW_SHARE and up < TOPIC_ABOVE_SHARE:
            line.kind, line.rule = "headline", "topic-headline"


def explain(text: str) -> list[Line]:
    """Every line of a page with its kind and the rule that decided it (for debugging a layout)."""
    return label_lines(split_lines(text))
