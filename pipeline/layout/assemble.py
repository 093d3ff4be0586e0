"""Grouping labelled lines into page items: articles and photos (headlines, byline, dateline, paragraphs) and
page furniture, repairing column breaks and saying in `notes` where a decision was uncertain."""

from __future__ import annotations

from ..document import Article, Byline, Dateline, Headline, Other, Page, Paragraph, span_text
from . import rules as R
from .lines import Line, byline_authors, ends_sentence, is_credit, label_lines, split_lines

# A paragraph that stops on one of these is unfinished on purpose (an introduction to a list, a list item).
OPEN_BY_DESIGN = ("：", ":", "；", ";")


def _headline_roles(texts: list[str]) -> list[str]:
    if len(texts) == 1:
        return ["main"]
    if len(texts) == 2:
        return ["main", "subtitle"] if texts[1].startswith("—") else ["kicker", "main"]
    return ["kicker", "main", "subtitle"]


class _Builder:
    """Walks the labelled lines once, keeping the item and paragraph being built."""

    def __init__(self, text: str, lines: list[Line]) -> None:
        self.text = text
        self.lines = lines
        self.items: list[Article | Other] = []
        self.article: Article | None = None
        self.para: list[Line] = []
        self.role = "body"
        self.in_caption_block = False
        # Why the previous article was closed before its text ended (furniture, a continuation marker).
        self.closed: tuple[str, str] = ("", "")

    # -- items -----------------------------------------------------------------------------------------------------

    def new_article(self, kind: str, note: str = "") -> Article:
        self.close_paragraph()
        number = sum(1 for i in self.items if isinstance(i, Article)) + 1
        self.article = Article(id=f"a{number:02d}", kind=kind)
        if note:
            self.article.notes.append(note)
        self.items.append(self.article)
        self.in_caption_block = False
        self.closed = ("", "")
        return self.article

    def end_article(self, reason: str) -> None:
        self.close_paragraph()
        if self.article is not None:
            self.closed = (reason, self.article.id if self.article.paragraphs else "")
        self.article = None

    def other(self, line: Line) -> None:
        number = sum(1 for i in self.items if isinstance(i, Other)) + 1
        self.items.append(Other(f"o{number:02d}", line.text, (line.start, line.end)))

    def headless(self) -> Article:
        """A new article that has no headline on this page, with a note saying what it probably is."""
        reason, prev = self.closed
        if reason == "furniture" and prev:
            note = f"no headline: text after page furniture, probably the rest of {prev}"
        elif reason and prev:
            note = f"no headline: text after the end of {prev} ({reason})"
        elif not any(isinstance(i, Article) for i in self.items):
            note = "no headline: text at the top of the page, probably the end of an article from another page"
        else:
            note = "no headline: text under no headline, byline or dateline"
        return self.new_article("article", note)

    # -- paragraphs ------------------------------------------------------------------------------------------------

    def close_paragraph(self) -> None:
        if not self.para:
            return
        art = self.article
        assert art is not None, "a paragraph is only started inside an item"
        start, end = self.para[0].start, self.para[-1].end
        if self.role == "body" and not art.paragraphs and art.dateline is None and self.para[0].kind == "dateline":
            start = self._split_dateline(art, self.para[0], end)
        if start < end:
            pid = f"{art.id}-p{len(art.paragraphs) + 1:02d}"
            breaks = [ln.end for ln in self.para[:-1] if ln.end > start]
            art.paragraphs.append(Paragraph(pid, (start, end), role=self.role, column_breaks=breaks))
        self.para = []
        self.role = "body"

    def _split_dateline(self, art: Article, line: Line, end: int) -> int:
        """Cut the dateline (and the reporter credit it carries) off the first paragraph; returns its new start."""
        hit = R.first_match(R.DATELINES, line.norm)
        if hit is None:
            return line.start
        dl_end = line.start + hit[1].end()
        art.dateline = Dateline(f"{art.id}-dl", self.text[line.start : dl_end], (line.start, dl_end))
        pos = dl_end
        m = R.DATELINE_CREDIT.pattern.match(self.text, pos, line.end)
        if m and is_credit(m.group("credit")):
            if art.byline is None:
                span = (m.start("credit"), m.end("credit"))
                zh = self.text[span[0] : span[1]]
                art.byline = Byline(f"{art.id}-by", zh, span, authors=byline_authors(zh))
                pos = span[1]
            else:
                art.notes.append("reporter credit after the dateline kept in the text: the article already has "
                                 "a byline")
        rest = self.text[pos:end]
        return pos + (len(rest) - len(rest.lstrip()))

    def start_paragraph(self, line: Line, role: str) -> None:
        self.close_paragraph()
        self.para = [line]
        self.role = role

    def single(self, line: Line, role: str) -> None:
        """A paragraph of one line that nothing is joined to (a sub-heading, a marker, a caption credit)."""
        self.start_paragraph(line, role)
        self.close_paragraph()

    # -- lines -----------------------------------------------------------------------------------------------------

    def run(self) -> list[Article | Other]:
        i = 0
        while i < len(self.lines):
            i = self.step(i)
        self.close_paragraph()
        for item in self.items:
            if isinstance(item, Article):
                _finish(item, self.text)
        return self.items

    def step(self, i: int) -> int:
        line = self.lines[i]
        kind = line.kind
        if kind == "furniture":
            # Furniture ends the item before it: items are in source order, so nothing after it can rejoin that item.
            self.end_article("furniture")
            self.other(line)
            return i + 1
        if kind == "headline":
            return self.headline(i)
        if kind in ("byline", "byline+"):
            return self.byline(i)
        if kind == "caption":
            self.caption(i)
            return i + 1
        if kind == "marker":
            self.marker(line)
            return i + 1
        if kind == "dateline":
            art = self.article
            if art is None or art.kind != "article" or art.paragraphs or self.para or art.dateline is not None:
                self.new_article("article", "no headline: the article starts at its dateline")
            self.start_paragraph(line, "body")
            return i + 1
        if kind == "subheading" and self.article is not None:
            self.in_caption_block = False
            self.single(line, "subheading")
            return i + 1
        self.body(line)
        return i + 1

    def headline(self, i: int) -> int:
        j = i
        while j < len(self.lines) and self.lines[j].kind == "headline":
            j += 1
        run = self.lines[i:j]
        art = self.new_article("photo" if run[0].rule == "headline-above-caption" else "article")
        if run[0].rule in ("stacked-headline", "lone-headline"):
            art.notes.append("no byline or dateline under the headline: the article boundary rests on the headline "
                             "lines alone")
        for n, (ln, role) in enumerate(zip(run, _headline_roles([ln.text for ln in run])), start=1):
            art.headlines.append(Headline(f"{art.id}-h{n}", ln.text, (ln.start, ln.end), role=role))
        return j

    def byline(self, i: int) -> int:
        j = i + 1
        while j < len(self.lines) and self.lines[j].kind == "byline+":
            j += 1
        first, last = self.lines[i], self.lines[j - 1]
        span = (first.start, last.end)
        zh = span_text(self.text, span, " ")
        art = self.article
        if self.in_caption_block and art is not None:
            # A photo credit inside an article's caption block is part of the caption, not the article's byline.
            self.close_paragraph()
            self.para, self.role = list(self.lines[i:j]), "caption"
            self.close_paragraph()
            return j
        if art is None or art.byline is not None:
            # A byline with no headline above it opens a captioned photo (the seed's 滕州 police photo).
            art = self.new_article("photo", "no headline: treated as a captioned photo")
        elif art.paragraphs or self.para:
            self.close_paragraph()
            if art.kind != "photo":  # a photo's credit under its caption is where it belongs
                art.notes.append("byline trails the body")
        art.byline = Byline(f"{art.id}-by", zh, span, authors=byline_authors(zh))
        return j

    def caption(self, i: int) -> None:
        line = self.lines[i]
        art = self.article
        if art is not None and art.kind == "photo":
            self.start_paragraph(line, "caption")
            return
        if art is not None and (art.paragraphs or self.para) and self._caption_inside(i):
            self.in_caption_block = True
            self.start_paragraph(line, "caption")
            return
        self.new_article("photo", "no headline: treated as a captioned photo")
        self.start_paragraph(line, "caption")

    def _caption_inside(self, i: int) -> bool:
        """Whether the caption block at lines[i] is followed by more text of the same article."""
        k = i
        while k < len(self.lines) and _in_caption_block(self.lines[k]):
            k += 1
        return k < len(self.lines) and self.lines[k].kind in ("text", "list", "subheading")

    def marker(self, line: Line) -> None:
        art = self.article
        if line.rule == R.CONTINUED_FROM.name:
            if art is None or art.paragraphs or self.para:
                art = self.headless()
            page_ref = R.CONTINUED_FROM.pattern.search(line.norm).group("page")
            art.notes.append(f"continued from {page_ref} ({line.text}): the beginning is on another page")
            self.single(line, "marker")
            return
        if art is None:
            self.other(line)
            return
        if line.rule == R.CONTINUED_ON.name:
            art.truncated = True
            page_ref = R.CONTINUED_ON.pattern.search(line.norm).group("page")
            art.notes.append(f"continued on {page_ref} ({line.text})")
        self.single(line, "marker")
        self.end_article(line.rule)

    def body(self, line: Line) -> None:
        art = self.article
        if art is None:
            if len(line.text) <= R.MAX_HEADLINE_CHARS and not ends_sentence(line.text):
                self.other(line)
                return
            art = self.headless()
        if self.in_caption_block:
            self.in_caption_block = False
            self.close_paragraph()
        joinable = bool(self.para) and not ends_sentence(self.para[-1].text) and line.kind != "list"
        if joinable:
            self.para.append(line)
        else:
            self.start_paragraph(line, "caption" if art.kind == "photo" else "body")


def _in_caption_block(line: Line) -> bool:
    """A caption line or the photo credit under it."""
    return line.kind == "caption" or (
        line.kind in ("byline", "byline+") and line.rule in ("photo-credit", "byline-continuation"))


def _finish(art: Article, text: str) -> None:
    """Roles of photo paragraphs, truncation, and notes on paragraphs that stop mid-sentence."""
    if art.kind == "photo":
        for para in art.paragraphs:
            if para.role == "body":
                para.role = "caption"
    content = [p for p in art.paragraphs if p.role in ("body", "caption")]
    if content and not art.truncated:  # a `（下转第八版）` marker has said so already
        last = text[content[-1].span[0] : content[-1].span[1]]
        if not ends_sentence(last):
            art.truncated = True
            art.notes.append("ends mid-sentence: probably continued on another page")
    subheadings = [p for p in art.paragraphs if p.role == "subheading"]
    if len(subheadings) == 1:
        # Sub-headings come in series; a lone one may be a paragraph's first column line that happens to be bare.
        art.notes.append(f"{subheadings[0].id} read as a sub-heading (a short line without punctuation); it may be "
                         "the first line of the paragraph after it")
    for para in content[:-1]:
        body = text[para.span[0] : para.span[1]]
        if para.role == "body" and not ends_sentence(body) and not body.endswith(OPEN_BY_DESIGN):
            art.notes.append(f"{para.id} ends mid-sentence: its continuation may have been separated from it "
                             "by a caption or heading")


def recover_layout(page: Page) -> Page:
    """Fill `page.items` from `page.text`; sentences are left empty for the sentence stage."""
    page.items = _Builder(page.text, label_lines(split_lines(page.text))).run()
    return page
