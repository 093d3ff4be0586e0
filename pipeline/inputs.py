"""Reading input files: bytes → decoded text, with one clear error for anything that is not a text page.

The decoded text is what every span points into: line endings are normalised to LF (as Python's text mode does)
and control characters (NUL, …) are read as spaces, so nothing that is printed on a page moves or disappears.
Large files are cut into parts (`page_spans`) at page breaks, page-header lines or paragraph boundaries, so a
run holds one part's document tree at a time.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .errors import InputError, NoChineseError
from .language import has_chinese

# A headline is a short line that does not end a sentence (the layout stage's rule, shared so that a size cut lands
# just before an article, not inside one).
from .zh import LINE_ENDS_SENTENCE as _SENTENCE_END
from .zh import MAX_HEADLINE_CHARS

# A day's paper is a few MB of text; beyond this the file is an archive to split, and reading it whole (bytes,
# decoded text and its cleaned copy side by side) would cost several times its size in memory.
MAX_INPUT_BYTES = 50 * 1024 * 1024
# Text never has this share of control characters; binary files (images, archives, UTF-16 read as bytes) do.
MAX_CONTROL_SHARE = 0.05
# …but a short text with a stray NUL or escape sequence is still text.
MIN_BINARY_CONTROLS = 16
# A file where at least this share of the non-ASCII sequences is valid UTF-8 is UTF-8 with damaged bytes, not
# a legacy encoding: GB18030 or Big5 text read as UTF-8 is invalid at nearly every Chinese character.
MIN_UTF8_VALID_SHARE = 0.9
# Legacy encodings of Chinese pages (GB18030 ⊃ GBK ⊃ GB2312; Big5, its HKSCS and Microsoft variants) and BOM-less
# UTF-16/32. Restricting detection to these keeps charset-normalizer from calling a short GBK page Latin-1.
LEGACY_ENCODINGS = ["gb18030", "big5", "big5hkscs", "cp950", "utf_16_le", "utf_16_be", "utf_32_le", "utf_32_be"]
# A part of a large input is cut at about this many characters: several pages of a daily (the sample page has
# 7,500), so a part's document tree stays a few MB and its article ids stay within a01–a99.
MAX_PART_CHARS = 50_000
# A size cut asks the layout where articles start only in windows at least this long: a shorter window holds no
# more than an article or two (the seed page's ten articles average 750 characters), and the layout's cost per
# call would then be paid for every few hundred characters.
MIN_LAYOUT_CUT_CHARS = 2_000
# A page-header line of an e-paper dump: `人民日报 2022年10月10日 第01版：要闻`, `第3版 枣庄新闻`; not a
# continuation marker (`（下转第2版）`, `详见第4版`).
PAGE_HEADER = re.compile(r"(?![（(〔【\[])(?!.*[转见接续])(.{0,30}?)第\s*[0-9０-９]{1,3}\s*版([\s:：·|丨].{0,24})?")
MAX_PAGE_HEADER_CHARS = 60
# A date line at the head of a page (`2022年10月10日 星期一`, `2022年10月10日 星期一 壬寅年九月十五`).
_DATE_LINE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日(\s*(星期|周)[一二三四五六日天])?[^。！？\n]{0,16}")

# Binary formats users mistake for text, by their first bytes.
MAGIC = [
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF-", "a PDF; extract its text first (e.g. `pdftotext -layout`)"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx); extract the text first"),
    (b"\x1f\x8b", "a gzip archive; decompress it first"),
    (b"\x7fELF", "a program"),
    (b"{\\rtf", "an RTF document; save it as plain text first"),
    (b"\xd0\xcf\x11\xe0", "an old Office document; save it as plain text first"),
]

_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")
# Control characters other than tab, LF and form feed (a page break); U+FEFF is a BOM left inside concatenated
# files. They are read as spaces.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0d-\x1f\x7f\x80-\x84\x86-\x9f\ufeff\ufffe]")
_BLANK_LINE = re.compile(r"\n[ \t\u3000\f]*\n")


@dataclass
class Decoded:
    text: str
    encoding: str
    sha256: str  # of the input bytes, so a resumed run can tell an unchanged input
    size: int = 0  # bytes
    controls: int = 0  # control characters read as spaces


def _is_damaged_utf8(data: bytes) -> bool:
    """Mostly valid UTF-8 with a few bad bytes (a cut-off file, a bad copy), not a legacy encoding."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for c in text if ord(c) > 0x7F) - bad
    return good > 0 and good >= MIN_UTF8_VALID_SHARE * (good + bad)


def _detect(data: bytes, name: str) -> tuple[str, str]:
    """Text and encoding of bytes that are not UTF-8."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if _is_damaged_utf8(data):
            raise InputError(f"{name}: byte {exc.start} is not valid UTF-8 (the file is damaged or cut short); "
                             "repair it or re-save it as UTF-8.") from None
    else:
        return data.decode("utf-8"), "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=LEGACY_ENCODINGS).best()
    if best is None:
        raise InputError(f"{name}: not text in UTF-8, GB18030/GBK or Big5 (a binary file?); give a text dump of "
                         "a newspaper page.")
    return str(best), best.encoding


def clean_text(text: str) -> tuple[str, int]:
    """LF line endings, control characters read as spaces; returns the text and how many controls there were."""
    text = _NEWLINES.sub("\n", text)
    text, controls = _CONTROL.subn(" ", text)
    return text, controls


def decode_bytes(data: bytes, name: str = "input") -> Decoded:
    """Decode a page: BOMs first, then UTF-8, then detection among the encodings of Chinese text."""
    if not data:
        raise InputError(f"{name}: the file is empty (0 bytes); give a text dump of a newspaper page.")
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{name}: {len(data) / 2**20:.0f} MB is more than one run reads from a file "
                         f"({MAX_INPUT_BYTES // 2**20} MB); split it into smaller files.")
    sha = hashlib.sha256(data).hexdigest()
    for magic, what in MAGIC:
        if data.startswith(magic):
            raise InputError(f"{name}: this is {what}, not a text file.")
    boms = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
            (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
    for bom, enc in boms:
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as exc:
                label = enc.upper().removesuffix("-SIG")
                raise InputError(f"{name}: starts with a {label} byte-order mark but byte {exc.start} is not valid "
                                 f"{label} (the file is damaged or cut short); repair it or re-save the file.") from None
            break
    else:
        text, enc = _detect(data, name)
    text, controls = clean_text(text)
    if controls > max(MAX_CONTROL_SHARE * len(text), MIN_BINARY_CONTROLS):
        raise InputError(f"{name}: looks like a binary file ({controls} control characters), not text; give a "
                         "text dump of a newspaper page.")
    if not text.strip():
        raise InputError(f"{name}: holds only whitespace; give a text dump of a newspaper page.")
    return Decoded(text, enc, sha, len(data), controls)


def _check_text(decoded: Decoded, name: str) -> Decoded:
    if not has_chinese(decoded.text):
        raise NoChineseError(f"{name}: contains no Chinese text, so there is nothing to translate.")
    return decoded


def read_input(path: Path) -> Decoded:
    """Read and decode one input file."""
    path = Path(path)
    try:
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            raise InputError(f"{path}: is a folder; give the text files inside it (or `pipeline run {path}`).")
        if not stat.S_ISREG(st.st_mode):
            # Reading a FIFO would wait forever for a writer; devices and sockets are not pages either.
            raise InputError(f"{path}: is not a regular file (a pipe, socket or device); give a text file, or "
                             "`-` to read standard input.")
        if st.st_size > MAX_INPUT_BYTES:
            raise InputError(f"{path}: {st.st_size / 2**20:.0f} MB is more than one run reads from a file "
                             f"({MAX_INPUT_BYTES // 2**20} MB); split it into smaller files.")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file or folder.") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied; make the file readable (chmod +r) or run as its owner.") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror or exc}).") from None
    return _check_text(decode_bytes(data, str(path)), str(path))


def read_stream(stream: BinaryIO | None = None, name: str = "<stdin>") -> Decoded:
    """Read and decode a page from a byte stream (standard input by default)."""
    stream = stream if stream is not None else sys.stdin.buffer
    data = stream.read(MAX_INPUT_BYTES + 1)
    return _check_text(decode_bytes(data, name), name)


def _page_cuts(text: str) -> list[int]:
    """Offsets where a new page starts: after a form feed, at a page-header line."""
    cuts = [m.end() for m in re.finditer("\f", text)]
    for m in re.finditer(r"[^\n]+", text):
        line = m.group().strip(" \t\u3000\f")
        if line and len(line) <= MAX_PAGE_HEADER_CHARS and "第" in line and PAGE_HEADER.fullmatch(line):
            cuts.append(m.start())
    return sorted(set(cuts))


def _size_cut(text: str, lo: int, hi: int) -> int:
    """Where to cut text[lo:hi]'s tail: before the last article that starts in it, as the layout reads the text
    up to `hi` (so a cut never falls inside an article); else before a headline-like line, else after a paragraph,
    else at a blank line or a line end."""
    article = _article_start(text, lo, hi) if hi - lo >= MIN_LAYOUT_CUT_CHARS else -1
    if article > lo:
        return article
    headline = paragraph = blank = -1
    for m in _BLANK_LINE.finditer(text, lo, hi):
        line_start = text.rfind("\n", lo, m.start())
        before = text[line_start + 1 if line_start >= 0 else lo : m.start()].strip()
        next_end = text.find("\n", m.end(), hi)
        after = text[m.end() : next_end if next_end >= 0 else hi].strip()
        blank = m.end()
        if _SENTENCE_END.search(before):
            paragraph = m.end()
            if 0 < len(after) <= MAX_HEADLINE_CHARS and not _SENTENCE_END.search(after):
                headline = m.end()
    for cut in (headline, paragraph, blank):
        if cut > lo:
            return cut
    last = text.rfind("\n", lo, hi)
    return last + 1 if last > lo else hi


def _article_start(text: str, lo: int, hi: int) -> int:
    """The start of the line on which the last article beginning in text[lo:hi] begins, as the layout reads the
    window from the part's start (`lo - (hi - lo)`, i.e. the last cut) to `hi`; -1 when there is none."""
    from .document import Article, Page
    from .layout import recover_layout

    start = max(0, 2 * lo - hi)
    page = recover_layout(Page(text=text[start:hi]))
    starts = []
    for item in page.items:
        if isinstance(item, Article):
            spans = [u.span[0] for u in item.units()]
            if spans:
                starts.append(start + min(spans))
    for begin in reversed(starts):
        line = text.rfind("\n", 0, begin) + 1
        if lo < line < hi:
            return line
    return -1


def _before_date_lines(text: str, cut: int) -> int:
    """A page-header cut moved back over the date lines just above it (`2022年10月10日 星期一`): they head the
    page that follows, not the one before."""
    while True:
        end = len(text[:cut].rstrip(" \t\u3000\n\f"))
        start = text.rfind("\n", 0, end) + 1
        if end <= 0 or not _DATE_LINE.fullmatch(text[start:end].strip()):
            return cut
        cut = start


def _has_body(text: str) -> bool:
    """Whether a stretch holds text of its own, not only a page's header lines (a date, `第5版`, a paper's name)."""
    return any(_SENTENCE_END.search(line.strip()) or len(line.strip()) > MAX_PAGE_HEADER_CHARS
               for line in text.splitlines())


def page_spans(text: str, max_chars: int = MAX_PART_CHARS) -> list[tuple[int, int]]:
    """[start, end) of each part of a decoded input; one part for an ordinary page.

    An input is cut where a new page starts (a form feed, a page-header line such as `第5版`), so that each part
    is a page; lines before a page's header that hold no text of their own (a date line) belong to that page, so a
    single page that opens with a date line and a `第N版` header is one part. A page longer than `max_chars` is cut
    by size, just before an article (see `_size_cut`). Parts are contiguous, so together they hold every
    character; whitespace-only stretches between them are left out.
    """
    cuts = sorted({_before_date_lines(text, c) for c in _page_cuts(text)} - {0, len(text)})
    kept: list[int] = []
    prev = 0
    for cut in cuts:
        if _has_body(text[prev:cut]):
            kept.append(cut)
            prev = cut
    bounds = [0, *kept, len(text)]
    spans: list[tuple[int, int]] = []
    for start, end in zip(bounds, bounds[1:]):
        while end - start > max_chars:
            cut = _size_cut(text, start + max_chars // 2, start + max_chars)
            spans.append((start, cut))
            start = cut
        spans.append((start, end))
    spans = [s for s in spans if text[s[0] : s[1]].strip()]
    if len(spans) <= 1:
        return [(0, len(text))]
    return spans
