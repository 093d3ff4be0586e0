"""Render stage: the document model → JSON (for tools) and self-contained bilingual HTML (for people)."""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import re
from collections import Counter
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup, escape

from .document import Article, Other, Page, Unit
from .script import bcp47, detect_script
from .vocabulary import (
    PHOTO,
    furniture_count,
    item_counts,
    item_position,
    kind_word,
    plural,
)

JSON = dict[str, Any]

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


def _unit(unit: Unit, with_en: bool, **extra: Any) -> JSON:
    d: JSON = {"id": unit.id, "zh": unit.zh}
    if with_en:
        d["en"] = unit.en
    d.update(extra)
    d["lang"] = unit.lang
    d["flags"] = list(unit.flags)
    if unit.flag_details:
        d["flag_details"] = {k: list(v) for k, v in sorted(unit.flag_details.items())}
    d["span"] = list(unit.span)
    return d


def article_json(article: Article, page: Page, with_en: bool = True) -> JSON:
    """The article-NN.json document (schema_version 1); without `en` fields for `pipeline inspect`."""
    summary: JSON = {"sentence_ids": list(article.summary.sentence_ids), "zh": article.summary.zh}
    if with_en:
        summary["en"] = article.summary.en
    if article.summary.method:
        summary["method"] = article.summary.method
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
                "column_break_confidence": list(p.column_break_confidence),
                "sentences": [_unit(s, with_en) for s in p.sentences],
            }
            for p in article.paragraphs
        ],
        "truncated": article.truncated,
        "notes": list(article.notes),
        "confidence": article.confidence,
        "script": bcp47(article.script or detect_script(u.zh for u in article.units())),
        "names": [{"zh": n.zh, "en": n.en, "kind": n.kind, "sentence_ids": list(n.sentence_ids)}
                  for n in article.names],
    }


def index_items(page: Page, with_en: bool = True, inline: bool = False) -> list[JSON]:
    """The page's items in source order; articles link their files (or carry their JSON inline)."""
    items: list[JSON] = []
    for item in page.items:
        if isinstance(item, Other):
            items.append({"kind": "other", **_unit(item, with_en), "confidence": item.confidence})
            continue
        main = item.main_headline
        entry: JSON = {"kind": item.kind, "id": item.id}
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


def index_json(page: Page, model: JSON, timing: JSON | None = None) -> JSON:
    """The index.json document: source, model and every item of the page in order; `timing` last."""
    doc: JSON = {
        "schema_version": SCHEMA_VERSION,
        "source": {"path": page.path, "sha256": page.sha256, "encoding": page.encoding},
        "model": model,
        "items": index_items(page),
    }
    if timing is not None:
        doc["timing"] = timing
    return doc


def dumps(doc: JSON) -> str:
    """Deterministic JSON text: key order as built, UTF-8 (no \\u escapes), two-space indent, trailing newline."""
    return json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


# ---------------------------------------------------------------------------------------------------- HTML
# The reader pages come from Jinja2 templates (pipeline/templates/) with autoescape on, rendered from the same JSON
# documents as above: what a person reads is what a tool reads. The helpers below are the templates' filters.

TEMPLATES = "templates"


def _zh_lang(unit: JSON, article: JSON | None = None) -> str:
    """The BCP 47 tag of a unit's source text: Chinese in its article's script (`script`: zh-Hans or zh-Hant;
    zh-Hans outside an article), or what the language stage detected."""
    lang = unit.get("lang") or "und"
    if lang != "zh":
        return str(lang)
    return str(article.get("script") or "zh-Hans") if article is not None else "zh-Hans"


def _mark_names(text: str, article: JSON | None = None) -> Markup:
    """Chinese text, escaped, each of the article's names in it (longest first) marked with its English and kind as
    a tooltip. Every piece of text goes through markupsafe's escape; only the span tags are trusted markup."""
    names: list[JSON] = sorted(article.get("names") or [], key=lambda n: len(n["zh"]), reverse=True) \
        if article is not None else []
    if not names or not text:
        return escape(text)
    by_zh = {n["zh"]: n for n in names}
    pattern = re.compile("|".join(re.escape(z) for z in by_zh))
    out, pos = [], 0
    for m in pattern.finditer(text):
        n = by_zh[m.group(0)]
        out.append(escape(text[pos:m.start()]))
        out.append(Markup('<span class="name" title="{} ({})">{}</span>').format(n["en"], n["kind"], m.group(0)))
        pos = m.end()
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def _flag_label(flag: str) -> str:
    return flag.replace("_", " ")


def _flag_help(unit: JSON, flag: str) -> str:
    text = FLAG_HELP.get(flag, flag)
    details = unit.get("flag_details", {}).get(flag)
    if details:
        text += " (" + ", ".join(details) + ")"
    return text


def _model_text(model: JSON) -> str:
    parts = [str(model.get("id", "")) or "unknown model"]
    if model.get("backend"):
        parts.append(f"backend {model['backend']}")
    beams = (model.get("decoding") or {}).get("beams")
    if beams:
        parts.append(f"beam {beams}")
    return " · ".join(parts)


def _short_sha(sha: str) -> str:
    return f"sha256 {sha[:12]}…" if sha else ""


def _main_headline(doc: JSON) -> JSON | None:
    """An article document's main headline: the one with role main, else the first (None for a photo)."""
    headlines: list[JSON] = doc["headlines"]
    return next((h for h in headlines if h["role"] == "main"), headlines[0] if headlines else None)


def _sentences(doc: JSON) -> list[JSON]:
    return [s for p in doc["paragraphs"] for s in p["sentences"]]


def _units(doc: JSON) -> list[JSON]:
    """Every text unit of an article document in source order (as Article.units())."""
    units = [*doc["headlines"], *_sentences(doc), *(u for u in (doc["byline"], doc["dateline"]) if u)]
    return sorted(units, key=lambda u: tuple(u["span"]))


def _flag_counts(doc: JSON) -> list[tuple[str, int]]:
    """(flag, how many units carry it), by flag name."""
    return sorted(Counter(f for u in _units(doc) for f in u["flags"]).items())


def _flagged_units(doc: JSON) -> list[tuple[str, list[str]]]:
    """(flag, ids of the units that carry it in source order), flags in FLAG_HELP's order, unknown ones last."""
    by_flag: dict[str, list[str]] = {}
    for unit in _units(doc):
        for f in unit["flags"]:
            by_flag.setdefault(f, []).append(unit["id"])
    order = list(FLAG_HELP)
    return sorted(by_flag.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else len(order), kv[0]))


def _layout_notes(doc: JSON) -> list[str]:
    """The article's layout notes, plus one when it breaks off at the end of the page and no note says so."""
    notes = list(doc["notes"])
    if doc["truncated"] and not any("continued" in n for n in notes):
        notes.append("The article breaks off at the end of the page; it probably continues on another page.")
    return notes


def _compat_entities(html: str) -> str:
    """Spell escaped quotes as the f-string renderer did (html.escape), so the move to templates changed no byte.

    markupsafe writes ' and " as &#39; and &#34;; html.escape as &#x27; and &quot;. Both parse to the same text.
    Neither spelling can come from anything but escaping: a literal "&#39;" in the text is escaped to "&amp;#39;".
    """
    return html.replace("&#39;", "&#x27;").replace("&#34;", "&quot;")


@functools.cache
def environment() -> jinja2.Environment:
    """The templates' environment: autoescape on for every template, undefined names are errors."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("pipeline", TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters.update(
        zh_lang=_zh_lang, mark_names=_mark_names, flag_label=_flag_label, flag_help=_flag_help, model_text=_model_text, short_sha=_short_sha,
        main_headline=_main_headline, sentence_count=lambda doc: len(_sentences(doc)), flag_counts=_flag_counts,
        flagged_units=_flagged_units, layout_notes=_layout_notes,
    )
    js = _asset("reader.js")
    env.globals.update(FLAG_HELP=FLAG_HELP, role_labels=PARAGRAPH_ROLE_LABEL, css=_asset("reader.css"), js=js,
                       js_sha256=base64.b64encode(hashlib.sha256(js.encode()).digest()).decode(), plural=plural,
                       item_counts=item_counts, item_position=item_position, kind_word=kind_word,
                       furniture_count=furniture_count)
    return env


def _asset(name: str) -> Markup:
    """A file shipped next to the templates (the style sheet, the script), trusted and inlined as it is."""
    return Markup((resources.files("pipeline") / TEMPLATES / name).read_text(encoding="utf-8"))


def render(template: str, **context: Any) -> str:
    """Render one of pipeline/templates/ (autoescaped) to the text of a file."""
    return _compat_entities(environment().get_template(template).render(**context))


def article_html(article: Article, page: Page, model: JSON) -> str:
    """One article as a bilingual reader page: header, summary, aligned sentence rows, quality note."""
    arts = page.articles
    pos = next((i for i, a in enumerate(arts) if a is article), 0)
    doc = article_json(article, page)
    main = _main_headline(doc)
    return render(
        "article.html.j2", a=doc, model=model, position=pos + 1, total=len(arts),
        title=f"{main['zh']} · {main['en']}" if main else f"{kind_word(article.kind).capitalize()} {article.id}",
        json_file=article_file(article, "json"),
        prev_file=article_file(arts[pos - 1], "html") if pos > 0 else None,
        next_file=article_file(arts[pos + 1], "html") if pos + 1 < len(arts) else None,
    )


def index_html(page: Page, model: JSON, part: JSON | None = None) -> str:
    """The page index: every item in order, with both headlines, summaries, flag counts and links; furniture apart.
    A part of an input in parts (`part`: index.json `source.part`) links up to the input's overview of its parts."""
    entries = index_items(page)  # as in index.json; each item gets its own document alongside
    docs = {a.id: article_json(a, page) for a in page.articles}
    items = [{**e, "article": docs[e["id"]]} for e in entries if e["kind"] != "other"]
    furniture = [e for e in entries if e["kind"] == "other"]
    counts = {"articles": sum(1 for e in items if e["kind"] != PHOTO),
              "photos": sum(1 for e in items if e["kind"] == PHOTO), "furniture": len(furniture)}
    source = {"path": page.path, "sha256": page.sha256, "encoding": page.encoding}
    name = page.path.replace("\\", "/").rsplit("/", 1)[-1] or "page"
    return render("index.html.j2", source=source, model=model, items=items, furniture=furniture, counts=counts,
                  name=name, title=f"{name} · page index", part=part)
