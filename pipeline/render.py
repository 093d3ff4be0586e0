"""Render stage: the document model → JSON (for tools) and self-contained HTML (for people)."""

from __future__ import annotations

import json
from html import escape

from .document import Article, Other, Page, Unit

SCHEMA_VERSION = 1

FLAG_HELP = {
    "copied": "Not Chinese (English, a number, a URL or punctuation): copied through untranslated.",
    "untranslated": "Chinese characters were left in the English output.",
    "empty": "The model returned no English for this sentence.",
    "number_mismatch": "A number in the Chinese is not found in the English; check the figures.",
    "repetition": "The English repeats itself; the model may have looped.",
    "split_for_translation": "Too long for the model in one piece: translated in parts and joined.",
}


def article_file(article: Article, ext: str) -> str:
    return f"article-{article.number:02d}.{ext}"


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
    """The index.json document: source, model and every item of the page in order."""
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
    """Deterministic JSON text: fixed key order (as built), UTF-8, two-space indent, trailing newline."""
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


CSS = """
:root{--fg:#1d1d1f;--bg:#fdfdfb;--muted:#6b6b6b;--line:#e4e2dc;--hl:#fff3b0;--box:#f3f1ea;--badge:#b3541e}
@media (prefers-color-scheme:dark){:root{--fg:#e8e6e1;--bg:#16171a;--muted:#a3a3a3;--line:#33343a;--hl:#4a4216;
--box:#222328;--badge:#f0a56b}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:72rem;padding:1.5rem;color:var(--fg);background:var(--bg);line-height:1.7;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
[lang|=zh]{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Hiragino Sans GB",
"Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;line-height:1.9}
header{border-bottom:2px solid var(--fg);margin-bottom:1rem}
.kicker{color:var(--muted);font-size:1rem;margin:0}
h1{margin:.2rem 0;font-size:1.6rem;line-height:1.35}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:.2rem 1.5rem}
.meta{color:var(--muted);font-size:.9rem}
.summary{background:var(--box);padding:.8rem 1rem;border-radius:.4rem;margin:1rem 0}
.summary h2{font-size:1rem;margin:0 0 .3rem}
.para{border-top:1px solid var(--line);padding:.5rem 0}
.row{display:grid;grid-template-columns:1fr 1fr;gap:1.5rem;padding:.15rem .3rem;border-radius:.3rem}
.row>*{overflow-wrap:anywhere;min-width:0}
.row:hover,.row:focus-within,.row.on{background:var(--hl)}
[data-sid]:focus{outline:2px solid var(--badge);outline-offset:2px}
.badge{display:inline-block;font-size:.7rem;border:1px solid var(--badge);color:var(--badge);border-radius:.6rem;
padding:0 .4rem;margin-left:.3rem;cursor:help;vertical-align:middle}
nav.view{font-size:.85rem;margin:.5rem 0}
body.zh-only .en, body.en-only .zh{display:none}
body.zh-only .row, body.en-only .row, body.zh-only .pair, body.en-only .pair{grid-template-columns:1fr}
footer{margin-top:2rem;border-top:1px solid var(--line);color:var(--muted);font-size:.85rem}
a{color:inherit}
@media (max-width:40rem){.row,.pair{grid-template-columns:1fr;gap:0}.row{padding:.4rem .2rem}}
@media print{nav.view{display:none}.row:hover{background:none}body{max-width:none}}
"""

JS = """
document.querySelectorAll('[data-sid]').forEach(function(el){
  function on(v){document.querySelectorAll('[data-sid="'+el.dataset.sid+'"]').forEach(function(x){
    x.closest('.row').classList.toggle('on',v)})}
  el.addEventListener('mouseenter',function(){on(true)});el.addEventListener('mouseleave',function(){on(false)});
  el.addEventListener('focus',function(){on(true)});el.addEventListener('blur',function(){on(false)});
});
document.querySelectorAll('nav.view button').forEach(function(b){b.addEventListener('click',function(){
  document.body.className=b.dataset.view;})});
"""


def _page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'\">\n"
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}\n<script>{JS}</script>\n"
        "</body>\n</html>\n"
    )


def _badges(unit: Unit) -> str:
    out = []
    for f in unit.flags:
        detail = FLAG_HELP.get(f, f)
        if unit.flag_details.get(f):
            detail += " (" + ", ".join(unit.flag_details[f]) + ")"
        out.append(f'<span class="badge" title="{escape(detail)}">{escape(f)}</span>')
    return "".join(out)


def article_html(article: Article, page: Page, model: dict) -> str:
    """One article as a bilingual reader page: header, summary, aligned sentence rows, quality note."""
    head = []
    for h in article.headlines:
        tag, cls = ("h1", "") if h.role == "main" else ("p", ' class="kicker"')
        head.append(f'<div class="pair"><{tag}{cls} lang="zh-Hans">{escape(h.zh)}</{tag}>'
                    f'<{tag}{cls} lang="en">{escape(h.en)}</{tag}></div>')
    if not article.headlines:
        head.append('<h1 lang="en">Photo</h1>')
    meta = []
    for unit in (article.byline, article.dateline):
        if unit:
            meta.append(f'<div class="pair meta"><span lang="zh-Hans">{escape(unit.zh)}</span>'
                        f'<span lang="en">{escape(unit.en)}</span></div>')
    if article.truncated:
        meta.append('<p class="meta">This article is cut off at the end of the page (continued elsewhere).</p>')
    summary = (f'<section class="summary" aria-label="Summary"><h2>Summary · 摘要</h2><div class="pair">'
               f'<p lang="zh-Hans">{escape(article.summary.zh)}</p><p lang="en">{escape(article.summary.en)}</p>'
               "</div></section>")
    paras = []
    flagged = []
    for p in article.paragraphs:
        rows = []
        for s in p.sentences:
            sid = escape(s.id)
            rows.append(f'<div class="row" id="{sid}"><span class="zh" lang="zh-Hans" tabindex="0" data-sid="{sid}">'
                        f'{escape(s.zh)}</span><span class="en" lang="en" tabindex="0" data-sid="{sid}">'
                        f'{escape(s.en)}{_badges(s)}</span></div>')
            if s.flags:
                flagged.append(f'<li><a href="#{sid}">{sid}</a>: {escape(", ".join(s.flags))}</li>')
        paras.append(f'<section class="para" id="{escape(p.id)}">{"".join(rows)}</section>')
    note = (f"<h2>Quality note</h2><ul>{''.join(flagged)}</ul>" if flagged
            else "<p>No sentence was flagged.</p>")
    nav = ('<nav class="view" aria-label="View">Show: <button type="button" data-view="">both</button> '
           '<button type="button" data-view="zh-only">中文</button> '
           '<button type="button" data-view="en-only">English</button> · <a href="index.html">page index</a></nav>')
    footer = (f'<footer>{note}<p>Source: {escape(page.path)} · model {escape(str(model.get("id", "")))} '
              f'({escape(str(model.get("backend", "")))})</p></footer>')
    title = article.main_headline.zh if article.main_headline else f"Photo {article.id}"
    body = f"<header>{''.join(head)}{''.join(meta)}</header>{nav}{summary}<main>{''.join(paras)}</main>{footer}"
    return _page(title, body)


def index_html(page: Page, model: dict) -> str:
    """The page index: every item in order, with both headlines, summaries and links; furniture apart."""
    entries, furniture = [], []
    for item in page.items:
        if isinstance(item, Other):
            furniture.append(f'<li><span lang="zh-Hans">{escape(item.zh)}</span> — <span lang="en">'
                             f"{escape(item.en)}</span></li>")
            continue
        main = item.main_headline
        zh = escape(main.zh) if main else "（图片）"
        en = escape(main.en) if main else "Photo"
        flags = sum(len(s.flags) for s in item.sentences())
        link = article_file(item, "html")
        entries.append(
            f'<li class="para"><div class="pair"><h2 lang="zh-Hans"><a href="{link}">{zh}</a></h2>'
            f'<h2 lang="en"><a href="{link}">{en}</a></h2></div><div class="pair meta">'
            f'<p lang="zh-Hans">{escape(item.summary.zh)}</p><p lang="en">{escape(item.summary.en)}</p></div>'
            f'<p class="meta">{item.kind} {item.id} · {len(item.paragraphs)} paragraphs · {flags} flags'
            f'{" · truncated" if item.truncated else ""}</p></li>'
        )
    furn = f"<h2>Page furniture</h2><ul>{''.join(furniture)}</ul>" if furniture else ""
    body = (f"<header><h1>{escape(page.path)}</h1><p class=\"meta\">{len(page.articles)} items · model "
            f"{escape(str(model.get('id', '')))}</p></header><main><ol style=\"list-style:none;padding:0\">"
            f"{''.join(entries)}</ol>{furn}</main>")
    return _page(page.path, body)
