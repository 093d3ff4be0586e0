"""The reader HTML in a real browser: Debian's chromium, driven headless by Playwright (screenshots in test-artifacts/).

Skips with a reason where /usr/bin/chromium or playwright is missing (a newcomer without root); CI installs
chromium and sets PIPELINE_REQUIRE_BROWSER=1, which turns that skip into a failure.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import ROOT
from test_render import HOSTILE, MODEL, rich_page, seed_output

from pipeline.render import article_json
from pipeline.run import write_outputs

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts" / "browser"
REQUIRE = "PIPELINE_REQUIRE_BROWSER"
WIDTHS = (375, 1280)
HEIGHT = {375: 812, 1280: 900}


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"Debian's chromium is not at {CHROMIUM} (root: apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="module")
def browser():
    missing = _missing()
    if missing:
        if os.environ.get(REQUIRE):
            pytest.fail(f"{REQUIRE} is set but {missing}")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM),
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory, memorizing_translator) -> dict[str, tuple[Path, dict[str, list[str]]]]:
    """name → (html file, {article id: sentence ids}) for the seed page's files and a hostile hand-built page."""
    seed = seed_output(tmp_path_factory, memorizing_translator)
    pages: dict[str, tuple[Path, dict[str, list[str]]]] = {}
    all_sids: dict[str, list[str]] = {}
    for path in sorted(seed.glob("article-*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        sids = [s["id"] for p in doc["paragraphs"] for s in p["sentences"]]
        all_sids[doc["id"]] = sids
        pages[f"seed-{path.stem}"] = (path.with_suffix(".html"), {doc["id"]: sids})
    pages["seed-index"] = (seed / "index.html", {})
    rich = tmp_path_factory.mktemp("rich") / "rich"
    page = rich_page(HOSTILE)
    write_outputs(page, rich, {**MODEL, "id": HOSTILE})
    for article in page.articles:
        doc = article_json(article, page)
        sids = [s["id"] for p in doc["paragraphs"] for s in p["sentences"]]
        pages[f"hostile-article-{article.number:02d}"] = (rich / f"article-{article.number:02d}.html", {doc["id"]: sids})
    pages["hostile-index"] = (rich / "index.html", {})
    assert len(all_sids) == 10
    return pages


class Visit:
    """One page opened in a fresh browser context; records every request and dialog it makes."""

    def __init__(self, browser, path: Path, width: int, **context):
        self.context = browser.new_context(viewport={"width": width, "height": HEIGHT.get(width, 900)}, **context)
        self.url = path.as_uri()
        self.folder = path.parent.as_uri() + "/"
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []  # console errors (a refused script says so here) and uncaught exceptions
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(self.url)

    def _route(self, route):
        # Only the page itself may load, or (following a link) another page of its folder; anything else is
        # recorded (by the request listener) and refused.
        request = route.request
        if request.url == self.url or (request.is_navigation_request() and request.url.startswith(self.folder)):
            route.continue_()
        else:
            route.abort()

    def foreign_requests(self) -> list[str]:
        return [u for u in self.requests if u != self.url]

    def shot(self, name: str, full_page: bool = False) -> None:
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)

    def close(self) -> None:
        self.context.close()


MEASURE = """(sids) => {
  const W = window.innerWidth;
  const box = e => { const r = e.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top + scrollY,
    bottom: r.bottom + scrollY, width: r.width, height: r.height}; };
  const shown = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0
    && getComputedStyle(e).visibility !== 'hidden'; };
  const rows = {};
  for (const sid of sids) {
    const els = [...document.querySelectorAll(`[data-sid="${CSS.escape(sid)}"]`)];
    rows[sid] = els.map(e => ({cls: e.className, lang: e.lang, row: e.parentElement.className,
      rowId: e.parentElement.id, sameRow: e.parentElement === els[0].parentElement, shown: shown(e), ...box(e)}));
  }
  const overflow = [...document.querySelectorAll('body *')].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width > 1 && r.height > 1 && (r.right > W + 0.5 || r.left < -0.5);
  }).map(e => `${e.tagName}.${e.className}#${e.id}`);
  const summary = document.querySelector('section.summary');
  const firstPara = document.querySelector('main .para');
  return {W, scrollWidth: document.documentElement.scrollWidth, bodyScrollWidth: document.body.scrollWidth,
    overflow, rows, summary: summary && {shown: shown(summary), ...box(summary)},
    firstPara: firstPara && box(firstPara), scripts: [...document.scripts].map(s => s.src),
    images: document.images.length, text: document.body.innerText};
}"""


@pytest.fixture(scope="module")
def measured(browser, site) -> dict[tuple[str, int], dict]:
    """Every page at both widths: geometry, rows, overflow and requests, plus a screenshot of each."""
    out = {}
    for name, (path, articles) in site.items():
        sids = [sid for ids in articles.values() for sid in ids]
        for width in WIDTHS:
            visit = Visit(browser, path, width)
            report = visit.page.evaluate(MEASURE, sids)
            report["foreign_requests"] = visit.foreign_requests()
            report["dialogs"] = list(visit.dialogs)
            report["errors"] = list(visit.errors)
            full = name in ("seed-article-01", "seed-index", "hostile-article-01", "seed-article-05")
            visit.shot(f"{name}-{width}", full_page=full)
            visit.close()
            out[name, width] = report
    return out


def _names(site, prefix: str = "") -> list[str]:
    return [n for n in site if n.startswith(prefix)]


def test_browser_is_available_or_skipped_with_a_reason():
    missing = _missing()
    if missing and os.environ.get(REQUIRE):
        pytest.fail(f"{REQUIRE} is set but {missing}")
    if missing:
        pytest.skip(missing)


@pytest.mark.parametrize("width", WIDTHS)
def test_every_sentence_has_one_zh_and_one_en_element_in_the_same_row(site, measured, width):
    checked = 0
    for name, (_, articles) in site.items():
        rows = measured[name, width]["rows"]
        for sid in (s for ids in articles.values() for s in ids):
            els = rows[sid]
            assert [e["cls"] for e in els] == ["zh", "en"], (name, sid)
            assert all(e["sameRow"] and e["row"] == "row" and e["rowId"] == sid for e in els), (name, sid)
            assert els[0]["lang"] in ("zh-Hans", "en", "und") and els[1]["lang"] == "en"
            assert els[0]["shown"] and (els[1]["shown"] or not els[1]["height"]), (name, sid)
            zh, en = els
            if width == 1280:  # side by side: Chinese left, English right, tops level
                assert zh["right"] <= en["left"] and abs(zh["top"] - en["top"]) < 2, (name, sid)
            else:  # stacked: Chinese above English
                assert zh["bottom"] <= en["top"] + 1 and abs(zh["left"] - en["left"]) < 20, (name, sid)
            checked += 1
    assert checked > 110


@pytest.mark.parametrize("width", WIDTHS)
def test_nothing_overflows_horizontally(site, measured, width):
    for name in site:
        report = measured[name, width]
        assert report["scrollWidth"] <= report["W"] and report["bodyScrollWidth"] <= report["W"], name
        assert report["overflow"] == [], (name, report["overflow"][:5])


@pytest.mark.parametrize("width", WIDTHS)
def test_the_summary_is_visible_above_the_body(site, measured, width):
    for name in _names(site, "seed-article") + _names(site, "hostile-article"):
        report = measured[name, width]
        summary, para = report["summary"], report["firstPara"]
        assert summary and summary["shown"] and summary["height"] > 20, name
        assert summary["bottom"] <= para["top"], name
        if width == 1280:  # on a desktop screen the summary starts in the first screenful
            assert summary["top"] < HEIGHT[width], name


def test_no_request_leaves_the_page_and_only_the_view_script_runs(site, measured):
    for (name, width), report in measured.items():
        assert report["foreign_requests"] == [], (name, width)
        assert report["dialogs"] == [] and report["images"] == 0, (name, width)
        # One inline script (the view memory), allowed by its hash: the CSP refuses any other, and says so.
        assert report["scripts"] == [""] and report["errors"] == [], (name, width)


def test_hostile_text_shows_as_text(measured):
    for name in ("hostile-article-01", "hostile-index"):
        assert measured[name, 1280]["text"].count('<script>alert("x")</script>') >= 5, name


def test_hovering_a_chinese_sentence_highlights_its_english_partner(browser, site):
    path, articles = site["seed-article-01"]
    sids = articles["a01"]
    visit = Visit(browser, path, 1280)
    page = visit.page
    bg = "(sel) => getComputedStyle(document.querySelector(sel)).backgroundColor"
    try:
        plain = page.evaluate(bg, f'.en[data-sid="{sids[3]}"]')
        page.hover(f'.zh[data-sid="{sids[3]}"]')
        lit = page.evaluate(bg, f'.en[data-sid="{sids[3]}"]')
        assert lit != plain and lit not in ("rgba(0, 0, 0, 0)", "transparent")
        assert page.evaluate(bg, f'.zh[data-sid="{sids[3]}"]') == lit
        assert page.evaluate(bg, f'.en[data-sid="{sids[5]}"]') == plain  # only the partner, not its neighbours
        visit.shot("seed-article-01-1280-hover")
        # And the other way round: hovering the English lights up the Chinese.
        page.hover(f'.en[data-sid="{sids[5]}"]')
        assert page.evaluate(bg, f'.zh[data-sid="{sids[5]}"]') == lit
        assert page.evaluate(bg, f'.en[data-sid="{sids[3]}"]') == plain
    finally:
        visit.close()


def test_the_keyboard_reaches_the_view_switch_and_every_sentence_and_focus_highlights_the_pair(browser, site):
    path, articles = site["seed-article-01"]
    visit = Visit(browser, path, 1280)
    page = visit.page
    try:
        page.mouse.move(0, 0)
        focused = []
        for _ in range(8):
            page.keyboard.press("Tab")
            focused.append(page.evaluate("() => { const e = document.activeElement; return e.id || e.className "
                                         "|| e.dataset.sid || e.tagName; }"))
        assert focused[0] == "skip" and "view-both" in focused
        # Tab walks through the sentences in reading order: Chinese, then its English.
        page.focus(f'.zh[data-sid="{articles["a01"][0]}"]')
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.className + ' ' + document.activeElement.dataset.sid") \
            == f'en {articles["a01"][0]}'
        bg = page.evaluate(f"""() => getComputedStyle(document.querySelector('.zh[data-sid="{articles["a01"][0]}"]'))
                               .backgroundColor""")
        assert bg not in ("rgba(0, 0, 0, 0)", "transparent")
        visit.shot("seed-article-01-1280-focus")
    finally:
        visit.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_view_switch_works_without_javascript(browser, site, width):
    path, articles = site["hostile-article-01"]
    visit = Visit(browser, path, width, java_script_enabled=False)
    page = visit.page
    sid = articles["a01"][0]
    zh, en = page.locator(f'.zh[data-sid="{sid}"]'), page.locator(f'.en[data-sid="{sid}"]')
    try:
        assert zh.is_visible() and en.is_visible()  # both is the default
        page.click("label[for=view-zh]")
        assert zh.is_visible() and not en.is_visible()
        assert not page.locator("h1 .en").is_visible() and not page.locator(".summary .en").is_visible()
        visit.shot(f"hostile-article-01-{width}-zh-only")
        page.click("label[for=view-en]")
        assert en.is_visible() and not zh.is_visible()
        visit.shot(f"hostile-article-01-{width}-en-only")
        # The switch is a radio group: arrow keys move it.
        page.focus("#view-en")
        page.keyboard.press("ArrowLeft")
        assert page.is_checked("#view-zh")
        page.click("label[for=view-both]")
        assert zh.is_visible() and en.is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        visit.close()


def test_a_flag_badge_explains_itself_on_hover_and_focus(browser, site):
    path, _ = site["hostile-article-01"]
    visit = Visit(browser, path, 375)
    page = visit.page
    try:
        badge = page.locator('.en[data-sid="a01-p01-s01"] .badge[data-flag="number_mismatch"]')
        tip = badge.locator(".tip")
        width = "() => document.querySelector('.badge .tip').getBoundingClientRect().width"
        assert page.evaluate(width) <= 1  # tucked away until asked for
        badge.hover()
        assert page.evaluate(width) > 100 and "check the figures" in tip.inner_text()
        visit.shot("hostile-article-01-375-badge")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.mouse.move(0, 0)
        badge.focus()
        assert page.evaluate(width) > 100
    finally:
        visit.close()


def test_dark_mode_and_print(browser, site):
    path, _ = site["seed-article-01"]
    luminance = """() => { const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number);
                           return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255; }"""
    dark = Visit(browser, path, 1280, color_scheme="dark")
    try:
        assert dark.page.evaluate(luminance) < 0.2
        dark.shot("seed-article-01-1280-dark")
        dark.page.emulate_media(media="print")
        assert dark.page.evaluate(luminance) > 0.9  # print is black on white whatever the screen's scheme
        assert not dark.page.locator("nav.bar").is_visible()
        assert dark.page.locator(".row .zh").first.is_visible() and dark.page.locator(".row .en").first.is_visible()
        dark.shot("seed-article-01-1280-print")
    finally:
        dark.close()


def test_every_link_leads_to_a_file_or_an_anchor_that_exists(browser, site):
    for name in ("seed-index", "seed-article-01", "seed-article-10", "hostile-article-01"):
        path, _ = site[name]
        visit = Visit(browser, path, 1280)
        try:
            hrefs = visit.page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")
            ids = set(visit.page.evaluate("() => [...document.querySelectorAll('[id]')].map(e => e.id)"))
        finally:
            visit.close()
        assert hrefs, name
        for href in hrefs:
            if href.startswith("#"):
                assert href[1:] in ids, (name, href)
            else:
                assert (path.parent / href).is_file(), (name, href)


def test_the_view_chosen_on_an_article_is_the_view_of_the_index_and_back(browser, site):
    path, articles = site["seed-article-01"]
    visit = Visit(browser, path, 1280)
    page = visit.page
    sid = articles["a01"][0]
    try:
        assert page.is_checked("#view-both")  # a new reader starts on Both
        page.click("label[for=view-en]")
        page.click("nav.bar a[href='index.html']")
        page.wait_for_url("**/index.html")
        assert page.is_checked("#view-en")
        assert page.locator(".item h2 .en").first.is_visible() and not page.locator(".item h2 .zh").first.is_visible()
        visit.shot("seed-index-1280-english-from-an-article")
        # A choice made on the index holds when the browser goes back to the article (restored from its cache).
        page.click("label[for=view-zh]")
        page.go_back()
        page.wait_for_url(f"**/{path.name}")
        assert page.is_checked("#view-zh")
        assert page.locator(f'.zh[data-sid="{sid}"]').is_visible()
        assert not page.locator(f'.en[data-sid="{sid}"]').is_visible()
        # And following the pager to the next article.
        page.click("a[rel=next]")
        page.wait_for_url("**/article-02.html")
        assert page.is_checked("#view-zh") and not page.locator(".summary .en").is_visible()
        assert visit.errors == []
    finally:
        visit.close()
    # Another browser profile (a fresh context: its own storage) starts on Both again.
    fresh = Visit(browser, site["seed-index"][0], 1280)
    try:
        assert fresh.page.is_checked("#view-both")
    finally:
        fresh.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_index_headlines_look_like_links(browser, site, scheme):
    path, _ = site["seed-index"]
    visit = Visit(browser, path, 1280, color_scheme=scheme)
    style = """(sel) => { const s = getComputedStyle(document.querySelector(sel));
                         return {color: s.color, line: s.textDecorationLine}; }"""
    try:
        link = visit.page.evaluate(style, ".item .facts-line a")  # an ordinary link of the page
        text = visit.page.evaluate(style, ".item .sum .en")
        assert link["color"] != text["color"]
        for side in ("zh", "en"):
            headline = visit.page.evaluate(style, f".item h2 a.{side}")
            assert headline["color"] == link["color"] and "underline" in headline["line"], (side, headline, link)
        visit.shot(f"seed-index-1280-{scheme}-links")
    finally:
        visit.close()
