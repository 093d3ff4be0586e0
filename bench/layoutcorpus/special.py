"""The acceptance inputs of issue #13 as corpus pages, all in the test half:

- `accept-wmt21-900-960`: newstest2021.zh-en.src.zh lines 900–960 exactly as they stand (one segment a line), as a
  new user would paste them. Gold, decided by reading: the tail of a commentary (no headline), then five documents
  whose headlines are lines 912, 928, 940, 951+952 (the site's page title as kicker, the article's own title with
  its column tag as main) and 960 (a headline whose text begins after line 960); line 925 (`存钱之后，“90后”有何计划？`)
  is a question sub-head; 941 and 953 open with a dateline and a bracketed byline.
- `accept-tw-chen-meiling-*`: a Taiwan page (Traditional, converted from test-half WMT21 text) with
  `本報記者 陳美玲／臺北報導` under the first headline and a second story opening `【本報高雄訊】`; once with column
  breaks and once with one paragraph a line.
"""

from __future__ import annotations

import random

from .build import Builder, convert
from .sources import (
    DATELINE,
    WMT21_ACCEPTANCE_LINES,
    authors_of,
    paragraphs_of,
    wmt21_lines,
)

HEADLINES = {912: "main", 928: "main", 940: "main", 951: "kicker", 952: "main", 960: "main"}
SUBHEADINGS = {925}


def wmt21_acceptance(docs) -> tuple[str, str, list[dict], str, list[str]]:
    lo, hi = WMT21_ACCEPTANCE_LINES
    raw = wmt21_lines()[lo - 1:hi]
    items: list[dict] = []
    art: dict | None = None
    labels = []
    for no, line in enumerate(raw, lo):
        role = HEADLINES.get(no)
        if role and art is not None and not HEADLINES.get(no - 1):
            items.append(art)  # a headline opens the next document, unless it follows another headline line
            art = None
        if art is None:
            art = {"kind": "article", "headlines": [], "byline": None, "dateline": None, "paragraphs": [],
                   "truncated": False}
        if role:
            art["headlines"].append({"role": role, "zh": line.strip()})
            labels.append((line, "kicker" if role == "kicker" else "headline"))
            continue
        if no in SUBHEADINGS:
            art["paragraphs"].append({"role": "subheading", "zh": line.strip()})
            labels.append((line, "subheading"))
            continue
        m = DATELINE.match(line)
        label = "dateline" if m and not art["paragraphs"] else "body_start"
        if m and not art["paragraphs"]:
            art["dateline"] = m["dl"]
            if m["by"]:
                art["byline"] = {"zh": m["by"], "authors": authors_of(m["by"])}
            line = line[m.end():]
        art["paragraphs"].append({"role": "body", "zh": line.strip()})
        labels.append((raw[no - lo], label))
    assert art is not None
    items.append(art)
    text = "\n".join(raw) + "\n"
    tsv = "".join(f"{t}\t{lab}\n" for t, lab in labels)
    used = sorted(d.id for d in docs if d.lines and d.lines[0] <= hi and d.lines[1] >= lo)
    return "accept-wmt21-900-960", text, items, tsv, used


def tw_acceptance(docs, half_of, wrap: str) -> tuple[str, str, list[dict], str, list[str]]:
    rng = random.Random(f"accept-tw/{wrap}")
    pool = [d for d in docs if half_of(d) == "test" and d.headline and d.script == "hans" and len(d.blocks) >= 3
            and all(k == "sent" and t.endswith("。") for k, t in d.blocks[:3])]
    first, second = rng.sample(pool, 2)
    b = Builder("taiwan", rng)
    b.wrap, b.width, b.blank = wrap, 15, False
    b.other(b.fill("{date} 星期{wd}")[0])
    b.other("A6 生活")
    for doc, k in ((first, 0), (second, 1)):
        b.open()
        b.head("main", convert(doc.headline or "", "tw"))
        if k == 0:
            b.byline("本報記者 陳美玲／臺北報導", ["陳美玲"])
        body = [t for kind, t in paragraphs_of(doc.blocks, rng) if kind == "body"][:3]
        for i, text in enumerate(body):
            text = convert(text, "tw")
            if i == 0 and k == 1:
                b.para(text, dateline="【本報高雄訊】")
            else:
                b.para(text)
        b.close()
    return f"accept-tw-chen-meiling-{wrap}", b.text(), b.items, b.tsv(), sorted([first.id, second.id])


def pages(docs, half_of):
    """(half, name, style, text, items, tsv, about, sources) of each acceptance page."""
    name, text, items, tsv, used = wmt21_acceptance(docs)
    yield ("test", name, "webdump", text, items, tsv,
           ("Acceptance input of issue #13: WMT21 newstest2021.zh-en.src.zh lines 900–960 as they stand. Gold decided "
           "by reading (bench/layoutcorpus/special.py says how); each document's headline is a headline and no "
           "document is glued to another."), used)
    for wrap in ("all", "sparse"):
        name, text, items, tsv, used = tw_acceptance(docs, half_of, wrap)
        yield ("test", name, "taiwan", text, items, tsv,
               ("Acceptance input of issue #13: a Taiwan page in Traditional script (test-half WMT21 text converted "
               "with OpenCC s2twp): 本報記者 陳美玲／臺北報導 under the first headline, a second story opening "
               f"【本報高雄訊】; two articles, headlines kept, byline and dateline recognised. Column breaks: {wrap}."),
               used)
