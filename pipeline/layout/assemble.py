"""Grouping labelled lines into page items: articles and photos (headlines, byline, dateline, paragraphs) and
page furniture, repairing column breaks and saying in `notes` where a decision was uncertain.

The builder reads each line's sequence label (zh.LineKind, from crf.py, or from a gold structure): a kicker,
headline or subtitle after content opens an item; `continuation` joins a line to the paragraph above (a repaired
column break); the rest says what unit or paragraph role a line is.
"""

from __future__ import annotations

from ..document import Article, Byline, Dateline, Headline, Other, Paragraph, span_text
from ..zh import LineKind
from . import rules as R
from .lines import MIN_TEXT_LINE_CHARS, Line, byline_authors, ends_sentence, is_credit, is_subtitle

K = LineKind

# A paragraph that stops on one of these is unfinished on purpose (an introduction to a list, a list item).
OPEN_BY_DESIGN = ("：", ":", "；", ";")
# A dispatch's dateline right under the text of an article that has run on for this many paragraphs with no dateline
# of its own opens the next story (web copy of one story after another, the second pasted without its title). In
# the gold of the training folders (dev, hand-laid, samples, train-extra), of the dateline lines right under a
# paragraph of text, the 10 under 3 or more such paragraphs all open a new story, and the 13 under one paragraph or
# none all stay in their article (an editor's note, a lead or `■` points above the dispatch; points and notes are not
# counted); the document-held-out CV folds glued 5 such stories to the one above.
DISPATCH_AFTER_PARAGRAPHS = 3


def _headline_roles(texts: list[str]) -> list[str]:
    if len(texts) == 1:
        return ["main"]
    if len(texts) == 2:
        return ["main", "subtitle"] if is_subtitle(texts[1]) else ["kicker", "main"]
    return ["kicker", "main", "subtitle"]


class _Builder:
    """Walks the labelled lines once, keeping the item and paragraph being built."""

    def __init__(self, text: str, lines: list[Line], labels: list[LineKind]) -> None:
        self.text = text
        self.lines = lines
        self.labels = labels
        self.items: list[Article | Other] = []
        self.article: Article | None = None
        self.para: list[Line] = []
        self.role = "body"
        # Whether the paragraph being built opens with the article's dateline (a line labelled `dateline`).
        self.opens_with_dateline = False
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
        if self.role == "body" and art.dateline is None and self.opens_with_dateline:
            start = self._split_dateline(art, self.para[0], end)
        if start < end:
            pid = f"{art.id}-p{len(art.paragraphs) + 1:02d}"
            breaks = [ln.end for ln in self.para[:-1] if ln.end > start]
            art.paragraphs.append(Paragraph(pid, (start, end), role=self.role, column_breaks=breaks))
        self.para = []
        self.role = "body"
        self.opens_with_dateline = False

    def _split_dateline(self, art: Article, line: Line, end: int) -> int:
        """Cut the dateline (and the reporter credit it carries) off the first paragraph; returns its new start."""
        hit = R.first_match(R.DATELINES, line.norm)
        if hit is None:
            return line.start
        dl_end = line.start + len(hit[1].group().rstrip())
        art.dateline = Dateline(f"{art.id}-dl", self.text[line.start : dl_end], (line.start, dl_end))
        pos = dl_end
        m = R.DATELINE_CREDIT.pattern.match(self.text, pos, line.end)
        group = next((g for g in ("credit", "bare", "spaced") if m and m.group(g)), "credit")
        if m and is_credit(m.group(group), after_dateline=True):
            if art.byline is None:
                # a bare credit's closing colon (`记者X报道：`) goes with it: it is no part of the first sentence
                span = (m.start(group), m.end())
                zh = self.text[span[0] : span[1]]
                art.byline = Byline(f"{art.id}-by", zh, span, authors=byline_authors(m.group(group)))
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
        line, label = self.lines[i], self.labels[i]
        if label == K.CAPTION and line.rule == R.GRAPHIC_CREDIT.name:
            label = K.CREDIT  # `制图：高妍` under an article's text is the article's, as a credit is
        if (label in (K.CREDIT, K.END_MATTER) and self.article is None and i > 0
                and self.lines[i - 1].rule == R.CONTINUED_ON.name and isinstance(self.items[-1], Article)):
            # A chart's credit or the end matter right under `（下转第七版）` is the article's that the marker closed: in
            # the gold of the training folders 7 of 7 such lines are (2 credits, 5 end matter); the builder had made
            # the credit a photo of its own and the end matter page furniture.
            self.article = self.items[-1]
        if label == K.FURNITURE:
            # Furniture ends the item before it: items are in source order, so nothing after it can rejoin that item.
            self.end_article("furniture")
            self.other(line)
            return i + 1
        if label in (K.KICKER, K.HEADLINE, K.SUBTITLE):
            return self.headline(i)
        if label == K.BYLINE or (label == K.CREDIT and is_credit(line.text) and not self._credit_in_caption(i)):
            return self.byline(i)
        if label == K.CREDIT and self.article is not None and (self.article.paragraphs or self.para):
            # `制图：郭 祥`, `资料图片`: a credit under an article's text is one of its caption paragraphs.
            self.in_caption_block = self.article.kind != "photo"
            self.start_paragraph(line, "caption")
            return i + 1
        if label in (K.CAPTION, K.CREDIT):
            self.caption(i)
            return i + 1
        if label == K.MARKER:
            self.marker(line)
            return i + 1
        if label == K.END_MATTER:
            if self.article is None:
                self.other(line)
            else:
                self.in_caption_block = False
                self.single(line, "marker")
            return i + 1
        if label == K.DATELINE and self._piece_dispatch(i):
            label = K.BODY
        if label == K.DATELINE:
            art = self.article
            if art is None or art.kind != "article" or art.dateline is not None or self._story_above(i):
                self.new_article("article", "no headline: the article starts at its dateline")
            self.in_caption_block = False
            self.start_paragraph(line, "body")
            self.opens_with_dateline = True
            return i + 1
        if label == K.NOTE:
            self.note(line)
            return i + 1
        if label == K.SUBHEADING and self.article is not None:
            self.in_caption_block = False
            self.single(line, "subheading")
            return i + 1
        self.body(line, join=label == K.CONTINUATION,
                  runs_on=i + 1 < len(self.lines) and self.labels[i + 1] == K.CONTINUATION)
        return i + 1

    def _text_paragraphs(self, role: str | None = None) -> list[str]:
        """The text of each paragraph of the article being built (the open one included; of `role` if given),
        leaving out the `■` points that sum up a story under its headline."""
        assert self.article is not None
        spans = [p.span for p in self.article.paragraphs if role in (None, p.role)]
        if self.para and role in (None, self.role):
            spans.append((self.para[0].start, self.para[-1].end))
        texts = (self.text[a:b].lstrip() for a, b in spans)
        return [t for t in texts if not t.startswith(R.BULLETS)]

    def _piece_dispatch(self, i: int) -> bool:
        """Whether a dateline line is a roundup piece's dispatch set in its text: one right under a sub-heading of an
        article that has its dateline already (人民日报's `多国人士…` roundup: each piece a sub-heading, then
        `本报雅加达7月26日电　（记者韦　宁）` and the piece's text). In the gold of the training folders, of the 42
        dateline lines under a sub-heading, the 4 of that roundup are text (the first of them is read as the
        article's dateline, and each later one opened a new article) and the 38 others are their article's one
        dateline. With the rule the dev CV folds lost 2/3/3 false boundaries on the hand-laid cuts n/a/b and 1 on the
        by-document folds, and no true one."""
        art = self.article
        return (i > 0 and self.labels[i - 1] == K.SUBHEADING and art is not None and art.kind == "article"
                and art.dateline is not None)

    def _credit_inside_text(self, i: int, j: int) -> bool:
        """Whether the photo credit on lines i..j-1 stands inside an article's text: under its paragraphs, with more
        text right under it. In the gold of the training folders, 26 photo credits inside an article have more of its
        text under them, and no photo is followed by text with no headline; the builder had made the credit a photo
        of its own and the rest of the article that photo's caption."""
        art = self.article
        return (art is not None and art.kind == "article" and bool(art.paragraphs or self.para)
                and bool(R.PHOTO_CREDIT_END.search(self.lines[j - 1].norm))
                and j < len(self.labels) and self.labels[j] in (K.BODY, K.CONTINUATION))

    def _story_above(self, i: int) -> bool:
        """Whether the text right above line i is a whole story of its own (DISPATCH_AFTER_PARAGRAPHS)."""
        if i == 0 or self.labels[i - 1] not in (K.BODY, K.CONTINUATION) or self.article is None:
            return False
        texts = self._text_paragraphs("body")
        return sum(1 for t in texts if not R.EDITOR_NOTE.pattern.match(t)) >= DISPATCH_AFTER_PARAGRAPHS

    def _credit_in_caption(self, i: int) -> bool:
        """Whether a credit line belongs to the caption block above it (a caption of an article, not a photo)."""
        return self.in_caption_block and self.article is not None and self.article.kind != "photo"

    def note(self, line: Line) -> None:
        """An editor's note: its signature (`——编者`) closes it, its title (`开栏的话`) heads it, its text is body."""
        if self.article is None:
            self.headless()
        if line.norm.startswith(("—", "－")):
            self.single(line, "marker")
        elif len(line.text) <= R.MAX_SUBHEADING_CHARS and not R.CLAUSE_PUNCT.search(line.norm):
            self.single(line, "subheading")
        else:
            self.start_paragraph(line, "body")

    def headline(self, i: int) -> int:
        j = i
        roles = {K.KICKER: "kicker", K.HEADLINE: "main", K.SUBTITLE: "subtitle"}
        while j < len(self.lines) and self.labels[j] in roles:
            j += 1
        art = self.article
        if art is None or art.byline or art.dateline or art.paragraphs or self.para:
            art = self.new_article("article")
        for ln, lab in zip(self.lines[i:j], self.labels[i:j]):
            role = roles[lab]
            if (role == "main" and any(h.role == "main" for h in art.headlines)) or (
                    role == "kicker" and any(h.role in ("main", "subtitle") for h in art.headlines)):
                art = self.new_article("article")  # a second main headline is a second item
            art.headlines.append(Headline(f"{art.id}-h{len(art.headlines) + 1}", ln.text, (ln.start, ln.end),
                                          role=role))
        if j < len(self.lines) and self.labels[j] in (K.BODY, K.CONTINUATION, K.SUBHEADING, K.NOTE):
            art.notes.append("no byline or dateline under the headline: the article boundary rests on the headline "
                             "lines alone")
        return j

    def byline(self, i: int) -> int:
        j = i + 1
        while j < len(self.lines) and self.labels[j] == K.BYLINE and not R.BYLINE_END.search(self.lines[j - 1].norm):
            j += 1
        first, last = self.lines[i], self.lines[j - 1]
        span = (first.start, last.end)
        zh = span_text(self.text, span, " ")
        art = self.article
        if (self.in_caption_block and art is not None) or self._credit_inside_text(i, j):
            # A photo credit inside an article's caption block, or inside its text, is part of a caption, not the
            # article's byline.
            self.close_paragraph()
            self.para, self.role = list(self.lines[i:j]), "caption"
            self.close_paragraph()
            return j
        if art is not None and self.para:
            # closing it first: a dateline's paragraph gives the article the reporter credit it carries
            # (`本报济南9月14日讯（记者 王的）`), which this byline must not then replace (its text would be lost)
            self.close_paragraph()
        if art is None or art.byline is not None:
            # A byline with no headline above it opens a captioned photo (the seed's 滕州 police photo).
            art = self.new_article("photo", "no headline: treated as a captioned photo")
        elif art.paragraphs:
            if art.kind != "photo":  # a photo's credit under its caption is where it belongs
                art.notes.append("byline trails the body")
        art.byline = Byline(f"{art.id}-by", zh, span, authors=byline_authors(zh))
        return j

    def caption(self, i: int) -> None:
        line = self.lines[i]
        art = self.article
        if (art is not None and art.kind == "photo" and art.byline is not None and art.paragraphs
                and art.byline.span[0] > art.paragraphs[-1].span[0]):
            art = None  # a photo with its caption and credit is complete: the next caption is another photo's
        if art is not None and art.headlines and not art.paragraphs and not self.para and self._caption_inside(i):
            # A photo between an article's headline and its text belongs to the article.
            self.in_caption_block = True
            self.start_paragraph(line, "caption")
            return
        if art is not None and (art.kind == "photo" or (art.headlines and not art.paragraphs and not self.para)):
            art.kind = "photo"
            self.start_paragraph(line, "caption")
            return
        if art is not None and (art.paragraphs or self.para) and (self._caption_inside(i) or self._chart_block(i)):
            self.in_caption_block = True
            self.start_paragraph(line, "caption")
            return
        self.new_article("photo", "no headline: treated as a captioned photo")
        self.start_paragraph(line, "caption")

    def _caption_block_end(self, i: int) -> int:
        """The end of the caption block at lines[i]: the caption's lines, a caption over two column lines included,
        and its credits."""
        k = i
        while k < len(self.lines) and (self.labels[k] in (K.CAPTION, K.CREDIT) or (
                k > i and self.labels[k] == K.CONTINUATION and self.labels[k - 1] in (K.CAPTION, K.CONTINUATION))):
            k += 1
        return k

    def _caption_inside(self, i: int) -> bool:
        """Whether the caption block at lines[i] is followed by more text of the same article."""
        k = self._caption_block_end(i)
        return k < len(self.lines) and self.labels[k] in (K.BODY, K.CONTINUATION, K.SUBHEADING, K.END_MATTER,
                                                           K.DATELINE, K.NOTE)

    def _chart_block(self, i: int) -> bool:
        """Whether the caption block at lines[i] is a chart's or a table's: its title over `数据来源：…` or
        `制图：X`. After an article's last paragraph it is still the article's (no photo has a data source)."""
        return any(ln.rule == R.GRAPHIC_CREDIT.name for ln in self.lines[i + 1 : self._caption_block_end(i)])

    def marker(self, line: Line) -> None:
        art = self.article
        if line.rule == R.CONTINUED_FROM.name:
            # `（上接第一版）` under a headline (its `■` points, its byline) goes on that article; after its text, a
            # new one begins (in the gold of the training folders 36 of 37 markers follow a heading block, 2 of them
            # over `■` points, and all 36 stay with it)
            if art is None or self._text_paragraphs():
                art = self.headless()
            m = R.CONTINUED_FROM.pattern.search(line.norm)
            page_ref = m.group("page") if m else line.text
            art.notes.append(f"continued from {page_ref} ({line.text}): the beginning is on another page")
            self.single(line, "marker")
            return
        if art is None:
            self.other(line)
            return
        if line.rule == R.CONTINUED_ON.name:
            art.truncated = True
            m = R.CONTINUED_ON.pattern.search(line.norm)
            page_ref = m.group("page") if m else line.text
            art.notes.append(f"continued on {page_ref} ({line.text})")
        self.single(line, "marker")
        self.end_article(line.rule)

    def body(self, line: Line, join: bool, runs_on: bool = False) -> None:
        """A line of text (`join`: it goes on the paragraph above; `runs_on`: the next line goes on it). Outside any
        article a short bare line is page furniture, but a column's line (MIN_TEXT_LINE_CHARS or more) that the next
        line goes on, and a line that goes on the one above, are the text of an article without a headline. In the
        dev CV folds a sub-heading read as furniture (`【重庆】`) had left a narrow column's lines furniture one by one
        down to the first that ends a sentence; with this the hand-laid cuts n/a/b lost 3/3/2 false boundaries and
        gained 4/3/2 true ones. A page's two-character title over its text (`标题`) stays furniture."""
        art = self.article
        if art is None:
            if (len(line.text) <= R.MAX_HEADLINE_CHARS and not ends_sentence(line.text)
                    and not (join or runs_on and len(line.norm) >= MIN_TEXT_LINE_CHARS)):
                self.other(line)
                return
            art = self.headless()
        if self.in_caption_block:
            if join and self.para and self.role == "caption" and not is_credit(self.para[-1].text):
                self.para.append(line)  # a caption set over two column lines goes on (not after its credit)
                return
            self.in_caption_block = False
            self.close_paragraph()
        if join and self.para:
            self.para.append(line)
        else:
            self.start_paragraph(line, "caption" if art.kind == "photo" else "body")


def _finish(art: Article, text: str) -> None:
    """Roles of photo paragraphs, truncation, and notes on paragraphs that stop mid-sentence."""
    if art.kind == "photo":
        for para in art.paragraphs:
            if para.role == "body":
                para.role = "caption"
    content = [p for p in art.paragraphs if p.role in ("body", "caption")]
    # A caption or credit printed after an article's text (`制图：贺晓`) says nothing of where the text ends.
    ends = [p for p in content if p.role == "body"] or content
    if ends and not art.truncated:  # a `（下转第八版）` marker has said so already
        last = text[ends[-1].span[0] : ends[-1].span[1]]
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


def build_items(text: str, lines: list[Line], labels: list[LineKind]) -> list[Article | Other]:
    """The items of a page from its labelled lines."""
    return _Builder(text, lines, labels).run()
