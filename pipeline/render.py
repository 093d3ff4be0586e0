"""Render stage: the document model → JSON (for tools) and self-contained bilingual HTML (for people)."""

from __future__ import annotations

import json
import re
from collections import Counter
from html import escape

from .document import Article, Other, Page, Paragraph, Unit
from .script import bcp47, detect_script

SCHEMA_VERSION = 1

FLAG_HELP = {
    "copied": "Not Chinese (English, a number, a URL or punctuation): copied through untranslated.",
    "untranslated": "Chinese characters were left in the English output.",
    "empty": "The model returned no English for this sentence.",
    "number_mismatch": "A number in the Chinese is not found in the English; check the figures.",
    "repetition": "The English repeats itself; the model may have looped.",
    "split_for_translation": "Too long for the model in one piece: translated in parts and joined.",
    "rule_based": "Written by rule, not by the model (bylines, datelines, glossary headlines).",
    "name_missing": "A name in the Chinese is not in the English; the expected form is given.",
    "term_missing": "A glossary term in the Chinese is not in the English.",
}

# Paragraph roles that get a visible label above them (the others are told apart by style alone).
PARAGRAPH_ROLE_LABEL = {"caption": "Photo caption · 图片说明"}


def article_file(article: Article, ext: str) -> str:
    return f"article-{article.number:02d}.{ext}"


# ---------------------------------------------------------------------------------------------------- JSON


def _unit(unit: Unit, with_en: bool, **extra) -> dict:
    d: dict = {"id": unit.id, "zh": unit.zh}
    if with_en:
        d["en"] = unit.en
    d.update(extra)
    d["lang"] = unit.lang
    d["flags"] = list(unit.flags)
    if unit.flag_details:
        d["flag_details"] = {k: list(v) for k, v in sorted(unit.flag_details.items())}
    d["span"] = list(unit.span)
    return d


def article_json(article: Article, page: Page, with_en: bool = True) -> dict:
    """The article-NN.json document (schema_version 1); without `en` fields for `pipeline inspect`."""
    summary: dict = {"sentence_ids": list(article.summary.sentence_ids), "zh": article.summary.zh}
    if with_en:
        summary["en"] = article.summary.en
    return {
        "schema_version": SCHEMA_VERSION,
        "id": article.id,
        "kind": article.kind,
        "source": {"path": page.path, "sha256": page.sha256},
        "headlines": [_unit(h, with_en, role=h.role) for h in article.headlines],
        "byline": _unit(article.byline, with_en, authors=list(article.byline.authors)) if article.byline else None,
        "dateline": _unit(article.dateline, with_en) if article.dateline else None,
        "summary": summary,
        "paragraphs": [
            {
                "id": p.id,
                "role": p.role,
                "span": list(p.span),
                "column_breaks": list(p.column_breaks),
                "sentences": [_unit(s, with_en) for s in p.sentences],
            }
            for p in article.paragraphs
        ],
        "truncated": article.truncated,
        "notes": list(article.notes),
        "script": bcp47(article.script or detect_script(u.zh for u in article.units())),
        "names": [{"zh": n.zh, "en": n.en, "kind": n.kind, "sentence_ids": list(n.sentence_ids)}
                  for n in article.names],
    }


def index_items(page: Page, with_en: bool = True, inline: bool = False) -> list[dict]:
    """The page's items in source order; articles link their files (or carry their JSON inline)."""
    items = []
    for item in page.items:
        if isinstance(item, Other):
            items.append({"kind": "other", **_unit(item, with_en)})
            continue
        main = item.main_headline
        entry: dict = {"kind": item.kind, "id": item.id}
        if inline:
            entry["article"] = article_json(item, page, with_en)
        else:
            entry["json"] = article_file(item, "json")
            entry["html"] = article_file(item, "html")
        headline = None
        if main:
            headline = {"zh": main.zh, "en": main.en} if with_en else {"zh": main.zh}
        entry["headline"] = headline
        items.append(entry)
    return items


def index_json(page: Page, model: dict, timing: dict | None = None) -> dict:
    """The index.json document: source, model and every item of the page in order; `timing` last."""
    doc = {
        "schema_version": SCHEMA_VERSION,
        "source": {"path": page.path, "sha256": page.sha256, "encoding": page.encoding},
        "model": model,
        "items": index_items(page),
    }
    if timing is not None:
        doc["timing"] = timing
    return doc


def dumps(doc: dict) -> str:
    """Deterministic JSON text: key order as built, UTF-8 (no \\u escapes), two-space indent, trailing newline."""
    return json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


# ---------------------------------------------------------------------------------------------------- HTML

# No script at all: the language toggle is three radio inputs read by CSS sibling selectors, and the partner
# highlight is `.row:hover` / `:focus-within` on the row that holds both sides. The CSP forbids every fetch.
CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

CSS = """
:root{color-scheme:light dark;--fg:#1d1c1a;--bg:#fbfaf6;--muted:#65625b;--line:#dfdbd0;--box:#f2eee3;
--hl:#fcecaa;--accent:#a63f17;--badge:#8b4309;--badge-bg:#fbe8d4;--en:#1f2b3a;--link:#1a4f8a;
--zh:"PingFang SC","Hiragino Sans GB","Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",
"WenQuanYi Micro Hei","WenQuanYi Zen Hei",sans-serif;
--en-font:Charter,"Bitstream Charter","Sitka Text",Cambria,Georgia,"DejaVu Serif",serif;
--ui:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
@media (prefers-color-scheme:dark){:root{--fg:#e7e4dc;--bg:#141517;--muted:#a6a39b;--line:#35363b;--box:#1f2024;
--hl:#4d4419;--accent:#f0996a;--badge:#f4b47e;--badge-bg:#3b2615;--en:#cdd7e4;--link:#8fbef5}}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;color:var(--fg);background:var(--bg);font-family:var(--en-font);font-size:17px;line-height:1.6}
:lang(zh){font-family:var(--zh);line-height:1.85}
.doc{max-width:76rem;margin:0 auto;padding:0 clamp(.9rem,3vw,2.2rem) 2rem}
a{color:var(--link)}
.view-input{position:fixed;top:0;left:0;width:1px;height:1px;margin:0;opacity:0;pointer-events:none}
.skip{position:absolute;left:.5rem;top:-4rem;padding:.4rem .8rem;background:var(--fg);color:var(--bg);z-index:5;
font-family:var(--ui);font-size:14px}
.skip:focus{top:.5rem}
.bar{position:sticky;top:0;z-index:4;display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;
gap:.4rem 1rem;padding:.55rem 0;background:var(--bg);border-bottom:1px solid var(--line);
font-family:var(--ui);font-size:14px;line-height:1.4}
.bar a{text-decoration:none}
.bar a:hover{text-decoration:underline}
.toggle{display:inline-flex;align-items:center;gap:.5rem}
.toggle .seg{display:inline-flex;border:1px solid var(--muted);border-radius:999px;overflow:hidden}
.toggle label{padding:.2rem .8rem;cursor:pointer;user-select:none;line-height:1.4;font-family:var(--ui)}
.toggle label+label{border-left:1px solid var(--muted)}
#view-both:checked~.doc label[for=view-both],#view-zh:checked~.doc label[for=view-zh],
#view-en:checked~.doc label[for=view-en]{background:var(--fg);color:var(--bg)}
#view-both:focus-visible~.doc label[for=view-both],#view-zh:focus-visible~.doc label[for=view-zh],
#view-en:focus-visible~.doc label[for=view-en]{outline:3px solid var(--accent);outline-offset:-3px}
.masthead{padding:1.4rem 0 1rem;border-bottom:3px double var(--line)}
.pair,.row{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1.3fr);column-gap:2.2rem;position:relative}
.pair>*,.row>*{min-width:0;overflow-wrap:anywhere}
.masthead p,.masthead h1,.summary p,.item p,.item h2{margin:0}
.masthead .pair+.pair{margin-top:.3rem}
.kicker{color:var(--accent);font-size:1em}
.kicker>.zh{font-weight:600}
h1{font-size:clamp(1.45rem,1.1rem + 1.6vw,2.15rem);line-height:1.3;margin:.1rem 0 .35rem;font-weight:700}
h1>:lang(zh){line-height:1.4}
.subtitle{font-size:1.12em;color:var(--muted);margin:.2rem 0 .3rem}
.people{color:var(--muted);font-size:.95em;margin-top:.35rem}
.facts{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.1rem .8rem;margin:.9rem 0 0;
font-family:var(--ui);font-size:13px;color:var(--muted);line-height:1.5}
.facts dt{font-weight:600}
.facts dd{margin:0;overflow-wrap:anywhere}
.summary{margin:1.3rem 0 1.8rem;padding:.9rem 1.2rem 1rem;background:var(--box);border-left:4px solid var(--accent);
border-radius:0 6px 6px 0}
.summary h2,.quality h2,.section-title{margin:0 0 .5rem;font-family:var(--ui);font-size:13px;font-weight:700;
letter-spacing:.07em;text-transform:uppercase;color:var(--muted)}
.summary .en{font-size:1.02em}
main{counter-reset:para}
.para{margin:0;padding:.5rem 0 .6rem}
.para+.para{border-top:1px solid var(--line)}
.row{padding:.1rem 0;border-radius:4px}
.row>[data-sid]{display:block;padding:.12rem .45rem;border-radius:4px}
.row>.zh{font-size:1.02em}
.row>.en{color:var(--en)}
.row>[data-sid]:focus{outline:none}
.row>[data-sid]:focus-visible{outline:2px solid var(--accent);outline-offset:1px}
.row:hover>[data-sid],.row:focus-within>[data-sid],.row:target>[data-sid]{background:var(--hl)}
.para[data-role=subheading]{margin-top:1.6rem}
.para[data-role=subheading] [data-sid]{font-weight:700;font-size:1.1em}
.para[data-role=caption]{padding:.6rem .7rem .5rem;border:1px dashed var(--muted);border-radius:6px}
.para[data-role=caption] [data-sid]{font-size:.93em}
.para[data-role=marker] [data-sid]{font-size:.88em;color:var(--muted);font-style:italic}
.role-label{margin:0 0 .3rem .45rem;font-family:var(--ui);font-size:12px;font-weight:600;color:var(--muted);
text-transform:uppercase;letter-spacing:.06em}
.badge{display:inline-block;margin:0 0 0 .4rem;padding:0 .5rem;border:1px solid currentColor;border-radius:999px;
color:var(--badge);background:var(--badge-bg);font-family:var(--ui);font-size:11px;font-weight:600;
font-style:normal;line-height:1.55;vertical-align:.12em;cursor:help;white-space:nowrap}
.badge:focus-visible{outline:2px solid var(--accent);outline-offset:1px}
.tip{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.badge:hover>.tip,.badge:focus>.tip{left:0;right:0;top:100%;z-index:3;width:auto;height:auto;clip-path:none;
white-space:normal;padding:.45rem .7rem;border-radius:6px;background:var(--fg);color:var(--bg);font-size:13px;
font-weight:400;line-height:1.45;box-shadow:0 4px 14px rgba(0,0,0,.25)}
.badge:hover>.tip>.sep,.badge:focus>.tip>.sep{display:none}
.quality{margin-top:2.2rem;padding-top:1rem;border-top:3px double var(--line);font-family:var(--ui);font-size:14px;
color:var(--muted)}
.quality ul{padding-left:1.2rem;margin:.3rem 0 .8rem}
.quality li{margin:.25rem 0}
.quality .badge{margin:0 .35rem 0 0}
.quality p{margin:.3rem 0 .6rem}
.pager{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.5rem 1rem;margin-top:1.2rem;
font-family:var(--ui);font-size:14px}
.items{list-style:none;margin:0;padding:0}
.item{padding:1.1rem 0 1rem;border-bottom:1px solid var(--line)}
.item h2{font-size:1.3em;line-height:1.35}
.item .kicker{font-size:.95em;margin-bottom:.15rem}
.item h2 a{text-decoration:none;color:inherit}
.item h2 a:hover,.item h2 a:focus-visible{text-decoration:underline;color:var(--link)}
.item .sum{color:var(--muted);font-size:.95em;margin:.35rem 0 .4rem}
.item .facts-line{font-family:var(--ui);font-size:13px;color:var(--muted);margin:0}
.flagcount{color:var(--badge);font-weight:600}
.furniture{margin-top:2rem;font-size:.95em}
.name{text-decoration:underline dotted;text-underline-offset:.25em;cursor:help}
.names{margin:-.8rem 0 1.8rem;font-family:var(--ui);font-size:14px;color:var(--muted)}
.names h2{margin:0 0 .4rem;font-size:13px;font-weight:700;letter-spacing:.07em;text-transform:uppercase}
.names ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.3rem 1.2rem}
.names .en{color:var(--fg)}
.names .kind{font-size:12px}
.furniture ul{list-style:none;margin:0;padding:0}
.furniture li{padding:.3rem 0;border-bottom:1px dotted var(--line)}
#view-zh:checked~.doc .en,#view-en:checked~.doc .zh{display:none}
#view-zh:checked~.doc .pair,#view-en:checked~.doc .pair{grid-template-columns:minmax(0,1fr)}
#view-zh:checked~.doc main,#view-en:checked~.doc main{max-width:46rem}
#view-zh:checked~.doc .row,#view-en:checked~.doc .row{display:inline}
#view-zh:checked~.doc .row>.zh,#view-en:checked~.doc .row>.en{display:inline;padding:.1rem 0}
#view-en:checked~.doc .row>.en::after{content:" "}
@media (max-width:44rem){
body{font-size:16px}
.pair,.row{grid-template-columns:minmax(0,1fr)}
.row{padding:.3rem 0}
.row>.en{margin-top:.1rem;border-left:3px solid var(--line);padding-left:.6rem}
.masthead .pair>.en,.summary .pair>.en,.item .pair>.en{margin-top:.15rem}
.toggle>[aria-hidden]{display:none}
}
@media print{
:root{--fg:#000;--bg:#fff;--muted:#444;--line:#bbb;--box:#fff;--hl:transparent;--en:#000;--link:#000;--badge:#000;
--badge-bg:#fff;--accent:#444}
body{font-size:10.5pt}
h1{font-size:17pt}
.bar,.skip,.view-input,.pager{display:none}
.doc{max-width:none;padding:0}
.row,.pair,.item{break-inside:avoid}
.summary{border:1px solid #888}
.tip{display:none}
a{text-decoration:none}
}
"""


def _zh_lang(unit: Unit, art: Article | None = None) -> str:
    """The BCP 47 tag of a unit's source text: Chinese in its article's script, or what the language stage detected."""
    return _script_tag(art) if unit.lang == "zh" else escape(unit.lang or "und")


def _script_tag(art: Article | None) -> str:
    return bcp47(art.script) if art is not None and art.script else "zh-Hans"


def _zh_html(text: str, art: Article | None = None) -> str:
    """Chinese text, escaped, each of the article's names in it marked with its English as a tooltip."""
    names = sorted(art.names, key=lambda n: len(n.zh), reverse=True) if art is not None else []
    if not names:
        return escape(text)
    by_zh = {n.zh: n for n in names}
    pattern = re.compile("|".join(re.escape(n.zh) for n in names))
    out, pos = [], 0
    for m in pattern.finditer(text):
        n = by_zh[m.group(0)]
        out.append(escape(text[pos : m.start()]))
        out.append(f'<span class="name" title="{escape(n.en)} ({escape(n.kind)})">{escape(m.group(0))}</span>')
        pos = m.end()
    out.append(escape(text[pos:]))
    return "".join(out)


def _names_panel(art: Article) -> str:
    """The article's people and places: Chinese, English, kind and links to the units that name them."""
    if not art.names:
        return ""
    items = "".join(
        f'<li><span class="zh" lang="{_script_tag(art)}">{escape(n.zh)}</span> <span class="en">{escape(n.en)}</span>'
        f' <span class="kind">{escape(n.kind)}</span> '
        + ", ".join(f'<a href="#{escape(i)}">{escape(i)}</a>' for i in n.sentence_ids) + "</li>"
        for n in art.names)
    return ('<section class="names" aria-labelledby="names-h"><h2 id="names-h">Names · '
            f'<span lang="zh-Hans">人名地名</span></h2><ul>{items}</ul></section>')


def _flag_label(flag: str) -> str:
    return flag.replace("_", " ")


def _flag_help(unit: Unit, flag: str) -> str:
    text = FLAG_HELP.get(flag, flag)
    if unit.flag_details.get(flag):
        text += " (" + ", ".join(unit.flag_details[flag]) + ")"
    return text


def _badges(unit: Unit) -> str:
    """Small flag badges whose explanation shows on hover and keyboard focus (and is read by screen readers)."""
    return "".join(
        f'<span class="badge" tabindex="0" data-flag="{escape(f)}">{escape(_flag_label(f))}'
        f'<span class="tip" role="tooltip"><span class="sep">: </span>{escape(_flag_help(unit, f))}</span></span>'
        for f in unit.flags
    )


def _pair(unit: Unit, tag: str = "div", cls: str = "", inner: str = "span", anchor: bool = True,
          art: Article | None = None) -> str:
    """A unit as a two-column pair: Chinese left, English right (stacked on narrow screens)."""
    c = f' class="pair {cls}"' if cls else ' class="pair"'
    if anchor:
        c += f' id="{escape(unit.id)}"'
    return (f'<{tag}{c}><{inner} class="zh" lang="{_zh_lang(unit, art)}">{_zh_html(unit.zh, art)}</{inner}>'
            f'<{inner} class="en" lang="en">{escape(unit.en)}{_badges(unit)}</{inner}></{tag}>')


def _text_pair(zh: str, en: str, tag: str = "div", cls: str = "", inner: str = "p",
               art: Article | None = None) -> str:
    c = f' class="pair {cls}"' if cls else ' class="pair"'
    return (f'<{tag}{c}><{inner} class="zh" lang="{_script_tag(art)}">{escape(zh)}</{inner}>'
            f'<{inner} class="en" lang="en">{escape(en)}</{inner}></{tag}>')


def _model_text(model: dict) -> str:
    parts = [str(model.get("id", "")) or "unknown model"]
    if model.get("backend"):
        parts.append(f"backend {model['backend']}")
    beams = (model.get("decoding") or {}).get("beams")
    if beams:
        parts.append(f"beam {beams}")
    return escape(" · ".join(parts))


def _short_sha(sha: str) -> str:
    return f"sha256 {escape(sha[:12])}…" if sha else ""


_VIEW_INPUTS = (
    '<input class="view-input" type="radio" name="view" id="view-both" checked>'
    '<input class="view-input" type="radio" name="view" id="view-zh">'
    '<input class="view-input" type="radio" name="view" id="view-en">\n'
)


def _bar(left: str) -> str:
    """The sticky top bar: a back link and the language toggle (labels of the radio inputs above)."""
    return (f'<nav class="bar" aria-label="Page">{left}<span class="toggle"><span aria-hidden="true">Show</span>'
            '<span class="seg"><label for="view-both">Both</label>'
            '<label for="view-zh" lang="zh-Hans">中文</label><label for="view-en">English</label></span></span></nav>')


def _document(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta name=\"color-scheme\" content=\"light dark\">\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n"
        "<meta name=\"generator\" content=\"zh-news-pipeline\">\n"
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"<a class=\"skip\" href=\"#text\">Skip to the text</a>\n{_VIEW_INPUTS}<div class=\"doc\">\n{body}\n</div>\n"
        "</body>\n</html>\n"
    )


def _flag_counts(article: Article) -> Counter:
    return Counter(f for u in article.units() for f in u.flags)


def _paragraph_html(p: Paragraph, art: Article | None = None) -> str:
    """A paragraph as a block of sentence rows, each row holding the Chinese and English sides of one sentence."""
    label = PARAGRAPH_ROLE_LABEL.get(p.role, "")
    rows = [
        f'<div class="row" id="{escape(s.id)}"><span class="zh" lang="{_zh_lang(s, art)}" tabindex="0" '
        f'data-sid="{escape(s.id)}">{_zh_html(s.zh, art)}</span><span class="en" lang="en" tabindex="0" '
        f'data-sid="{escape(s.id)}">{escape(s.en)}{_badges(s)}</span></div>'
        for s in p.sentences
    ]
    head = f'<p class="role-label">{label}</p>' if label else ""
    aria = ' role="heading" aria-level="2"' if p.role == "subheading" else ""
    # Rows are not separated by whitespace: in the Chinese-only view they flow inline, and Chinese has no spaces.
    return (f'<section class="para" id="{escape(p.id)}" data-role="{escape(p.role)}"{aria}>{head}'
            + "".join(rows) + "</section>")


def _quality_note(article: Article, model: dict) -> str:
    """The end-of-article note: flagged units grouped by flag, layout notes, and what produced the text."""
    by_flag: dict[str, list[str]] = {}
    for unit in article.units():
        for f in unit.flags:
            by_flag.setdefault(f, []).append(unit.id)
    parts = ['<section class="quality" id="quality" aria-labelledby="quality-h"><h2 id="quality-h">Quality note</h2>',
             f"<p>Machine translation by {_model_text(model)}, sentence by sentence. The summary is extractive: "
             "whole sentences picked from the article.</p>"]
    if by_flag:
        items = []
        for f in sorted(by_flag, key=lambda f: (list(FLAG_HELP).index(f) if f in FLAG_HELP else len(FLAG_HELP), f)):
            links = ", ".join(f'<a href="#{escape(i)}">{escape(i)}</a>' for i in by_flag[f])
            items.append(f'<li><span class="badge" data-flag="{escape(f)}">{escape(_flag_label(f))}</span>'
                         f"{escape(FLAG_HELP.get(f, ''))} → {links}</li>")
        parts.append(f"<p>Flagged for checking:</p><ul>{''.join(items)}</ul>")
    else:
        parts.append("<p>No sentence was flagged.</p>")
    notes = list(article.notes)
    if article.truncated and not any("continued" in n for n in notes):
        notes.append("The article breaks off at the end of the page; it probably continues on another page.")
    if notes:
        parts.append("<p>Layout notes:</p><ul>" + "".join(f"<li>{escape(n)}</li>" for n in notes) + "</ul>")
    parts.append("</section>")
    return "".join(parts)


def article_html(article: Article, page: Page, model: dict) -> str:
    """One article as a bilingual reader page: header, summary, aligned sentence rows, quality note."""
    arts = page.articles
    pos = next((i for i, a in enumerate(arts) if a is article), 0)
    head = []
    for h in article.headlines:
        if h.role == "main":
            head.append(_pair(h, "h1", "headline", art=article))
        else:
            head.append(_pair(h, "p", "kicker" if h.role == "kicker" else "subtitle", art=article))
    if not article.headlines:
        head.append('<h1 class="pair headline"><span class="zh" lang="zh-Hans">图片</span>'
                    '<span class="en" lang="en">Photo</span></h1>')
    for unit in (article.byline, article.dateline):
        if unit:
            head.append(_pair(unit, "p", "people", art=article))
    facts = [f"<dt>Source</dt><dd>{escape(page.path) or 'unknown'} · {_short_sha(page.sha256)}</dd>",
             f"<dt>Item</dt><dd>{escape(article.id)}, {escape(article.kind)} {pos + 1} of {len(arts)} on the page"
             f"{' · breaks off at the end of the page' if article.truncated else ''}</dd>",
             f"<dt>Model</dt><dd>{_model_text(model)}</dd>"]
    header = f'<header class="masthead">{"".join(head)}<dl class="facts">{"".join(facts)}</dl></header>'
    summary = ('<section class="summary" aria-labelledby="summary-h"><h2 id="summary-h">Summary · '
               '<span lang="zh-Hans">摘要</span></h2>'
               + _text_pair(article.summary.zh, article.summary.en, art=article) + "</section>"
               + _names_panel(article))
    body = "\n".join(_paragraph_html(p, article) for p in article.paragraphs)
    pager = ['<nav class="pager" aria-label="Articles">']
    pager.append(f'<a href="{article_file(arts[pos - 1], "html")}" rel="prev">← previous</a>' if pos > 0 else "<span></span>")
    pager.append(f'<a href="{article_file(article, "json")}">this article as JSON</a>')
    pager.append(f'<a href="{article_file(arts[pos + 1], "html")}" rel="next">next →</a>'
                 if pos + 1 < len(arts) else "<span></span>")
    pager.append("</nav>")
    main = article.main_headline
    title = f"{main.zh} · {main.en}" if main else f"Photo {article.id}"
    return _document(title, (
        _bar('<a href="index.html">← Page index</a>') + "\n" + header + "\n" + summary
        + f'\n<main id="text">\n{body}\n</main>\n{_quality_note(article, model)}\n{"".join(pager)}'
    ))


def index_html(page: Page, model: dict) -> str:
    """The page index: every item in order, with both headlines, summaries, flag counts and links; furniture apart."""
    entries, furniture = [], []
    for item in page.items:
        if isinstance(item, Other):
            furniture.append(_pair(item, "li"))
            continue
        link = article_file(item, "html")
        parts = [_pair(h, "p", "kicker", anchor=False, art=item) for h in item.headlines if h.role == "kicker"]
        main = item.main_headline
        zh, en = (escape(main.zh), escape(main.en)) if main else ("图片", "Photo")
        zh_lang = _zh_lang(main, item) if main else "zh-Hans"
        parts.append(f'<h2 class="pair"><a class="zh" lang="{zh_lang}" href="{link}">{zh}</a>'
                     f'<a class="en" lang="en" href="{link}">{en}</a></h2>')
        parts += [_pair(h, "p", "subtitle", anchor=False, art=item) for h in item.headlines if h.role == "subtitle"]
        parts.append(_text_pair(item.summary.zh, item.summary.en, cls="sum", art=item))
        counts = _flag_counts(item)
        total = sum(counts.values())
        flag_text = (f'<span class="flagcount" title="{escape(", ".join(f"{_flag_label(f)} ×{n}" for f, n in sorted(counts.items())))}">'
                     f"{total} flag{'s' if total != 1 else ''}</span>" if total else "0 flags")
        n_sent = sum(1 for _ in item.sentences())
        facts = [escape(item.id), "photo" if item.kind == "photo" else "article",
                 f"{len(item.paragraphs)} paragraph{'s' if len(item.paragraphs) != 1 else ''}",
                 f"{n_sent} sentence{'s' if n_sent != 1 else ''}", flag_text]
        if item.truncated:
            facts.append("breaks off at the end of the page")
        facts.append(f'<a href="{article_file(item, "json")}">JSON</a>')
        parts.append(f'<p class="facts-line">{" · ".join(facts)}</p>')
        entries.append(f'<li class="item" id="{escape(item.id)}">{"".join(parts)}</li>')
    n_art = sum(1 for a in page.articles if a.kind != "photo")
    n_photo = len(page.articles) - n_art
    facts = [f"<dt>Source</dt><dd>{escape(page.path) or 'unknown'} · {_short_sha(page.sha256)} · "
             f"{escape(page.encoding)}</dd>",
             f"<dt>Items</dt><dd>{n_art} article{'s' if n_art != 1 else ''}, {n_photo} photo"
             f"{'s' if n_photo != 1 else ''}, {len(furniture)} piece{'s' if len(furniture) != 1 else ''} "
             "of page furniture</dd>",
             f"<dt>Model</dt><dd>{_model_text(model)}</dd>"]
    name = page.path.replace("\\", "/").rsplit("/", 1)[-1] or "page"
    header = (f'<header class="masthead"><p class="kicker">Page index · 版面目录</p><h1>{escape(name)}</h1>'
              f'<dl class="facts">{"".join(facts)}</dl></header>')
    furn = ""
    if furniture:
        furn = ('<section class="furniture" aria-labelledby="furniture-h"><h2 class="section-title" id="furniture-h">'
                "Page furniture · not part of any article</h2><ul>" + "".join(furniture) + "</ul></section>")
    body = (f'<main id="text"><h2 class="section-title">Articles in page order</h2><ol class="items">'
            + "\n".join(entries) + f"</ol>{furn}</main>")
    return _document(f"{name} · page index", _bar("<span>Page index</span>") + "\n" + header + "\n" + body)
