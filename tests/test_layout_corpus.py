"""The layout corpus of issue #13 (bench/data/layout) checked as data: every gold file agrees with its page (nothing
lost, nothing twice, every `|` a real line break and every line break inside a paragraph a `|`), the line labels
agree with the gold, the halves share no source document, and the corpus is as large and varied as the issue asks.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT, SHARED

from pipeline.layout.gold import JOIN_MARK, gold_boundaries, gold_files, load_gold, page_structure, recovered_boundaries

CORPUS = ROOT / "bench" / "data" / "layout"
HALVES = ("dev", "test")
EXTRA = "train-extra"  # generated training pages from dev documents; never scored
GOLD = {half: gold_files(CORPUS / half) for half in (*HALVES, EXTRA)}
ALL_GOLD = [p for half in (*HALVES, EXTRA) for p in GOLD[half]]
LABELS = {"furniture", "kicker", "headline", "subtitle", "byline", "dateline", "body_start", "body_cont",
          "subheading", "caption", "credit", "editor_note", "end_matter", "marker"}
HELD_OUT = {"hongkong", "interview"}


def _fields(item: dict) -> list[str]:
    """Every text field of a gold item."""
    if item["kind"] == "other":
        return [item["zh"]]
    out = [h["zh"] for h in item["headlines"]]
    out += [item["byline"]["zh"]] if item["byline"] else []
    out += [item["dateline"]] if item["dateline"] else []
    return out + [p["zh"].replace(JOIN_MARK, "") for p in item["paragraphs"]]


def tiling_errors(text: str, items: list[dict]) -> list[str]:
    """The page's non-space characters must be exactly the gold fields, item after item; inside an item the fields
    may come in any order (a byline can follow bullets, a dateline leads a paragraph) but must tile its stretch."""
    chars = re.sub(r"\s+", "", text)
    at = 0
    for n, item in enumerate(items):
        left = [re.sub(r"\s+", "", f) for f in _fields(item)]
        if not all(left):
            return [f"item {n}: an empty field"]
        while left:
            hit = next((f for f in sorted(left, key=len, reverse=True) if chars.startswith(f, at)), None)
            if hit is None:
                return [f"item {n}: no field of it continues the page at {chars[at:at + 20]!r} (left: {left[0][:20]!r})"]
            left.remove(hit)
            at += len(hit)
    return [] if at == len(chars) else [f"page text left over after the last item: {chars[at:at + 30]!r}"]


def join_errors(text: str, items: list[dict]) -> list[str]:
    """Each `|` in a paragraph stands where the page breaks a line, and a paragraph spans no other line break."""
    errors = []
    pos = 0
    for item in items:
        for para in item.get("paragraphs", []):
            pieces = [re.sub(r"\s+", "", p) for p in para["zh"].split(JOIN_MARK)]
            # locate the paragraph in the raw text, allowing whitespace between any two characters
            pattern = r"\s*".join(re.escape(ch) for ch in "".join(pieces))
            m = re.compile(pattern).search(text, pos)
            if m is None:
                errors.append(f"paragraph not found: {para['zh'][:20]!r}")
                continue
            pos = m.end()
            span = text[m.start():m.end()]
            k, breaks = 0, []
            for piece in pieces[:-1]:
                k += len(piece)
                breaks.append(k)
            nonspace = 0
            found = []
            for ch in span:
                if ch == "\n":
                    found.append(nonspace)
                if not ch.isspace():
                    nonspace += 1
            if sorted(set(found)) != breaks:
                errors.append(f"line breaks {sorted(set(found))} but joins {breaks} in {para['zh'][:20]!r}")
    return errors


def test_corpus_size_and_styles():
    styles = {half: Counter(json.loads(p.read_text(encoding="utf-8"))["style"] for p in GOLD[half]) for half in HALVES}
    assert len(GOLD["dev"]) + len(GOLD["test"]) >= 150
    assert len(set(styles["dev"]) | set(styles["test"])) >= 8
    assert set(styles["dev"]) | HELD_OUT == set(styles["test"]), "every style in both halves, but the held-out ones"
    assert not HELD_OUT & set(styles["dev"]), "a held-out style leaked into dev"


def test_halves_share_no_source_document():
    sources = {half: {s for p in GOLD[half] for s in json.loads(p.read_text(encoding="utf-8"))["sources"]}
               for half in (*HALVES, EXTRA)}
    assert sources["dev"] and sources["test"] and sources[EXTRA]
    assert not sources["dev"] & sources["test"]
    assert not sources[EXTRA] & sources["test"], "a training page uses a document of the test half"


def test_halves_share_no_article_text():
    """No sentence of article text (12 characters or more) is in both halves; the hand-written conventions of
    bench/layoutcorpus/styles.py (编者按 texts, list lead-ins) are the same everywhere and are not article text."""
    conventions = (ROOT / "bench" / "layoutcorpus" / "styles.py").read_text(encoding="utf-8")

    def sentences(half: str) -> set[str]:
        out = set()
        for path in GOLD[half]:
            for item in json.loads(path.read_text(encoding="utf-8"))["items"]:
                for para in item.get("paragraphs", []):
                    for s in re.findall(r"[^。！？]{12,}[。！？]", para["zh"].replace(JOIN_MARK, "")):
                        if s[-12:] not in conventions:
                            out.add(s)
        return out

    assert not sentences("dev") & sentences("test")


def test_acceptance_pages_are_in_the_test_half():
    names = {p.name.removesuffix(".gold.json") for p in GOLD["test"]}
    assert {"accept-wmt21-900-960", "accept-tw-chen-meiling-all", "accept-tw-chen-meiling-sparse"} <= names
    gold = load_gold(CORPUS / "test" / "accept-tw-chen-meiling-all.gold.json")
    arts = [i for i in gold["items"] if i["kind"] == "article"]
    assert len(arts) == 2 and all(a["headlines"] for a in arts)
    assert arts[0]["byline"]["zh"] == "本報記者 陳美玲／臺北報導" and arts[1]["dateline"] == "【本報高雄訊】"
    wmt = load_gold(CORPUS / "test" / "accept-wmt21-900-960.gold.json")
    heads = [h["zh"] for i in wmt["items"] for h in i.get("headlines", [])]
    assert heads[0].startswith("余额宝收益下行") and heads[-1] == "法国加大太空军事投入-新华网" and len(heads) == 6


@pytest.mark.parametrize("path", ALL_GOLD, ids=lambda p: f"{p.parent.name}/{p.name.removesuffix('.gold.json')}")
def test_gold_agrees_with_its_page(path: Path):
    gold = load_gold(path)
    text, items = gold["text"], gold["items"]
    assert JOIN_MARK not in text, "the gold's join mark cannot occur in a page"
    assert not tiling_errors(text, items)
    assert not join_errors(text, items)
    gold_boundaries(text, items)  # the scorer can locate every unit
    for item in items:
        assert item["kind"] in ("other", "article", "photo")
        if item["kind"] != "other":
            assert {h["role"] for h in item["headlines"]} <= {"kicker", "main", "subtitle"}
            assert {p["role"] for p in item["paragraphs"]} <= {"body", "subheading", "caption", "marker"}
            if item["byline"]:
                assert all(a in item["byline"]["zh"] or a in re.sub(r"\s", "", item["byline"]["zh"])
                           for a in item["byline"]["authors"])
    # line labels: the page's non-blank lines in order, known labels, and a body_cont for every join
    rows = [line.split("\t") for line in path.with_name(path.name.replace(".gold.json", ".lines.tsv"))
            .read_text(encoding="utf-8").splitlines()]
    assert [r[0] for r in rows] == [line for line in text.splitlines() if line.strip()]
    assert {r[1] for r in rows} <= LABELS
    joins = sum(p["zh"].count(JOIN_MARK) for i in items for p in i.get("paragraphs", []))
    assert sum(r[1] == "body_cont" for r in rows) == joins


@pytest.mark.skipif(not (SHARED / "data" / "wmt21-newstest-zh").is_dir(), reason="needs ../shared/data")
def test_corpus_is_what_the_generator_makes(tmp_path):
    """The committed corpus is reproducible: rebuilding it gives the same files byte for byte."""
    sys.path.insert(0, str(ROOT / "bench"))
    sys.path.insert(0, str(ROOT))
    import make_layout_corpus

    make_layout_corpus.build(tmp_path)
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    kept = sorted(p.relative_to(CORPUS) for half in (*HALVES, EXTRA) for p in (CORPUS / half).iterdir()) + [
        Path("MANIFEST.tsv")]
    assert made == sorted(kept)
    for rel in made:
        assert (tmp_path / rel).read_bytes() == (CORPUS / rel).read_bytes(), rel


def test_tiling_check_can_fail():
    items = [{"kind": "other", "zh": "第一行"}]
    assert tiling_errors("第一行\n第二行\n", items)
    assert join_errors("甲乙，\n丙丁。\n", [{"kind": "article", "paragraphs": [{"zh": "甲乙，丙丁。"}]}])
    assert not join_errors("甲乙，\n丙丁。\n", [{"kind": "article", "paragraphs": [{"zh": "甲乙，|丙丁。"}]}])


def test_layout_eval_scores_every_style_of_both_halves():
    import subprocess

    proc = subprocess.run([sys.executable, "bench/layout_eval.py", "--markdown"], cwd=ROOT, capture_output=True,
                          text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr
    rows = [line.split("|") for line in proc.stdout.splitlines() if line.startswith("| ")]
    seen = {(r[1].strip(), r[2].strip()) for r in rows}
    styles = {half: {json.loads(p.read_text(encoding="utf-8"))["style"] for p in GOLD[half]} for half in HALVES}
    assert {(half, s) for half in HALVES for s in styles[half]} <= seen
    assert ("", "**dev: all pages**") in seen and ("", "**test: all pages**") in seen
    assert {("acceptance", "accept-wmt21-900-960"), ("acceptance", "accept-tw-chen-meiling-all")} <= seen


def test_wmt21_lines_900_to_960_as_a_new_user_pastes_them_glue_no_document_to_another():
    """Issue #13's acceptance input, read from the shared WMT21 file itself (lines 900–960, as they stand): every
    document start of the gold is found, and each document's headline is a headline."""
    from pipeline.document import Page
    from pipeline.layout.recover import recover_layout

    gold = load_gold(CORPUS / "test" / "accept-wmt21-900-960.gold.json")
    page = recover_layout(Page(text=gold["text"]))
    g, f = gold_boundaries(gold["text"], gold["items"]), recovered_boundaries(page)
    assert g.articles <= f.articles, "a WMT21 document is glued to the one above it"
    heads = [h["zh"] for i in page_structure(page) for h in i.get("headlines", [])]
    for i in gold["items"]:
        for h in i.get("headlines", []):
            assert h["zh"] in heads


@pytest.mark.parametrize("name", ["business-13", "webdump-12"])
def test_a_news_sites_own_dispatch_line_is_the_articles_dateline(name):
    # `央视网消息(新闻联播)：` opens WMT21 documents L0357 and L1009; the gold had it as body text until 1 December
    gold = load_gold(CORPUS / "dev" / f"{name}.gold.json")
    (art,) = [i for i in gold["items"] if i.get("dateline") == "央视网消息(新闻联播)："]
    assert art["paragraphs"][0]["zh"].startswith("来自水利部的消息")
