"""Traditional script: detection per text and the Simplified model input (pipeline/script.py)."""

from __future__ import annotations

import pytest

from pipeline.script import HANS, HANT, bcp47, detect_script, to_simplified, variant


@pytest.mark.parametrize(("texts", "script"), [
    (["本報記者 陳美玲／臺北報導"], HANT),
    (["「我們明天見。」他說。"], HANT),
    (["香港特區政府今日公布，本港經濟第三季按年增長。"], HANT),
    (["枣庄50个重点项目集中开工"], HANS),
    (["锂电池新能源是枣庄首位发展的产业。", "他说：“臺北见。”"], HANS),  # one Traditional name in Simplified text
    (["中国", "人民"], HANS),  # too little evidence either way
])
def test_detect_script(texts, script):
    assert detect_script(texts) == script


def test_conversion_uses_the_regional_tables():
    assert to_simplified("軟體公司在臺北", "tw") == "软件公司在台北"
    assert to_simplified("他們在這裏等着", variant(["他們在這裏等着"])) == "他们在这里等着"
    assert variant(["這裏"]) == "hk" and variant(["臺北"]) == "tw"


def test_html_language_tags():
    assert bcp47(HANT) == "zh-Hant" and bcp47(HANS) == "zh-Hans"


@pytest.mark.parametrize(("text", "sentences"), [
    # 「」 are quotes like “”, with the attribution after the closing mark kept in the sentence (Traditional verbs)
    ("「我們明天見。」他說。今天天氣很好。", ["「我們明天見。」他說。", "今天天氣很好。"]),
    ("『這是第一次。』陳美玲表示。", ["『這是第一次。』陳美玲表示。"]),
    # mixed script: an English sentence ending in a number, then a Chinese one
    ("The project is expected to open in May 2023. 项目预计明年5月投产。",
     ["The project is expected to open in May 2023.", "项目预计明年5月投产。"]),
    ("版本号为v2.0. 今天发布。", ["版本号为v2.0. 今天发布。"]),
    ("1. 第一项。2. 第二项。", ["1. 第一项。", "2. 第二项。"]),
])
def test_sentences_of_traditional_and_mixed_script_paragraphs(text, sentences):
    from pipeline.run import build_page

    page = build_page(f"标题\n\n{text}\n")
    assert [s.zh for a in page.articles for s in a.sentences()] == sentences


def test_the_english_sentence_of_a_mixed_paragraph_is_copied_not_translated():
    from pipeline.run import build_page

    page = build_page("标题\n\nThe project is expected to open in May 2023. 项目预计明年5月投产。\n")
    assert [s.lang for a in page.articles for s in a.sentences()] == ["en", "zh"]
