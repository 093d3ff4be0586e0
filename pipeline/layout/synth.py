"""Synthetic pages with a known structure (in gold-file form), for the property tests and bench/layout_eval.py:
headlines, bylines in five styles, datelines, paragraphs and random column breaks, from a seeded random source."""

from __future__ import annotations

import random
import re
from typing import Any

from .gold import JOIN_MARK
from .rules import MAX_HEADLINE_CHARS

# Characters for generated text: common ones, none of which makes a role word, dateline, caption, marker or list
# number (a column line that happens to start with `一、` is a list item to any reader).
POOL = "".join(ch for ch in "的一是在不了有和人这中大为上个我以要他时来用们生到作地于出就分对成会可主年动同工也能下过子说产种面"
               "而方后多定行学法所民得经三之进着等度家更想样理心她去现什起政好小部其些主样力外建加展保山城市水路村"
               if ch not in "本报讯记者通讯员摄图文完版接转电社评论编辑责美第日月期星一二三四五六七八九十")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯"
RUNNING_HEAD = "2022年10月10日 星期一"


def _word(rng: random.Random, lo: int = 2, hi: int = 4) -> str:
    return "".join(rng.choice(POOL) for _ in range(rng.randint(lo, hi)))


def _sentence(rng: random.Random) -> str:
    parts = [_word(rng) for _ in range(rng.randint(2, 6))]
    text = parts[0] + "".join(rng.choice("，、") + w for w in parts[1:])
    if rng.random() < 0.3:
        text = text[:2] + "“" + text[2:] + "”"
    return text + rng.choice("。。。！？")


def _paragraph(rng: random.Random, prefix: str, free_breaks: bool) -> tuple[str, str]:
    """(page text, gold text with | at the column breaks) of one paragraph."""
    body = "".join(_sentence(rng) for _ in range(rng.randint(1, 4)))
    # A column break can fall anywhere except right after a sentence end. Unless `free_breaks`, the first line of
    # a paragraph looks like a column line (punctuated or long): a short bare first line is, to any reader, as
    # likely a sub-heading.
    ok = [i for i in range(1, len(body)) if body[i - 1] not in "。！？”" and
          (free_breaks or re.search("[，、。！？]", body[:i]) or i > MAX_HEADLINE_CHARS)]
    cuts = sorted(rng.sample(ok, min(len(ok), rng.randint(0, 3))))
    pieces = [body[a:b] for a, b in zip([0, *cuts], [*cuts, len(body)])]
    sep = rng.choice(["\n", "\n\n", "\n  ", "\r\n"])
    return prefix + sep.join(pieces), JOIN_MARK.join(pieces)


def _article(rng: random.Random, free_breaks: bool) -> tuple[str, dict[str, Any]]:
    """A headline (1–3 lines), a byline in one of five styles, perhaps a dateline, 1–4 paragraphs."""
    n_head = rng.randint(1, 3)
    heads = [_word(rng, 4, 16) for _ in range(n_head)]
    if n_head == 3 or (n_head == 2 and rng.random() < 0.5):
        heads[-1] = "——" + heads[-1]
    roles = {1: ["main"], 2: ["main", "subtitle"] if heads[-1].startswith("—") else ["kicker", "main"],
             3: ["kicker", "main", "subtitle"]}[n_head]
    name, other = (rng.choice(SURNAMES) + _word(rng, 1, 2) for _ in range(2))
    style = rng.choice(["box", "box-two-lines", "reporter", "inline", "local"])
    lines, dateline, prefix, authors = list(heads), None, "", [name]
    if style == "box":
        byline = f"□记者 {name} 报道"
        lines.append(byline)
    elif style == "box-two-lines":
        lines += [f"□记者 {name}", f"通讯员 {other} 报道"]
        byline, authors = f"□记者 {name} 通讯员 {other} 报道", [name, other]
    elif style == "reporter":
        byline = f"本报记者 {name}"
        lines.append(byline)
    elif style == "inline":
        dateline, byline, prefix = "本报讯", f"（记者 {name}）", f"本报讯（记者 {name}）"
    else:
        byline = f"□ 本报记者 {name}"
        lines.append(byline)
        dateline = f"本报{_word(rng, 2, 2)}讯"
        prefix = dateline + " "
    paras = []
    for k in range(rng.randint(1, 4)):
        text, gold = _paragraph(rng, prefix if k == 0 else "", free_breaks)
        lines.append(text)
        paras.append({"role": "body", "zh": gold})
    return "\n".join(lines), {
        "kind": "article", "headlines": [{"role": r, "zh": h} for r, h in zip(roles, heads)],
        "byline": {"zh": byline, "authors": authors}, "dateline": dateline, "paragraphs": paras, "truncated": False}


def synthetic_page(rng: random.Random, free_breaks: bool = False) -> tuple[str, list[dict[str, Any]]]:
    """A page of 1–4 articles (perhaps under a running head) and its gold items."""
    parts, gold = [], []
    if rng.random() < 0.5:
        parts.append(RUNNING_HEAD)
        gold.append({"kind": "other", "zh": RUNNING_HEAD})
    for _ in range(rng.randint(1, 4)):
        text, item = _article(rng, free_breaks)
        parts.append(text)
        gold.append(item)
    return rng.choice(["\n", "\n\n", "\n\n\n"]).join(parts) + "\n", gold
