"""Layout recovery: a decoded page dump → articles (headlines, byline, dateline, paragraphs) and page furniture.

Staged like trafilatura: split into lines with offsets, classify each line by named patterns, then group the
classified lines into items. Every rule below names the page feature it exists for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .document import Article, Byline, Dateline, Headline, Other, Page, Paragraph, span_text

# A headline is a short line; the longest on the seed page is 23 characters, and a column-broken fragment of a
# paragraph is a full column line (40+ characters) — 32 separates the two with room on both sides.
MAX_HEADLINE_CHARS = 32
# Kicker + main (+ subtitle): more stacked short lines than this before a byline are furniture, not headlines.
MAX_HEADLINE_LINES = 3
# The continuation line of a byline set over two lines (`通讯员 赵健健 报道`) is short.
MAX_BYLINE_CONTINUATION_CHARS = 24

# Bylines in 大众日报 and many city dailies open with a box mark: `□记者 张环泽 报道`, `□ 本报记者 孟令洋`.
BYLINE_MARK = re.compile(r"^[□■◇◆]")
# A line that closes a byline: `…报道`, `…摄` (photo credit).
BYLINE_END = re.compile(r"(报道|摄)$")
# Words inside a byline that are roles, not names.
BYLINE_ROLES = re.compile(r"本报记者|本报通讯员|记者|通讯员|实习生|特约撰稿人|报道|摄影|摄")
# `本报枣庄讯`, `本报讯`: the dateline that opens the first paragraph of a local report.
DATELINE = re.compile(r"^本报[\u4e00-\u9fff]{0,8}讯(?=[\s\u3000])")
# A line ends a sentence when its last character (before closing quotes/brackets) is a terminator.
SENTENCE_END = re.compile(r"[。！？!?…][”’」』）)\]】]*$|[”」』]$")


@dataclass
class Line:
    start: int
    end: int
    text: str


def split_lines(text: str) -> list[Line]:
    """Non-blank lines with their [start, end) offsets, outer whitespace (incl. U+3000) excluded."""
    lines = []
    for m in re.finditer(r"[^\n]+", text):
        raw = m.group()
        stripped = raw.strip()
        if not stripped:
            continue
        start = m.start() + (len(raw) - len(raw.lstrip()))
        lines.append(Line(start, start + len(stripped), stripped))
    return lines


def ends_sentence(text: str) -> bool:
    return bool(SENTENCE_END.search(text))


def is_byline_start(line: Line) -> bool:
    return bool(BYLINE_MARK.match(line.text)) and len(line.text) <= MAX_HEADLINE_CHARS


def is_headline_candidate(line: Line) -> bool:
    return (
        len(line.text) <= MAX_HEADLINE_CHARS
        and not ends_sentence(line.text)
        and not is_byline_start(line)
        and not DATELINE.match(line.text)
    )


def byline_authors(text: str) -> list[str]:
    """Names in a byline: `□记者 孟令洋 通讯员 赵健健 报道` → [孟令洋, 赵健健]."""
    cleaned = BYLINE_ROLES.sub(" ", BYLINE_MARK.sub("", text))
    return [name for name in re.split(r"[\s\u3000、,，]+", cleaned) if name]


def _classify(lines: list[Line]) -> list[str]:
    """A label per line: byline, byline+ (continuation), headline, text."""
    labels = ["text"] * len(lines)
    for i, line in enumerate(lines):
        if is_byline_start(line):
            labels[i] = "byline"
        elif (
            i > 0
            and labels[i - 1] == "byline"
            and not BYLINE_END.search(lines[i - 1].text)
            and len(line.text) <= MAX_BYLINE_CONTINUATION_CHARS
            and BYLINE_END.search(line.text)
        ):
            labels[i] = "byline+"
    # Headlines: the run of short open lines just above a byline, or above a paragraph opening with a dateline.
    for i, line in enumerate(lines):
        starts_article = labels[i] == "byline" or (labels[i] == "text" and DATELINE.match(line.text))
        if not starts_article:
            continue
        j = i
        while j > 0 and i - j < MAX_HEADLINE_LINES and labels[j - 1] == "text" and is_headline_candidate(lines[j - 1]):
            j -= 1
        # A third stacked line only belongs to the headline when it is a subtitle (`——…`).
        if i - j == 3 and not lines[i - 1].text.startswith(("——", "—")):
            j += 1
        for k in range(j, i):
            labels[k] = "headline"
    return labels


def _headline_roles(count: int, texts: list[str]) -> list[str]:
    if count == 1:
        return ["main"]
    if count == 2:
        return ["main", "subtitle"] if texts[1].startswith("—") else ["kicker", "main"]
    return ["kicker", "main", "subtitle"]


def recover_layout(page: Page) -> Page:
    """Fill `page.items` from `page.text`; sentences are left empty for the sentence stage."""
    text = page.text
    lines = split_lines(text)
    labels = _classify(lines)
    items: list[Article | Other] = []
    article: Article | None = None
    others = 0
    # The paragraph being built: its lines so far.
    para_lines: list[Line] = []

    def close_paragraph() -> None:
        nonlocal para_lines
        if not para_lines:
            return
        assert article is not None
        start, end = para_lines[0].start, para_lines[-1].end
        if not article.paragraphs and not article.dateline:
            m = DATELINE.match(para_lines[0].text)
            if m:
                dl_end = start + m.end()
                article.dateline = Dateline(f"{article.id}-dl", text[start:dl_end], (start, dl_end))
                start = dl_end + (len(text[dl_end:end]) - len(text[dl_end:end].lstrip()))
        pid = f"{article.id}-p{len(article.paragraphs) + 1:02d}"
        breaks = [ln.start for ln in para_lines[1:]]
        article.paragraphs.append(Paragraph(pid, (start, end), column_breaks=breaks))
        para_lines = []

    def new_article(kind: str) -> Article:
        nonlocal article
        close_paragraph()
        article = Article(id=f"a{len([i for i in items if isinstance(i, Article)]) + 1:02d}", kind=kind)
        items.append(article)
        return article

    i = 0
    while i < len(lines):
        line, label = lines[i], labels[i]
        if label == "headline":
            j = i
            while j < len(lines) and labels[j] == "headline":
                j += 1
            art = new_article("article")
            texts = [ln.text for ln in lines[i:j]]
            for n, (ln, role) in enumerate(zip(lines[i:j], _headline_roles(j - i, texts)), start=1):
                art.headlines.append(Headline(f"{art.id}-h{n}", ln.text, (ln.start, ln.end), role=role))
            i = j
            continue
        if label == "byline":
            j = i + 1
            while j < len(lines) and labels[j] == "byline+":
                j += 1
            span = (line.start, lines[j - 1].end)
            zh = span_text(text, span, " ")
            if article is None or article.byline is not None:
                # A byline with no headline above it opens a captioned photo (the seed's 滕州 police photo).
                art = new_article("photo")
                art.notes.append("no headline: treated as a captioned photo")
            elif article.paragraphs or para_lines:
                close_paragraph()
                art = article
                art.notes.append("byline trails the body")
            else:
                art = article
            art.byline = Byline(f"{art.id}-by", zh, span, authors=byline_authors(zh))
            i = j
            continue
        # Body text.
        if article is None:
            others += 1
            items.append(Other(f"o{others:02d}", line.text, (line.start, line.end)))
            i += 1
            continue
        if para_lines and ends_sentence(para_lines[-1].text):
            close_paragraph()
        para_lines.append(line)
        i += 1
    close_paragraph()

    for item in items:
        if isinstance(item, Article) and item.kind == "photo":
            for para in item.paragraphs:
                para.role = "caption"
        if isinstance(item, Article) and item.paragraphs:
            last = item.paragraphs[-1]
            if not ends_sentence(text[last.span[0] : last.span[1]]):
                item.truncated = True
                item.notes.append("ends mid-sentence: probably continued on another page")
    page.items = items
    return page
