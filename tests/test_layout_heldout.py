"""The independent held-out layout set (bench/data/layout-heldout/) checks itself: every gold file agrees with its
page, character for character, and every `|` of a gold paragraph stands where the page really breaks a line."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from pipeline.layout.gold import JOIN_MARK, gold_boundaries, gold_files, load_gold

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "bench" / "data" / "layout-heldout"
GOLDS = gold_files(FOLDER)


def _units(item: dict) -> list[list[tuple[str, str]]]:
    """An item's texts in groups whose order on the page is fixed: headlines, byline, dateline, paragraphs."""
    if item["kind"] == "other":
        return [[("other", item["zh"])]]
    groups = [[("headline", h["zh"]) for h in item["headlines"]]]
    groups.append([("byline", item["byline"]["zh"])] if item["byline"] else [])
    groups.append([("dateline", item["dateline"])] if item["dateline"] else [])
    groups.append([("paragraph", p["zh"]) for p in item["paragraphs"]])
    return [g for g in groups if g]


def check_gold(text: str, items: list[dict]) -> list[str]:
    """What is wrong with a gold file for its page: the gold texts must tile the page's non-space characters in
    order, each exactly once (item after item; inside an item, each kind of text in its own order), no text but a
    paragraph may cross a line break, and a paragraph crosses one exactly where its `|` says."""
    offsets = [i for i, ch in enumerate(text) if not ch.isspace()]
    chars = "".join(text[i] for i in offsets)
    errors: list[str] = []
    pos = 0
    for n, item in enumerate(items):
        groups = _units(item)
        while any(groups):
            matches = [(len(re.sub(r"\s+", "", g[0][1].replace(JOIN_MARK, ""))), gi) for gi, g in enumerate(groups)
                       if g and chars.startswith(re.sub(r"\s+", "", g[0][1].replace(JOIN_MARK, "")), pos)]
            if not matches:
                wanted = [g[0][1][:12] for g in groups if g]
                errors.append(f"item {n}: page text {chars[pos:pos + 15]!r} at {pos} is none of {wanted}")
                return errors
            length, gi = max(matches)
            kind, zh = groups[gi].pop(0)
            pairs: list[bool] = []  # for each two neighbouring characters of the unit: a `|` between them?
            count, pending = 0, False
            for ch in zh:
                if ch == JOIN_MARK:
                    if count == 0 or pending:
                        errors.append(f"item {n}: misplaced {JOIN_MARK} in {zh[:20]!r}")
                    pending = True
                elif not ch.isspace():
                    if count:
                        pairs.append(pending)
                    count, pending = count + 1, False
            if pending:
                errors.append(f"item {n}: {JOIN_MARK} at the end of {zh[:20]!r}")
            for k, marked in enumerate(pairs):
                a, b = offsets[pos + k], offsets[pos + k + 1]
                breaks = "\n" in text[a:b] or "\r" in text[a:b]
                if marked and not breaks:
                    errors.append(f"item {n}: {JOIN_MARK} after {text[a]!r} at {a} is not at a line break")
                if breaks and not marked:
                    what = f"a paragraph crosses a line break without {JOIN_MARK}" if kind == "paragraph" else (
                        f"a {kind} crosses a line break")
                    errors.append(f"item {n}: {what} after {text[a]!r} at {a}")
            pos += length
    if pos != len(chars):
        errors.append(f"page text after non-space character {pos} is in no item: {chars[pos:pos + 15]!r}")
    return errors


def test_the_set_has_30_to_40_pages_each_described_and_sourced() -> None:
    assert 30 <= len(GOLDS) <= 40
    readme = (FOLDER / "README.md").read_text(encoding="utf-8")
    styles = set()
    for path in GOLDS:
        gold = json.loads(path.read_text(encoding="utf-8"))
        name = path.name.removesuffix(".gold.json")
        assert gold["page"] == f"{name}.txt"
        assert len(gold["about"]) > 40 and gold["sources"] and gold["style"], name
        assert f"`{name}`" in readme, f"{name} is not listed in the README"
        styles.add(gold["style"])
    assert len(styles) >= 8


@pytest.mark.parametrize("path", GOLDS, ids=lambda p: p.name.removesuffix(".gold.json"))
def test_gold_agrees_with_its_page(path: Path) -> None:
    gold = load_gold(path)
    assert check_gold(gold["text"], gold["items"]) == []
    # the project's own reader of gold files finds every text and one join per `|`
    b = gold_boundaries(gold["text"], gold["items"])
    marks = sum(p["zh"].count(JOIN_MARK) for it in gold["items"] if it["kind"] != "other" for p in it["paragraphs"])
    assert len(b.joins) == marks
    assert len(b.articles) == sum(it["kind"] != "other" for it in gold["items"])


def _page(name: str) -> dict:
    return load_gold(FOLDER / f"{name}.gold.json")


def test_the_check_fails_on_a_join_mark_off_its_line_break() -> None:
    gold = _page("national-jiangxi")
    para = gold["items"][3]["paragraphs"][0]
    i = para["zh"].index(JOIN_MARK)
    para["zh"] = para["zh"][:i] + para["zh"][i + 1] + JOIN_MARK + para["zh"][i + 2:]
    assert any("not at a line break" in e for e in check_gold(gold["text"], gold["items"]))


def test_the_check_fails_on_a_missing_join_mark_or_a_lost_character() -> None:
    gold = _page("national-jiangxi")
    para = gold["items"][3]["paragraphs"][1]
    para["zh"] = para["zh"].replace(JOIN_MARK, "", 1)
    assert any("without" in e for e in check_gold(gold["text"], gold["items"]))
    gold = _page("national-jiangxi")
    gold["items"][3]["paragraphs"][-1]["zh"] = gold["items"][3]["paragraphs"][-1]["zh"][:-1]
    assert check_gold(gold["text"], gold["items"])
    gold = _page("national-jiangxi")
    del gold["items"][-1]
    assert any("in no item" in e for e in check_gold(gold["text"], gold["items"]))


def check_pages_match_sources(folder: Path, golds: list[Path]) -> None:
    """Every committed page and gold in `folder` is what make.py prints from its hand-marked `src/*.page` (the
    held-out set's printer, shared with the hand-laid dev pages)."""
    pytest.importorskip("opencc")  # the Traditional pages are made with OpenCC, which the project does not depend on
    spec = importlib.util.spec_from_file_location("heldout_make", FOLDER / "make.py")
    assert spec and spec.loader
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    try:
        lines = make._wmt21()
    except FileNotFoundError:
        pytest.skip("the WMT21 source file (../shared/data) is not here")
    sources = sorted((folder / "src").glob("*.page"))
    assert [s.stem for s in sources] == [g.name.removesuffix(".gold.json") for g in golds]
    for src in sources:
        page = make.build(src, lines)
        assert (folder / f"{page.name}.txt").read_bytes() == page.text().encode("utf-8"), page.name
        gold = json.loads((folder / f"{page.name}.gold.json").read_text(encoding="utf-8"))
        assert gold == page.gold(), page.name


def test_the_committed_pages_are_what_their_hand_marked_sources_say() -> None:
    check_pages_match_sources(FOLDER, GOLDS)
