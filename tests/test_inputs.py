"""Reading inputs: encodings, line endings, control characters, bad files with one clear message, and parts."""

from __future__ import annotations

import codecs
import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import SEED
from pipeline.document import coverage_errors
from pipeline.errors import InputError, NoChineseError
from pipeline.inputs import MAX_HEADLINE_CHARS, MAX_INPUT_BYTES, MAX_PART_CHARS, clean_text, decode_bytes, \
    page_spans, read_input, read_stream
from pipeline.run import build_page

SEED_TEXT = SEED.read_text(encoding="utf-8")
SEED_BYTES = SEED_TEXT.encode("utf-8")
CHAR = SEED_BYTES.index("枣庄".encode("utf-8"), 3000)  # the first byte of a 3-byte character
# A traditional-Chinese report (Big5 cannot encode the simplified seed page).
TRADITIONAL = (
    "棗莊市舉行重點項目集中開工活動\n\n"
    "本報棗莊訊 棗莊市舉行重點項目集中開工活動，共有五十個項目開工，總投資額六百八十六億元。其中，五十億元以上"
    "項目三個，十億元以上項目二十二個。項目涉及新能源、新材料、高端裝備製造、特色文旅康養、基礎設施等多個領域。\n"
    "鋰電池新能源是棗莊首位發展的產業，當地致力於打造「北方鋰電之都」，這次集中開工鋰電項目九個，總投資一百七十七億元。\n"
)


@pytest.mark.parametrize("data, encoding, text", [
    (SEED_TEXT.encode("utf-8"), "utf-8", SEED_TEXT),
    (codecs.BOM_UTF8 + SEED_TEXT.encode("utf-8"), "utf-8-sig", SEED_TEXT),
    (SEED_TEXT.encode("utf-16"), "utf-16", SEED_TEXT),  # with its BOM, in the machine's byte order
    (codecs.BOM_UTF16_BE + SEED_TEXT.encode("utf-16-be"), "utf-16", SEED_TEXT),
    (SEED_TEXT.encode("utf-32"), "utf-32", SEED_TEXT),
    (SEED_TEXT.encode("gb18030"), "gb18030", SEED_TEXT),
    (SEED_TEXT.encode("gbk"), "gb18030", SEED_TEXT),  # GB18030 is a superset of GBK
    (SEED_TEXT.encode("utf-16-le"), "utf_16_le", SEED_TEXT),  # no BOM: detected
    (TRADITIONAL.encode("big5"), "big5", TRADITIONAL),
    (TRADITIONAL.encode("utf-8"), "utf-8", TRADITIONAL),
], ids=["utf8", "utf8-bom", "utf16-bom", "utf16be-bom", "utf32-bom", "gb18030", "gbk", "utf16le-nobom", "big5",
        "traditional-utf8"])
def test_encodings_are_detected_and_reported(data, encoding, text):
    decoded = decode_bytes(data, "page.txt")
    assert decoded.encoding == encoding
    assert decoded.text == text
    assert decoded.size == len(data)


@pytest.mark.parametrize("raw, expected", [
    ("标题\r\n\r\n正文。\r\n", "标题\n\n正文。\n"),  # CRLF
    ("标题\r\r正文。\r", "标题\n\n正文。\n"),  # old Mac CR
    ("标题\u2028正文。\x85", "标题\n正文。\n"),  # Unicode line separators
    ("枣庄\x00市。\x07\x1b[0m", "枣庄 市。  [0m"),  # NUL, BEL, ESC read as spaces
    ("标题\n\ufeff正文。", "标题\n 正文。"),  # a BOM left inside a concatenation of files
    ("\u3000\u3000本报讯 正文。\f第二页", "\u3000\u3000本报讯 正文。\f第二页"),  # full-width indents, form feed kept
])
def test_line_endings_and_control_characters(raw, expected):
    text, _ = clean_text(raw)
    assert text == expected
    assert decode_bytes(raw.encode("utf-8")).text == expected


def test_a_page_with_crlf_and_full_width_indents_loses_nothing():
    raw = SEED_TEXT.replace("\n", "\r\n").replace("\r\n\r\n", "\r\n\r\n\u3000\u3000")
    decoded = decode_bytes(raw.encode("gb18030"), "page.txt")
    assert "\r" not in decoded.text and "\u3000\u3000" in decoded.text
    page = build_page(decoded.text)
    assert coverage_errors(page) == []
    assert len(page.articles) == len(build_page(SEED_TEXT).articles)
    for unit in page.units():
        assert not unit.zh.startswith(("\u3000", " ")), unit.id


def test_nul_bytes_are_counted_and_nothing_printed_is_lost():
    raw = SEED_TEXT[:2000].replace("枣庄", "枣\x00庄")
    decoded = decode_bytes(raw.encode("utf-8"))
    assert decoded.controls == raw.count("\x00") > 0
    assert re.sub(r"\s", "", decoded.text) == re.sub(r"[\s\x00]", "", raw)
    assert coverage_errors(build_page(decoded.text)) == []


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


@pytest.mark.parametrize("data, message", [
    (b"", "the file is empty (0 bytes)"),
    (b"  \n\t\r\n", "holds only whitespace"),
    ("\u3000\u3000\n\n".encode("utf-8"), "holds only whitespace"),
    ("\u3000\n".encode("utf-16"), "holds only whitespace"),
    (PNG, "this is a PNG image, not a text file"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "this is a PDF; extract its text first"),
    (b"PK\x03\x04" + bytes(100), "a ZIP archive"),
    (bytes(range(256)) * 8, "(a binary file?)"),
    (b"\x00" * 500 + "中文".encode(), "looks like a binary file"),
    (SEED_BYTES[:CHAR] + b"\xff" + SEED_BYTES[CHAR:], f"byte {CHAR} is not valid UTF-8 (the file is damaged or cut short); repair"),
    (SEED_BYTES[: CHAR + 2], f"byte {CHAR} is not valid UTF-8 (the file is damaged or cut short)"),
    (codecs.BOM_UTF16_LE + "中文".encode("utf-16-le")[:3], "starts with a UTF-16 byte-order mark but byte 4"),
], ids=["empty", "whitespace", "full-width-whitespace", "utf16-whitespace", "png", "pdf", "zip", "binary",
        "nul-heavy", "bad-byte", "cut-short", "bad-after-bom"])
def test_bad_bytes_get_one_clear_message(data, message):
    with pytest.raises(InputError) as err:
        decode_bytes(data, "page.txt")
    text = str(err.value)
    assert text.startswith("page.txt: ") and message in text
    assert "\n" not in text


def test_a_file_without_chinese_says_so(tmp_path):
    path = tmp_path / "english.txt"
    path.write_text("Just an English page.\n")
    with pytest.raises(NoChineseError, match="english.txt: contains no Chinese text"):
        read_input(path)


@contextmanager
def as_nobody():
    """Root reads any file whatever its mode; drop to `nobody` (euid 65534) so a mode-000 file is unreadable."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(65534)
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


def test_an_unreadable_file_says_permission_denied():
    folder = Path(tempfile.mkdtemp(prefix="h8-perm-"))  # under /tmp, which `nobody` can traverse
    try:
        folder.chmod(0o755)
        path = folder / "secret.txt"
        path.write_text(SEED_TEXT, encoding="utf-8")
        path.chmod(0)
        with as_nobody(), pytest.raises(InputError) as err:
            read_input(path)
        assert str(err.value) == f"{path}: permission denied; make the file readable (chmod +r) or run as its owner."
    finally:
        (folder / "secret.txt").unlink()
        folder.rmdir()


def test_special_paths_get_one_clear_message(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # reading it would block forever
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as fh:
        fh.truncate(MAX_INPUT_BYTES + 1)  # sparse: the size check comes before any read
    cases = {
        tmp_path / "missing.txt": "no such file or folder",
        tmp_path: "is a folder; give the text files inside it",
        fifo: "is not a regular file (a pipe, socket or device)",
        loop: "cannot read it (Too many levels of symbolic links)",
        huge: "50 MB is more than one run reads from a file (50 MB); split it",
    }
    for path, message in cases.items():
        with pytest.raises(InputError) as err:
            read_input(path)
        assert str(err.value).startswith(f"{path}: ") and message in str(err.value), path


def test_stdin_is_read_as_bytes():
    import io

    decoded = read_stream(io.BytesIO(SEED_TEXT.encode("gb18030")))
    assert decoded.encoding == "gb18030" and decoded.text == SEED_TEXT
    with pytest.raises(InputError, match="^<stdin>: the file is empty"):
        read_stream(io.BytesIO(b""))


# --------------------------------------------------------------------------------------------------- parts


def _pages(n: int, header: bool = True, sep: str = "\n") -> str:
    return "".join((f"\n大众日报 2022年10月{i}日 第{i:02d}版\n\n" if header else sep) + SEED_TEXT for i in range(1, n + 1))


def _check_parts(text: str, spans: list[tuple[int, int]]) -> None:
    """Contiguous parts, in order, holding every non-whitespace character; each part's page loses nothing."""
    pos = 0
    for start, end in spans:
        assert start >= pos and not text[pos:start].strip()
        assert coverage_errors(build_page(text[start:end])) == []
        pos = end
    assert not text[pos:].strip()


def test_an_ordinary_page_is_one_part():
    assert page_spans(SEED_TEXT) == [(0, len(SEED_TEXT))]
    marker = SEED_TEXT.replace("756亿元。", "756亿元。\n\n（下转第2版）\n\n详见第4版\n", 1)
    assert page_spans(marker) == [(0, len(marker))]


@pytest.mark.parametrize("text, parts", [
    (_pages(5), 5),
    ("\f".join([SEED_TEXT] * 3), 3),  # pdftotext's page breaks
    ("\f\f" + "\f\f".join([SEED_TEXT] * 2) + "\f", 2),  # empty pages are dropped
    ("第01版：要闻\n" + SEED_TEXT + "\n人民日报 2022年10月10日 第 02 版\n" + SEED_TEXT, 2),
])
def test_page_breaks_and_page_headers_start_parts(text, parts):
    spans = page_spans(text)
    assert len(spans) == parts
    _check_parts(text, spans)
    for start, _ in spans[1:]:
        assert re.match(r"第|人民日报|大众日报 2022|\f|大众日报 客户端", text[start:].lstrip("\f\n")), text[start:start + 20]


def test_a_long_run_without_page_breaks_is_cut_before_a_headline():
    text = _pages(12, header=False, sep="\n\n")
    spans = page_spans(text)
    assert len(spans) >= len(text) // MAX_PART_CHARS
    _check_parts(text, spans)
    for start, end in spans:
        assert end - start <= MAX_PART_CHARS
    for start, _ in spans[1:]:
        first_line = text[start:].strip().split("\n", 1)[0].strip()
        assert len(first_line) <= MAX_HEADLINE_CHARS and not first_line.endswith("。"), first_line
        assert re.search(r"[。！？”]\s*$", text[:start]), text[start - 30 : start]


def test_one_enormous_line_is_still_cut_and_covered():
    text = ("一二三四五六七八九十" * 12_000)
    spans = page_spans(text)
    assert len(spans) >= 3 and spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))


def test_a_page_that_opens_with_a_date_line_and_its_page_header_is_one_part():
    """Issue #13, item 3: `2022年10月10日 星期一` then `第5版` is the head of one page, not a page of its own."""
    from conftest import ROOT

    text = (ROOT / "input" / "samples" / "dazhong-2022-10-10-p05.txt").read_text(encoding="utf-8")
    assert text.startswith("2022年10月10日 星期一\n\n第5版\n")
    assert page_spans(text) == [(0, len(text))]
    # Two such pages in one input are two parts, each with its date line.
    both = text + "\n" + text
    spans = page_spans(both)
    assert spans == [(0, len(text) + 1), (len(text) + 1, len(both))]
    _check_parts(both, spans)


def test_size_cuts_fall_between_articles_never_inside_one():
    """Issue #13, item 3: on 150 copies of the seed page (no page headers), 11 of 23 cuts fell inside an article,
    one mid-sentence. Every cut must now fall where an item of the page starts."""
    from pipeline.document import Article

    page = build_page(SEED_TEXT)
    starts = set()
    for item in page.items:
        first = min(u.span[0] for u in item.units()) if isinstance(item, Article) else item.span[0]
        starts.add(SEED_TEXT.rfind("\n", 0, first) + 1)
    text = "\n".join([SEED_TEXT] * 150)
    step = len(SEED_TEXT) + 1
    spans = page_spans(text)
    assert len(spans) >= len(text) // MAX_PART_CHARS
    _check_parts(text, spans)
    inside = [start for start, _ in spans[1:] if start % step not in starts | {0}]
    assert inside == [], [text[c - 20 : c + 10] for c in inside]
