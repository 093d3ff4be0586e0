"""The reader HTML and the JSON documents, rendered from hand-built pages (no model, no layout heuristics)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html import unescape
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import render
from pipeline.document import (
    Name,
    Article,
    Byline,
    Dateline,
    Headline,
    Other,
    Page,
    Paragraph,
    Sentence,
    Summary,
)
from pipeline.render import (
    FLAG_HELP,
    article_html,
    article_json,
    dumps,
    index_html,
    index_json,
)
from pipeline.run import FileResult

MODEL = {"id": "tiny-memorizing", "backend": "transformers", "decoding": {"beams": 3}}

_SEED_RUNS: dict[str, FileResult] = {}


def seed_run(tmp_path_factory, translator, run: str = "first") -> FileResult:
    """The seed page's run with the tiny memorizing model (its result, out_dir included); one run per name per session.

    Shared by test_schemas, test_export, test_browser and test_vocabulary so the seed page is translated as few times
    as possible.
    """
    if run not in _SEED_RUNS:
        from conftest import SEED

        from pipeline.run import run_file

        _SEED_RUNS[run] = run_file(SEED, tmp_path_factory.mktemp(f"seed-{run}"), translator)
    return _SEED_RUNS[run]


def seed_output(tmp_path_factory, translator, run: str = "first") -> Path:
    """The seed page's output folder (see seed_run)."""
    return seed_run(tmp_path_factory, translator, run).out_dir

# Every user-derived field gets a payload that would become markup (or break an attribute) if not escaped.
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> \'q\' "dq" &amp; </span></div>'


def _units(text: str, pieces: list[str]):
    """Spans of `pieces`, found in order in `text`."""
    pos, spans = 0, []
    for piece in pieces:
        start = text.index(piece, pos)
        spans.append((start, start + len(piece)))
        pos = start + len(piece)
    return spans


def rich_page(hostile: str = "") -> Page:
    """A small page with every kind of item, headline role, paragraph role and flag; `hostile` is mixed into every field."""
    h = hostile
    zh = [f"大众日报 客户端{h}", f"经济观察{h}", f"枣庄50个重点项目集中开工{h}", f"——秋季施工黄金季{h}", f"□ 本报记者 张环泽{h}",
          f"本报枣庄10月9日讯{h}", f"10月9日上午,枣庄市举行重点项目集中启动活动,总投资额686亿元。{h}",
          f"其中,50亿元以上项目3个。{h}", f"锂电池新能源{h}", f"锂电池新能源是枣庄首位发展的产业。{h}",
          f"（下转第二版）{h}", f"图为开工现场。{h}", f"OpenAI GPT{h}"]
    text = "\n\n".join(zh) + "\n"
    sp = _units(text, zh)
    s = [Sentence(id="a01-p01-s01", zh=zh[6], span=sp[6], en=f"On the morning of October 9, Zaozhuang held a launch; total 68.6 billion yuan.{h}"),
         Sentence(id="a01-p01-s02", zh=zh[7], span=sp[7], en=f"Among them, 3 projects above 5 billion.{h}"),
         Sentence(id="a01-p02-s01", zh=zh[8], span=sp[8], en=f"Lithium battery new energy{h}"),
         Sentence(id="a01-p03-s01", zh=zh[9], span=sp[9], en=f"Lithium batteries batteries batteries batteries.{h}"),
         Sentence(id="a01-p04-s01", zh=zh[10], span=sp[10], en=f"(Continued on page 2){h}"),
         Sentence(id="a02-p01-s01", zh=zh[11], span=sp[11], en=f"The picture shows the site.{h}"),
         Sentence(id="a02-p01-s02", zh=zh[12], span=sp[12], en=zh[12], lang="en")]
    s[0].flag("number_mismatch", f"686{h}")
    s[0].flag("split_for_translation")
    s[3].flag("repetition")
    s[2].flag("untranslated", "锂")
    s[6].flag("copied")
    a1 = Article(
        id="a01",
        headlines=[Headline(id="a01-h1", zh=zh[1], span=sp[1], en=f"Economic watch{h}", role="kicker"),
                   Headline(id="a01-h2", zh=zh[2], span=sp[2], en=f"Zaozhuang starts 50 key projects{h}", role="main"),
                   Headline(id="a01-h3", zh=zh[3], span=sp[3], en=f"The golden season of autumn building{h}",
                            role="subtitle")],
        byline=Byline(id="a01-by", zh=zh[4], span=sp[4], en=f"Reporter Zhang Huanze{h}", authors=[f"张环泽{h}"]),
        dateline=Dateline(id="a01-dl", zh=zh[5], span=sp[5], en=f"Zaozhuang, October 9{h}"),
        paragraphs=[Paragraph(id="a01-p01", span=(sp[6][0], sp[7][1]), sentences=s[0:2]),
                    Paragraph(id="a01-p02", span=sp[8], sentences=[s[2]], role="subheading"),
                    Paragraph(id="a01-p03", span=sp[9], sentences=[s[3]]),
                    Paragraph(id="a01-p04", span=sp[10], sentences=[s[4]], role="marker")],
        summary=Summary(sentence_ids=["a01-p01-s01"], zh=s[0].zh, en=s[0].en),
        truncated=True,
        notes=[f"ends mid-sentence: probably continued on another page{h}"],
    )
    a2 = Article(id="a02", kind="photo",
                 paragraphs=[Paragraph(id="a02-p01", span=(sp[11][0], sp[12][1]), sentences=s[5:7], role="caption")],
                 summary=Summary(sentence_ids=["a02-p01-s01"], zh=s[5].zh, en=s[5].en),
                 notes=["no headline: treated as a captioned photo"])
    other = Other(id="o01", zh=zh[0], span=sp[0], en=f"Dazhong Daily app{h}")
    return Page(text=text, path=f"input/rich{h}.txt", sha256="0" * 64, items=[other, a1, a2])


@pytest.fixture(scope="module")
def page() -> Page:
    return rich_page()


@pytest.fixture(scope="module")
def soup(page) -> BeautifulSoup:
    return BeautifulSoup(article_html(page.articles[0], page, MODEL), "html.parser")


def test_every_sentence_is_one_row_with_one_zh_and_one_en_side(page, soup):
    for s in page.articles[0].sentences():
        sides = soup.select(f'[data-sid="{s.id}"]')
        assert [e["class"] for e in sides] == [["zh"], ["en"]], s.id
        assert sides[0].parent is sides[1].parent and sides[0].parent["class"] == ["row"]
        assert sides[0].parent["id"] == s.id
        assert sides[0]["lang"] == "zh-Hans" and sides[1]["lang"] == "en"
        assert sides[0]["tabindex"] == "0" and sides[1]["tabindex"] == "0"
        assert sides[0].get_text() == s.zh


def test_header_has_every_headline_in_both_languages_byline_dateline_source_and_model(page, soup):
    header = soup.select_one("header.masthead")
    art = page.articles[0]
    for h in art.headlines:
        assert h.zh in header.get_text() and h.en in header.get_text()
    assert header.select_one("h1 .zh").get_text() == "枣庄50个重点项目集中开工"
    assert header.select_one("p.kicker .en").get_text() == "Economic watch"
    assert header.select_one("p.subtitle .zh").get_text() == "——秋季施工黄金季"
    people = [p.get_text() for p in header.select("p.people .zh")]
    assert people == ["□ 本报记者 张环泽", "本报枣庄10月9日讯"]
    facts = header.select_one("dl.facts").get_text(" ")
    for needle in ("input/rich.txt", "tiny-memorizing", "transformers", "beam 3", "1 of 2"):
        assert needle in facts


def test_summary_comes_before_the_body_in_both_languages(soup):
    summary, main = soup.select_one("section.summary"), soup.select_one("main")
    assert summary.find_next("main") is main
    assert summary.select_one(".zh").get_text().startswith("10月9日上午")
    assert summary.select_one(".en").get_text().startswith("On the morning of October 9")


@pytest.mark.parametrize("pid, role, label", [
    ("a01-p01", "body", None),
    ("a01-p02", "subheading", None),
    ("a01-p04", "marker", None),
])
def test_paragraph_roles_are_marked_for_distinct_styling(soup, pid, role, label):
    para = soup.select_one(f"#{pid}")
    assert para["class"] == ["para"] and para["data-role"] == role
    assert (para.get("role") == "heading") == (role == "subheading")


def test_a_photo_caption_is_labelled_and_the_photo_has_a_title(page):
    photo = BeautifulSoup(article_html(page.articles[1], page, MODEL), "html.parser")
    assert photo.select_one("h1 .en").get_text() == "Photo"
    caption = photo.select_one("#a02-p01")
    assert caption["data-role"] == "caption" and "caption" in caption.select_one(".role-label").get_text().lower()
    # Copied (non-Chinese) source text keeps its detected language.
    assert photo.select_one('.zh[data-sid="a02-p01-s02"]')["lang"] == "en"


def test_flags_are_badges_with_explanations_and_listed_in_the_quality_note(soup):
    badges = soup.select('.en[data-sid="a01-p01-s01"] .badge')
    assert [b["data-flag"] for b in badges] == ["number_mismatch", "split_for_translation"]
    tip = badges[0].select_one('.tip[role="tooltip"]').get_text()
    assert FLAG_HELP["number_mismatch"] in tip and "686" in tip
    assert badges[0]["tabindex"] == "0"
    note = soup.select_one("section.quality")
    assert note.find_previous("main") is not None  # the note comes after the body
    listed = {li.select_one(".badge")["data-flag"]: [a["href"] for a in li.select("a")] for li in note.select("li")
              if li.select_one(".badge")}
    assert listed == {"number_mismatch": ["#a01-p01-s01"], "split_for_translation": ["#a01-p01-s01"],
                      "untranslated": ["#a01-p02-s01"], "repetition": ["#a01-p03-s01"]}
    assert "continued on another page" in note.get_text()


def _reader_script() -> str:
    return (Path(render.__file__).parent / render.TEMPLATES / "reader.js").read_text(encoding="utf-8")


def test_the_language_toggle_is_radio_inputs_with_both_checked_and_one_script_remembers_it(soup):
    radios = soup.select("input.view-input[type=radio]")
    assert [r["id"] for r in radios] == ["view-both", "view-zh", "view-en"]
    assert [r.has_attr("checked") for r in radios] == [True, False, False]
    assert {lab["for"] for lab in soup.select(".toggle label")} == {"view-both", "view-zh", "view-en"}
    # The only script is reader.js, inline, right after the inputs (it must find them, and run before the text).
    scripts = soup.find_all("script")
    assert [s.get_text() for s in scripts] == [_reader_script()]
    assert scripts[0].find_previous_sibling("input")["id"] == "view-en"
    assert "localStorage" in scripts[0].get_text()
    for radio in radios:
        assert f'"{radio["id"]}"' in scripts[0].get_text()


def test_the_page_is_self_contained(page):
    for html in (article_html(page.articles[0], page, MODEL), index_html(page, MODEL)):
        doc = BeautifulSoup(html, "html.parser")
        assert not doc.select("link, img, iframe, object, embed, [src]")
        assert not re.search(r"url\(|@import|https?:", html)
        csp = doc.select_one('meta[http-equiv="Content-Security-Policy"]')["content"]
        assert "default-src 'none'" in csp
        # Scripts run only if their text hashes to the one the CSP names: the reader's, and nothing injected.
        digest = base64.b64encode(hashlib.sha256(_reader_script().encode()).digest()).decode()
        assert f"script-src 'sha256-{digest}';" in csp and "unsafe" not in csp.split("script-src")[1].split(";")[0]
        assert doc.html["lang"] == "en" and doc.select_one('meta[name="viewport"]')


def test_css_has_cjk_fonts_dark_mode_print_and_narrow_layout(soup):
    css = soup.style.get_text()
    for needle in ('"Noto Sans CJK SC"', '"PingFang SC"', "prefers-color-scheme:dark", "@media print",
                   "@media (max-width:44rem)", ":lang(zh)", ":focus-visible"):
        assert needle in css


@pytest.mark.parametrize("kind", ["article", "index"])
def test_hostile_text_is_escaped_everywhere(kind):
    page = rich_page(HOSTILE)
    html = article_html(page.articles[0], page, {**MODEL, "id": HOSTILE}) if kind == "article" \
        else index_html(page, {**MODEL, "id": HOSTILE})
    doc = BeautifulSoup(html, "html.parser")
    assert [s.get_text() for s in doc.find_all("script")] == [_reader_script()] and doc.find("img") is None
    assert not doc.select("[onerror]")
    assert html.count("<script") == 1 and "<script>alert" not in html and "</span></div>'" not in html
    # The payload survives as text wherever it went in.
    assert doc.get_text().count(HOSTILE) >= (25 if kind == "article" else 12)


def _injected(html: str) -> list[str]:
    """Markup that a payload made: elements and event attributes that the reader never writes."""
    doc = BeautifulSoup(html, "html.parser")
    made = [t.name for t in doc.find_all(["script", "img"]) if t.get_text() != _reader_script()]
    return made + [f"{t.name}[{a}]" for t in doc.find_all(True) for a in t.attrs if a.startswith("on")]


def hostile_everywhere() -> Page:
    """rich_page(HOSTILE) with the payload also in the fields only the pipeline writes: encoding, digest, language
    tags, flag names and details, and a paragraph role (each lands in an attribute)."""
    page = rich_page(HOSTILE)
    page.encoding = page.sha256 = HOSTILE
    art = page.articles[0]
    art.paragraphs[0].sentences[0].lang = HOSTILE
    art.paragraphs[0].sentences[1].flag(HOSTILE, HOSTILE)
    art.paragraphs[2].role = HOSTILE
    art.headlines[1].lang = HOSTILE
    return page


@pytest.mark.parametrize("autoescape", [True, False])
def test_the_templates_autoescape_is_what_keeps_markup_out(monkeypatch, autoescape):
    # With autoescape off the same pages carry live markup: escaping is the templates' job, not the callers'.
    env = render.environment().overlay(autoescape=autoescape)
    monkeypatch.setattr(render, "environment", lambda: env)
    page = hostile_everywhere()
    model = {**MODEL, "id": HOSTILE, "backend": HOSTILE}
    for html in (article_html(page.articles[0], page, model), article_html(page.articles[1], page, model),
                 index_html(page, model)):
        if autoescape:
            assert _injected(html) == []
            assert BeautifulSoup(html, "html.parser").get_text().count(HOSTILE) >= 3
        else:
            assert "script" in _injected(html) and "img[onerror]" in _injected(html)


def test_the_templates_ship_as_package_data():
    tomllib = pytest.importorskip("tomllib")
    from fnmatch import fnmatch

    root = Path(render.__file__).parent
    globs = tomllib.loads((root.parent / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"]["pipeline"]
    shipped = [p for p in (root / render.TEMPLATES).iterdir() if p.is_file()]
    assert {p.name for p in shipped} >= {"base.html.j2", "macros.html.j2", "article.html.j2", "index.html.j2",
                                         "reader.css"}
    for p in shipped:
        assert any(fnmatch(p.relative_to(root).as_posix(), g) for g in globs), p


def test_index_lists_articles_in_order_with_both_headlines_summaries_flag_counts_and_furniture_apart(page):
    doc = BeautifulSoup(index_html(page, MODEL), "html.parser")
    items = doc.select("ol.items > li.item")
    assert [li["id"] for li in items] == ["a01", "a02"]
    first = items[0]
    assert [a["href"] for a in first.select("h2 a")] == ["article-01.html", "article-01.html"]
    assert first.select_one("h2 .zh").get_text() == "枣庄50个重点项目集中开工"
    assert first.select_one("h2 .en").get_text() == "Zaozhuang starts 50 key projects"
    assert first.select_one(".kicker .zh").get_text() == "经济观察"
    assert first.select_one(".sum .en").get_text().startswith("On the morning")
    assert first.select_one(".flagcount").get_text() == "4 flags"
    assert "article-01.json" in [a["href"] for a in first.select("a")]
    assert items[1].select_one("h2 .en").get_text() == "Photo"
    furniture = doc.select("section.furniture li")
    assert [li.select_one(".zh").get_text() for li in furniture] == ["大众日报 客户端"]
    assert not doc.select("ol.items .furniture, ol.items #o01")


def test_article_json_keeps_the_contract_key_order(page):
    doc = article_json(page.articles[0], page)
    assert list(doc) == ["schema_version", "id", "kind", "source", "headlines", "byline", "dateline", "summary",
                         "paragraphs", "truncated", "notes", "confidence", "script", "names"]
    assert list(doc["paragraphs"][0]["sentences"][0]) == ["id", "zh", "en", "lang", "flags", "flag_details", "span"]
    assert list(index_json(page, MODEL, {"translate_s": 1.0})) == ["schema_version", "source", "model", "items",
                                                                    "timing"]


def test_dumps_is_utf8_two_space_and_rejects_nan():
    assert dumps({"b": "枣庄", "a": [1]}) == '{\n  "b": "枣庄",\n  "a": [\n    1\n  ]\n}\n'
    with pytest.raises(ValueError):
        dumps({"x": float("nan")})


# Any text at all, in any field, comes back out of the HTML unchanged (escaping is exact, not lossy).
_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1)


@settings(max_examples=60, deadline=None)
@given(zh=_TEXT, en=_TEXT)
def test_any_sentence_text_round_trips_through_the_html(zh, en):
    page = rich_page()
    s = page.articles[0].paragraphs[0].sentences[0]
    s.zh, s.en, s.flags = zh, en, []
    html = article_html(page.articles[0], page, MODEL)
    assert len(BeautifulSoup(html, "html.parser").select('[data-sid="a01-p01-s01"]')) == 2
    # Read the raw markup (an HTML parser would normalise whitespace): escaped text holds no "<".
    sides = re.findall(r'data-sid="a01-p01-s01">([^<]*)</span>', html)
    assert [unescape(x) for x in sides] == [zh, en]


def test_rendering_is_deterministic(page):
    assert article_html(page.articles[0], page, MODEL) == article_html(page.articles[0], rich_page(), MODEL)
    assert dumps(index_json(page, MODEL)) == dumps(index_json(rich_page(), MODEL))
    assert json.loads(dumps(article_json(page.articles[0], page)))["headlines"][2]["role"] == "subtitle"


def test_an_article_without_a_headline_is_untitled_not_a_photo():
    """Issue 13 item 4: only a photo is titled 图片 / Photo; a headline-less article is an untitled article."""
    from pipeline.run import build_page

    page = build_page("今年以来，我市加快推进重点项目建设，完成投资一百亿元，\n项目涵盖交通、能源和民生等领域。\n")
    (article,) = page.articles
    assert article.kind == "article" and article.main_headline is None
    html = article_html(article, page, MODEL)
    index = index_html(page, MODEL)
    for doc in (html, index):
        assert "Untitled article" in doc and ">Photo<" not in doc and "图片" not in doc
    assert "<title>Article a01" in html


def test_a_part_of_an_input_in_parts_links_up_to_the_overview():
    """Issue 13 item 3: each part's index page links to the input's overview of its parts (../index.html)."""
    page = rich_page()
    soup = BeautifulSoup(index_html(page, MODEL, {"number": 2, "of": 3, "span": [0, 10]}), "html.parser")
    up = soup.select_one('nav.bar a[href="../index.html"]')
    assert up is not None and "3 parts" in up.get_text()
    assert "part 2 of 3" in soup.select_one("nav.bar").get_text()
    assert BeautifulSoup(index_html(page, MODEL), "html.parser").select_one('a[href="../index.html"]') is None


def test_names_are_marked_escaped_and_listed_in_the_articles_script():
    """Ported from names' f-string render.py: every Chinese name gets its English as a tooltip, the names panel follows
    the summary, and the article's zh text is tagged with its script (zh-Hant here). Hostile text stays text."""
    page = rich_page(HOSTILE)
    art = page.articles[0]
    art.script = "Hant"
    art.names = [Name(zh="张环泽", en=f"Zhang Huanze{HOSTILE}", kind="person", sentence_ids=["a01-by"]),
                 Name(zh="枣庄", en="Zaozhuang", kind="place", sentence_ids=["a01-h2", "a01-p01-s01"])]
    html = article_html(art, page, MODEL)
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find_all("script", src=False)[1:] and not soup.find("img")  # only the reader's own script
    marks = soup.select("#a01-by .zh .name")
    assert [m.get_text() for m in marks] == ["张环泽"]
    assert marks[0]["title"] == f"Zhang Huanze{HOSTILE} (person)"
    assert soup.select_one("#a01-by .zh").get_text() == art.byline.zh  # marking loses no character
    row = soup.select_one('#a01-p01-s01 .zh')
    assert row["lang"] == "zh-Hant" and row.select_one(".name")["title"] == "Zaozhuang (place)"
    assert row.get_text() == art.paragraphs[0].sentences[0].zh
    panel = soup.select_one("section.names")
    assert panel is not None and panel.find_previous_sibling("section")["class"] == ["summary"]
    assert [a["href"] for a in panel.select("li")[1].select("a")] == ["#a01-h2", "#a01-p01-s01"]
    assert panel.select_one(".zh")["lang"] == "zh-Hant"
    assert article_json(art, page)["script"] == "zh-Hant"
    plain = rich_page()  # no names: no panel, no marks, Simplified by default
    soup = BeautifulSoup(article_html(plain.articles[0], plain, MODEL), "html.parser")
    assert soup.select_one("section.names") is None and not soup.select(".name")
