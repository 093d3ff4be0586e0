"""The hand-laid dev pages (bench/data/layout-hand/, training data of the layout labeller) check themselves the way
the held-out set does: every gold agrees with its page character for character, its line labels rebuild it exactly,
the committed files are what the hand-marked sources say, and no sentence of them is in the corpus's test half or
in the held-out set (those measure the labeller; training on their text would spoil them)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_layout_heldout import check_gold, check_pages_match_sources

from pipeline.document import Page
from pipeline.layout.assemble import build_items
from pipeline.layout.gold import JOIN_MARK, gold_files, load_gold, page_structure
from pipeline.layout.labels import gold_line_labels
from pipeline.layout.lines import label_lines, split_lines

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "bench" / "data" / "layout-hand"
GOLDS = gold_files(FOLDER)
STYLES = {"national", "commentary", "wire", "business", "evening", "provincial", "city", "photo", "taiwan",
          "hongkong", "interview", "webdump", "roundup"}


def test_there_are_hand_laid_dev_pages_in_many_styles():
    styles = {load_gold(g)["style"] for g in GOLDS}
    assert len(GOLDS) >= 70 and len(styles) >= 12 and styles <= STYLES


@pytest.mark.parametrize("path", GOLDS, ids=lambda p: p.name.removesuffix(".gold.json"))
def test_gold_agrees_with_its_page_and_its_labels_rebuild_it(path: Path):
    gold = load_gold(path)
    assert check_gold(gold["text"], gold["items"]) == []
    lines = label_lines(split_lines(gold["text"]))
    page = Page(text=gold["text"])
    page.items = build_items(gold["text"], lines, gold_line_labels(gold["text"], lines, gold["items"]))
    assert page_structure(page) == gold["items"]


def _sentences(paths: list[Path]) -> set[str]:
    out: set[str] = set()
    for path in paths:
        text = re.sub(r"\s+", "", path.read_text(encoding="utf-8")).replace(JOIN_MARK, "")
        out |= set(re.findall(r"[^。！？]{16,}[。！？]", text))
    return out


def test_no_sentence_of_the_test_half_or_the_held_out_set_is_trained_on():
    hand = _sentences(sorted(FOLDER.glob("*.txt")))
    measured = _sentences(sorted((ROOT / "bench" / "data" / "layout" / "test").glob("*.txt"))
                          + sorted((ROOT / "bench" / "data" / "layout-heldout").glob("*.txt")))
    assert hand and not hand & measured


def test_the_committed_pages_are_what_their_hand_marked_sources_say() -> None:
    check_pages_match_sources(FOLDER, GOLDS)
