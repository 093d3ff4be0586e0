"""The rule-based work around translation, end to end on the memorising tiny model (pipeline/annotate.py):
bylines and datelines by rule, names and name_missing, Traditional script, the glossary."""

from __future__ import annotations

import pytest

from pipeline.annotate import NAME_MISSING
from pipeline.credits import RULE_BASED
from pipeline.glossary import TERM_MISSING, Glossary
from pipeline.names import english_has
from pipeline.run import build_page
from pipeline.script import HANS, HANT
from pipeline.testmodel import parallel_set
from pipeline.translate import translate_page


@pytest.fixture(scope="module")
def seed_page(seed_text, memorizing_translator):
    page = build_page(seed_text, "seed.txt")
    translate_page(page, memorizing_translator)
    return page


def test_every_byline_and_dateline_of_the_seed_is_written_by_rule(seed_page):
    bylines = [a.byline for a in seed_page.articles if a.byline]
    datelines = [a.dateline for a in seed_page.articles if a.dateline]
    assert bylines and datelines
    for unit in bylines + datelines:
        assert RULE_BASED in unit.flags, unit.zh
    for by in bylines:
        for author in by.authors:
            name = next(n for a in seed_page.articles for n in a.names if n.zh == author)
            assert english_has(by.en, [name.en]), (by.zh, by.en)
    assert seed_page.articles[0].byline.en == "By Zhang Huanze, staff reporter"
    assert {d.en for d in datelines} == {"ZAOZHUANG (Dazhong Daily) --"}  # the paper, from the page furniture


def test_the_model_never_sees_rule_based_units(seed_text, memorizing_translator):
    seen: list[str] = []

    class Spy:
        def __init__(self, inner):
            self.inner = inner

        def __getattr__(self, name):
            return getattr(self.inner, name)

        def translate_texts(self, sources, plan=None, on_progress=None):  # what translate_page sends the model
            seen.extend(sources)
            return self.inner.translate_texts(sources, plan, on_progress)

    page = build_page(seed_text)
    translate_page(page, Spy(memorizing_translator))
    assert seen and not any("张环泽" in s or "本报枣庄讯" in s for s in seen)


def test_names_list_the_units_that_name_them(seed_page):
    a01 = seed_page.articles[0]
    by_zh = {n.zh: n for n in a01.names}
    assert by_zh["张环泽"].en == "Zhang Huanze" and by_zh["张环泽"].sentence_ids[0] == "a01-by"
    assert by_zh["张宏伟"].kind == "person" and by_zh["山亭区"].en == "Shanting District"
    ids = {u.id for u in a01.units()}
    assert all(set(n.sentence_ids) <= ids for n in a01.names)


def test_name_missing_flags_english_without_the_name(seed_page):
    units = {u.id: u for a in seed_page.articles for u in a.units()}
    for article in seed_page.articles:
        for name in article.names:
            for uid in name.sentence_ids:
                unit = units[uid]
                if RULE_BASED in unit.flags:
                    continue
                flagged = f"{name.zh} → {name.en}" in unit.flag_details.get(NAME_MISSING, [])
                assert flagged != english_has(unit.en, [name.en]) or not flagged, (uid, unit.en, name)
    # a memorised sentence keeps its name; an unseen one, on the tiny model, loses it
    lithium = next(u for u in units.values() if u.zh == "锂电池新能源是枣庄首位发展的产业。")
    assert "Zaozhuang" in lithium.en and NAME_MISSING not in lithium.flags
    mayor = next(u for u in units.values() if "张宏伟" in u.zh)
    assert "张宏伟 → Zhang Hongwei" in mayor.flag_details[NAME_MISSING]


def _traditional(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2twp").convert(text)


def test_a_traditional_page_reads_as_printed_and_is_translated_from_simplified(memorizing_translator):
    pairs = dict(parallel_set())
    zh = "锂电池新能源是枣庄首位发展的产业。"
    headline = "枣庄打造光通信全产业链条"
    page_text = f"{_traditional(headline)}\n\n{_traditional(zh)}\n"
    assert _traditional(zh) != zh
    page = build_page(page_text, "trad.txt")
    translate_page(page, memorizing_translator)
    article = page.articles[0]
    assert article.script == HANT
    sentence = next(article.sentences())
    assert sentence.zh == _traditional(zh)  # stored as printed
    assert page.text[sentence.span[0] : sentence.span[1]] == _traditional(zh)
    assert sentence.source == zh  # the model read Simplified
    assert sentence.en == pairs[zh]
    assert article.headlines[0].en == pairs[headline]


def test_a_simplified_page_is_labelled_hans(seed_page):
    assert {a.script for a in seed_page.articles} == {HANS}


def test_glossary_end_to_end(seed_text, memorizing_translator, monkeypatch):
    glossary = Glossary((("枣庄打造光通信全产业链条", "Zaozhuang builds a full optical-communications chain"),
                         ("欣旺达", "Sunwoda"), ("锂电池", "lithium-ion battery"), ("张环泽", "Zhang Huan-tse")))
    monkeypatch.setattr(memorizing_translator, "glossary", glossary, raising=False)
    page = build_page(seed_text)
    translate_page(page, memorizing_translator)
    units = [u for a in page.articles for u in a.units()]
    head = next(u for u in units if u.zh == "枣庄打造光通信全产业链条")
    assert head.en == "Zaozhuang builds a full optical-communications chain" and RULE_BASED in head.flags
    sunwoda = next(u for u in units if u.zh.startswith("其中欣旺达滕州"))
    assert "Sunwoda" in sunwoda.en and TERM_MISSING not in sunwoda.flags
    lithium = next(u for u in units if u.zh == "锂电池新能源是枣庄首位发展的产业。")
    assert lithium.flag_details[TERM_MISSING] == ["锂电池 → lithium-ion battery"]  # the model says "Lithium battery"
    assert page.articles[0].byline.en == "By Zhang Huan-tse, staff reporter"  # bylines use the glossary first
    assert next(n for n in page.articles[0].names if n.zh == "张环泽").en == "Zhang Huan-tse"


def test_protected_terms_reach_the_model_and_are_checked(seed_text, memorizing_translator, monkeypatch):
    glossary = Glossary((("欣旺达", "Sunwoda"),), protect=True)
    monkeypatch.setattr(memorizing_translator, "glossary", glossary, raising=False)
    page = build_page(seed_text)
    translate_page(page, memorizing_translator)
    units = [u for a in page.articles for u in a.units() if "欣旺达" in u.zh and RULE_BASED not in u.flags]
    assert units
    for unit in units:
        assert "Sunwoda" in unit.source and "欣旺达" not in unit.source
        assert (TERM_MISSING in unit.flags) != english_has(unit.en, ["Sunwoda"])


TRADITIONAL_PAGE = """棗莊打造光通信全產業鏈條

本報記者 陳美玲／臺北報導

鋰電池新能源是棗莊首位發展的產業。「我們明天見。」他說。臺北市長柯文哲表示，欣旺達的項目很重要。
"""


def _run_cli(*args: str):
    import os
    import subprocess
    import sys

    from conftest import ROOT

    return subprocess.run([sys.executable, "-m", "pipeline", *args], check=False, capture_output=True, text=True,
                          cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=600)


def test_a_traditional_page_with_a_glossary_end_to_end(tmp_path, memorizing_model):
    import json

    from pipeline.schemas import validate

    page = tmp_path / "tw.txt"
    page.write_text(TRADITIONAL_PAGE, encoding="utf-8")
    terms = tmp_path / "terms.tsv"
    terms.write_text("欣旺达\tSunwoda\n", encoding="utf-8")
    proc = _run_cli("run", str(page), "--out", str(tmp_path / "out"), "--model", str(memorizing_model),
                    "--device", "cpu", "--no-cache", "--glossary", str(terms), "-q")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((tmp_path / "out" / "tw" / "article-01.json").read_text(encoding="utf-8"))
    validate(doc, "article")
    assert doc["script"] == "zh-Hant"
    # The layout labeller reads `本報記者 陳美玲／臺北報導` as the byline (issue 13); the rule writes its English.
    credit = doc["byline"]
    assert credit["zh"].startswith("本報記者")
    assert credit["en"] == "By Chen Meiling, staff reporter, Taipei" and credit["flags"] == [RULE_BASED]
    sentences = {s["zh"]: s for p in doc["paragraphs"] for s in p["sentences"]}
    assert sentences["鋰電池新能源是棗莊首位發展的產業。"]["en"] == dict(parallel_set())["锂电池新能源是枣庄首位发展的产业。"]
    assert "「我們明天見。」他說。" in sentences  # one sentence, attribution included
    mayor = sentences["臺北市長柯文哲表示，欣旺達的項目很重要。"]
    assert "欣旺达 → Sunwoda" in mayor["flag_details"][TERM_MISSING]  # the tiny model knows no Sunwoda here
    assert {"zh": "柯文哲", "en": "Ko Wen-je", "kind": "person", "sentence_ids": [mayor["id"]]} in doc["names"]
    html = (tmp_path / "out" / "tw" / "article-01.html").read_text(encoding="utf-8")
    assert 'lang="zh-Hant"' in html and 'class="names"' in html
    assert '<span class="name" title="Ko Wen-je (person)">柯文哲</span>' in html


@pytest.mark.parametrize(("args", "message"), [
    (["--protect-terms"], "--protect-terms needs a --glossary"),
    (["--glossary", "missing-glossary.tsv"], "no such glossary file"),
])
def test_glossary_usage_errors_are_one_line(tmp_path, args, message):
    from conftest import SEED

    proc = _run_cli("run", str(SEED), "--out", str(tmp_path), *args)
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr
