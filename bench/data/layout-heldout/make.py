"""Turn the hand-marked page sources in src/*.page into NAME.txt + NAME.gold.json (format: pipeline/layout/gold.py).

This is not a page generator: every page, every item, every role and every text choice is written by hand in its
.page file; this script only prints the lines (wrapping a paragraph at the column width written in the file, or
where the file puts a `|`) and writes down the gold that the hand marking says, so that the `|` of a gold paragraph
is exactly where the printed line breaks. Nothing is shared with bench/layoutcorpus/.

Usage (from the repository root): PYTHONPATH=. /work/main/.venv/bin/python bench/data/layout-heldout/make.py [--check]
                                                                                    [--folder bench/data/layout-hand]

Source format, one directive a line (`#` starts a comment line):
  @about TEXT / @sources TEXT / @style NAME   the gold file's about, sources and style
  @wrap N       column width in full-width characters for the paragraphs below (0: break only at `|`); a half-width
                character counts one half; a closing mark never starts a line, an opening mark never ends one, and a
                run of digits or Latin letters is never split
  @indent S     printed before each paragraph's first line (`none`, `2` for two spaces, `ideo` for 　　)
  @blank 0|1    a blank line between all lines below
  @crlf         Windows line ends for the page
  F TEXT        a line of page furniture (an `other` item)
  ART / PHOTO   a new article / photo item
  K / H / S     kicker / main headline / subtitle line of the current item
  B TEXT ¦ AUTHORS   byline line (authors separated by spaces; empty for a collective byline)
  DL DATELINE ¦ BYLINE ¦ AUTHORS   the next paragraph opens with this dateline and (perhaps empty) bracketed byline
  CR BYLINE ¦ AUTHORS   the next caption ends with this credit, which is the item's byline
  P / U / C / M TEXT   a body / subheading / caption / marker paragraph (U and M are never wrapped)
  T             the current item is truncated (continued on another page)
In TEXT, `{N}` is line N of the WMT21 newstest2021.zh-en.src.zh file, `{N:tw}` / `{N:hk}` the same in Traditional
script (OpenCC s2twp / s2hk, “” → 「」, ‘’ → 『』), `{N:nd}` line N without its dispatch dateline and
bracketed byline (for a page that prints its own 本报讯 dateline over the text), and `|` a column break placed by hand.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
WMT21 = HERE.parents[2] / ".." / "shared" / "data" / "wmt21-newstest-zh" / "newstest2021.zh-en.src.zh"
NO_LINE_START = set("，。、；：？！）》」』”’】〕…—·%,.;:?!)]")
NO_LINE_END = set("（《「『“‘【〔([")


def _wmt21() -> list[str]:
    path = WMT21
    if not path.exists():
        path = Path("/work/wt/shared/data/wmt21-newstest-zh/newstest2021.zh-en.src.zh")
    return path.read_text(encoding="utf-8").splitlines()


_CONVERTERS: dict[str, object] = {}


def _convert(text: str, script: str) -> str:
    import opencc

    conf = {"tw": "s2twp", "hk": "s2hk"}[script]
    if conf not in _CONVERTERS:
        _CONVERTERS[conf] = opencc.OpenCC(conf)
    out = _CONVERTERS[conf].convert(text)  # type: ignore[attr-defined]
    return out.replace("“", "「").replace("”", "」").replace("‘", "『").replace("’", "』")


def expand(text: str, lines: list[str]) -> str:
    def one(m: re.Match[str]) -> str:
        s = lines[int(m.group(1)) - 1].strip()
        for opt in filter(None, (m.group(2) or "").split(":")):
            if opt == "nd":
                s, n = re.subn(r"^\S*?电\s*(?:[（(][^）)]*[）)])?", "", s)
                assert n == 1, f"no dateline in line {m.group(1)}"
            else:
                s = _convert(s, opt)
        return s

    return re.sub(r"\{(\d+)((?::(?:tw|hk|nd))*)\}", one, text)


def _width(ch: str) -> float:
    return 0.5 if ord(ch) < 0x2E80 and ch not in "—…" else 1.0


def wrap(text: str, width: float, first_indent: float, keep: int) -> list[int]:
    """Break offsets in `text` (`|` already removed): greedy at `width`, with the rules above; none before `keep`."""
    breaks: list[int] = []
    if width <= 0:
        return breaks
    used, start = first_indent, 0
    i = 0
    while i < len(text):
        used += _width(text[i])
        if used > width and i > start and i >= keep:
            cut = i
            # a closing mark may not start a line: pull it (and any run of them) up onto this line
            while cut < len(text) and text[cut] in NO_LINE_START:
                cut += 1
            # an opening mark may not end a line; digits and Latin letters stay together
            while cut - 1 > start and (text[cut - 1] in NO_LINE_END or (
                    cut < len(text) and re.match(r"[0-9A-Za-z.%]", text[cut - 1]) and re.match(r"[0-9A-Za-z.%]", text[cut]))):
                cut -= 1
            if cut >= len(text):
                break
            if cut <= start or cut < keep:
                i += 1
                continue
            breaks.append(cut)
            start, i = cut, cut
            used = 0.0
            continue
        i += 1
    return breaks


class Page:
    def __init__(self, name: str) -> None:
        self.name = name
        self.about = ""
        self.sources = ""
        self.style = ""
        self.width = 0.0
        self.indent = ""
        self.blank = False
        self.crlf = False
        self.out: list[str] = []  # printed lines
        self.items: list[dict] = []
        self.pending_dl: tuple[str, str, list[str]] | None = None
        self.pending_cr: tuple[str, list[str]] | None = None

    def emit(self, line: str) -> None:
        if self.blank and self.out:
            self.out.append("")
        self.out.append(line)

    def current(self) -> dict:
        if not self.items or self.items[-1]["kind"] == "other":
            raise ValueError(f"{self.name}: a headline, byline or paragraph outside an item (missing ART/PHOTO)")
        return self.items[-1]

    def paragraph(self, role: str, text: str) -> None:
        art = self.current()
        pieces = text.split("|")
        plain = "".join(pieces)
        hand = []
        n = 0
        for piece in pieces[:-1]:
            n += len(piece)
            hand.append(n)
        prefix_len = 0
        if self.pending_dl:
            dateline, byline, authors = self.pending_dl
            m = re.match(r"\s*" + re.escape(dateline) + r"\s*" + (re.escape(byline) if byline else "") + r"\s*", plain)
            if not m:
                raise ValueError(f"{self.name}: paragraph does not open with {dateline!r} {byline!r}: {plain[:40]!r}")
            art["dateline"] = dateline or None
            if byline:
                art["byline"] = {"zh": byline, "authors": authors}
            prefix_len = m.end()
            self.pending_dl = None
        suffix_at = len(plain)
        if self.pending_cr and role == "caption":
            byline, authors = self.pending_cr
            m = re.search(r"\s*" + re.escape(byline) + r"\s*$", plain)
            if not m:
                raise ValueError(f"{self.name}: caption does not end with {byline!r}")
            art["byline"] = {"zh": byline, "authors": authors}
            suffix_at = m.start()
            self.pending_cr = None
        indent = self.indent
        width = 0.0 if role in ("subheading", "marker") else self.width
        # a hand break restarts the column count
        breaks = sorted(set(hand) | set(_rewrap(plain, hand, width, indent, prefix_len)))
        breaks = [b for b in breaks if b != len(plain)]
        if suffix_at < len(plain):  # a credit at the end of a caption is never broken: it moves down whole
            credit_at = len(plain) - len(plain[suffix_at:].lstrip())
            breaks = sorted({min(b, credit_at) for b in breaks})
        cuts = [0, *breaks, len(plain)]
        for a, b in itertools.pairwise(cuts):
            self.emit((indent if a == 0 else "") + plain[a:b])
        body = plain[prefix_len:suffix_at]
        lead = len(body) - len(body.lstrip())
        body_start = prefix_len + lead
        body_end = suffix_at - (len(body) - len(body.rstrip()))
        zh = ""
        for i in range(body_start, body_end):
            if i in breaks and i > body_start:
                zh += "|"
            zh += plain[i]
        for b in breaks:
            if not (body_start < b < body_end or b == prefix_len > 0 or (role == "caption" and b >= body_end)):
                raise ValueError(f"{self.name}: a column break outside a paragraph's text at {plain[:30]!r}")
        art["paragraphs"].append({"role": role, "zh": zh})

    def add(self, line: str, lines: list[str]) -> None:
        if not line.strip() or line.startswith("#"):
            return
        code, _, rest = line.partition(" ")
        rest = expand(rest.strip(), lines)
        if code == "@about":
            self.about = rest
        elif code == "@sources":
            self.sources = rest
        elif code == "@style":
            self.style = rest
        elif code == "@wrap":
            self.width = float(rest)
        elif code == "@indent":
            self.indent = {"none": "", "2": "  ", "ideo": "\u3000\u3000"}[rest]
        elif code == "@blank":
            self.blank = rest == "1"
        elif code == "@crlf":
            self.crlf = True
        elif code == "F":
            self.items.append({"kind": "other", "zh": rest})
            self.emit(rest)
        elif code in ("ART", "PHOTO"):
            self.items.append({"kind": "article" if code == "ART" else "photo", "headlines": [], "byline": None,
                               "dateline": None, "paragraphs": [], "truncated": False})
        elif code in ("K", "H", "S"):
            role = {"K": "kicker", "H": "main", "S": "subtitle"}[code]
            self.current()["headlines"].append({"role": role, "zh": rest})
            self.emit(rest)
        elif code == "B":
            zh, _, authors = rest.partition("¦")
            self.current()["byline"] = {"zh": zh.strip(), "authors": authors.split()}
            self.emit(zh.strip())
        elif code == "DL":
            dateline, byline, authors = (f.strip() for f in (rest.split("¦") + ["", ""])[:3])
            self.pending_dl = (dateline, byline, authors.split())
        elif code == "CR":
            byline, _, authors = rest.partition("¦")
            self.pending_cr = (byline.strip(), authors.split())
        elif code in ("P", "U", "C", "M"):
            self.paragraph({"P": "body", "U": "subheading", "C": "caption", "M": "marker"}[code], rest)
        elif code == "T":
            self.current()["truncated"] = True
        else:
            raise ValueError(f"{self.name}: unknown directive {code!r}")

    def text(self) -> str:
        nl = "\r\n" if self.crlf else "\n"
        return nl.join(self.out) + nl

    def gold(self) -> dict:
        return {"page": f"{self.name}.txt", "about": self.about, "style": self.style, "sources": self.sources,
                "items": self.items}


def _rewrap(plain: str, hand: list[int], width: float, indent: str, keep: int) -> list[int]:
    """Automatic breaks inside each stretch between hand breaks."""
    out: list[int] = []
    cuts = [0, *hand, len(plain)]
    for a, b in itertools.pairwise(cuts):
        first = sum(_width(c) for c in indent) if a == 0 else 0.0
        out += [a + x for x in wrap(plain[a:b], width, first, max(0, keep - a))]
    return out


def build(path: Path, lines: list[str]) -> Page:
    page = Page(path.stem)
    for line in path.read_text(encoding="utf-8").splitlines():
        page.add(line, lines)
    if page.pending_dl or page.pending_cr:
        raise ValueError(f"{page.name}: a DL or CR directive without its paragraph")
    return page


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only check that the committed files are up to date")
    ap.add_argument("--folder", type=Path, default=HERE,
                    help="a folder of hand-laid pages with their src/*.page (default: this held-out set); the dev "
                         "set bench/data/layout-hand is made the same way")
    args = ap.parse_args()
    folder = args.folder.resolve()
    lines = _wmt21()
    stale = []
    for src in sorted((folder / "src").glob("*.page")):
        page = build(src, lines)
        txt = page.text()
        gold = json.dumps(page.gold(), ensure_ascii=False, indent=1) + "\n"
        for path, content in ((folder / f"{page.name}.txt", txt), (folder / f"{page.name}.gold.json", gold)):
            old = path.read_bytes().decode("utf-8") if path.exists() else None
            if old != content:
                stale.append(path.name)
                if not args.check:
                    path.write_bytes(content.encode("utf-8"))
    if stale:
        print(("stale: " if args.check else "written: ") + " ".join(stale))
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
