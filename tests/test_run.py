"""End to end on the sample page with the tiny memorizing model: files, schemas, no loss, alignment."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import SEED
from pipeline.document import coverage_errors
from pipeline.run import build_page, run_file
from pipeline.schemas import validate
from pipeline.testmodel import parallel_set


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory, memorizing_translator) -> Path:
    out = tmp_path_factory.mktemp("out")
    res = run_file(SEED, out, memorizing_translator)
    assert res.out_dir == out / SEED.stem
    return res.out_dir


def test_no_loss_on_the_seed_page(seed_text):
    assert coverage_errors(build_page(seed_text)) == []


def test_every_output_file_is_written_and_valid(seed_run):
    index = json.loads((seed_run / "index.json").read_text(encoding="utf-8"))
    validate(index, "index")
    articles = [i for i in index["items"] if i["kind"] != "other"]
    assert len(articles) == 10
    for n, item in enumerate(articles, start=1):
        assert item["json"] == f"article-{n:02d}.json" and item["html"] == f"article-{n:02d}.html"
        doc = json.loads((seed_run / item["json"]).read_text(encoding="utf-8"))
        validate(doc, "article")
        assert (seed_run / item["html"]).is_file()
    assert (seed_run / "index.html").is_file()
    assert not list(seed_run.glob(".*tmp"))


def test_index_items_cover_the_page_in_source_order(seed_run, seed_text):
    index = json.loads((seed_run / "index.json").read_text(encoding="utf-8"))
    assert [i["zh"] for i in index["items"][:2]] == ["大众日报 客户端", "大众日报 微信"]
    # Re-assemble every span of the page from the JSON: disjoint, ordered, only whitespace between.
    spans = []
    for item in index["items"]:
        if item["kind"] == "other":
            spans.append(item["span"])
            continue
        doc = json.loads((seed_run / item["json"]).read_text(encoding="utf-8"))
        units = doc["headlines"] + [u for u in (doc["byline"], doc["dateline"]) if u]
        units += [s for p in doc["paragraphs"] for s in p["sentences"]]
        spans += [u["span"] for u in units]
        for u in units:
            assert re.sub(r"\s", "", u["zh"]) == re.sub(r"\s", "", seed_text[u["span"][0]:u["span"][1]])
    spans.sort()
    pos = 0
    for start, end in spans:
        assert start >= pos and not seed_text[pos:start].strip()
        pos = end
    assert not seed_text[pos:].strip()


def test_memorized_sentences_come_back_aligned_in_the_article_json(seed_run):
    english = dict(parallel_set())
    found = 0
    for path in sorted(seed_run.glob("article-*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for unit in doc["headlines"] + [s for p in doc["paragraphs"] for s in p["sentences"]]:
            from pipeline.sentences import normalize_for_model

            key = normalize_for_model(unit["zh"])
            if key in english:
                assert unit["en"] == english[key], unit["id"]
                found += 1
    assert found >= 20


def test_summary_ids_exist_and_its_english_is_the_sentences_english(seed_run):
    for path in sorted(seed_run.glob("article-*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        by_id = {s["id"]: s for p in doc["paragraphs"] for s in p["sentences"]}
        ids = doc["summary"]["sentence_ids"]
        assert ids and all(i in by_id for i in ids)
        assert doc["summary"]["zh"] == "".join(by_id[i]["zh"] for i in ids)
        assert doc["summary"]["en"] == " ".join(by_id[i]["en"] for i in ids if by_id[i]["en"])


def test_html_pairs_every_sentence_in_one_row(seed_run):
    doc = json.loads((seed_run / "article-01.json").read_text(encoding="utf-8"))
    html = (seed_run / "article-01.html").read_text(encoding="utf-8")
    for sid in (s["id"] for p in doc["paragraphs"] for s in p["sentences"]):
        row = re.search(rf'<div class="row" id="{sid}">(.*?)</div>', html)
        assert row, sid
        assert row.group(1).count(f'data-sid="{sid}"') == 2
        assert 'lang="zh-Hans"' in row.group(1) and 'lang="en"' in row.group(1)
    assert html.index('class="summary"') < html.index('class="para"')
    assert "http://" not in html and "https://" not in html
    index_html = (seed_run / "index.html").read_text(encoding="utf-8")
    for n in range(1, 11):
        assert f'href="article-{n:02d}.html"' in index_html
