"""One vocabulary of items, articles and photos (pipeline/vocabulary.py), and every place that counts them uses it:
the CLI's line per input, the run's table, index.html and the article pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from test_render import MODEL, rich_page, seed_run

from pipeline.progress import done_line, summary_table
from pipeline.render import article_html, index_html
from pipeline.stages import FileResult, PageResult
from pipeline.translate import PageTranslation
from pipeline.vocabulary import item_counts, item_position, plural


@pytest.mark.parametrize("n, words, expected", [
    (0, ("article",), "0 articles"),
    (1, ("article",), "1 article"),
    (2, ("photo",), "2 photos"),
    (1, ("piece", "pieces"), "1 piece"),
    (3, ("piece", "pieces"), "3 pieces"),
])
def test_plural(n, words, expected):
    assert plural(n, *words) == expected


@pytest.mark.parametrize("articles, photos, expected", [
    (9, 1, "9 articles, 1 photo"),
    (5, 0, "5 articles"),  # photos are named when there are some
    (1, 2, "1 article, 2 photos"),
    (0, 1, "0 articles, 1 photo"),
    (0, 0, "0 articles"),
])
def test_item_counts(articles, photos, expected):
    assert item_counts(articles, photos) == expected


@pytest.mark.parametrize("kind, number, items, expected", [
    ("article", 1, 10, "article · item 1 of 10"),
    ("photo", 5, 10, "photo · item 5 of 10"),
])
def test_item_position(kind, number, items, expected):
    assert item_position(kind, number, items) == expected


def _result(name: str = "p.txt", articles: int = 10, photos: int = 1) -> FileResult:
    return FileResult(Path(name), Path("out") / name, articles=articles, photos=photos, sentences=115,
                      model_inputs=3, name=name, flags={"repetition": 2})


def test_the_done_line_names_articles_and_photos():
    line = done_line(_result())
    assert line.startswith("p.txt: 9 articles, 1 photo, 115 sentences, 3 model inputs")
    assert "items" not in line  # it said "10 items", counting the photo as well


def test_the_summary_table_counts_articles_and_photos_apart():
    table = summary_table([_result(), _result("q.txt", articles=5, photos=0)], 1.0)
    columns = {str(c.header): (list(c._cells), c.footer) for c in table.columns}
    assert columns["articles"] == (["9", "5"], "14")  # it said 10 and 5: the photo counted as an article
    assert columns["photos"] == (["1", "0"], "1")


def test_a_part_counts_its_photos():
    counts = PageResult(rich_page(), PageTranslation(0, None), 0.0).counts()
    assert (counts["articles"], counts["photos"]) == (2, 1)


def test_the_reader_pages_say_the_same():
    page = rich_page()
    index = BeautifulSoup(index_html(page, MODEL), "html.parser")
    facts = dict(zip([dt.get_text() for dt in index.select("dl.facts dt")],
                     [dd.get_text() for dd in index.select("dl.facts dd")]))
    assert facts["Items"] == "1 article, 1 photo" and facts["Furniture"] == "1 piece of page furniture"
    lines = [p.get_text() for p in index.select(".facts-line")]
    assert lines[0].startswith("a01 · article · ") and lines[1].startswith("a02 · photo · ")
    for article, expected in zip(page.articles, ["a01 · article · item 1 of 2", "a02 · photo · item 2 of 2"]):
        doc = BeautifulSoup(article_html(article, page, MODEL), "html.parser")
        item = doc.find("dt", string="Item").find_next_sibling("dd").get_text()
        assert item.startswith(expected)  # it said "a02, photo 2 of 2": two photos, or one?


def test_one_run_counts_the_same_in_every_place(tmp_path_factory, memorizing_translator):
    result = seed_run(tmp_path_factory, memorizing_translator)
    words = "9 articles, 1 photo"
    assert words in done_line(result)
    table = summary_table([result], 1.0)
    columns = {str(c.header): list(c._cells) for c in table.columns}
    assert (columns["articles"], columns["photos"]) == (["9"], ["1"])
    index = (result.out_dir / "index.html").read_text(encoding="utf-8")
    assert f"<dt>Items</dt><dd>{words}</dd>" in index
    photo = (result.out_dir / "article-05.html").read_text(encoding="utf-8")
    assert re.search(r"<dt>Item</dt><dd>a05 · photo · item 5 of 10\b", photo)
