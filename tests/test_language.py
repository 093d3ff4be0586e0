"""Language routing: Chinese goes to the model; English, other languages, numbers, URLs and punctuation are copied."""

from __future__ import annotations

import random

import pytest

from pipeline.document import Article, Page, Paragraph, coverage_errors
from pipeline.errors import NoChineseError
from pipeline.inputs import read_input
from pipeline.language import _langdetect, detect_lang, has_chinese
from pipeline.sentences import segment_page

LANGS = [
    # Chinese, also with latin names, units and numbers inside: decided by script, langdetect never asked.
    ("10月9日上午,枣庄市举行全市重点项目集中启动活动。", "zh"),
    ("一期工程装机规模100MW,可实现当年开工、当年投产、当年达效。", "zh"),
    ("Apple发布了iPhone 14 Pro Max", "zh"),
    ("知名up主SealWu吴一凡还带来了一首《野草》。", "zh"),
    ("379.78亿元", "zh"),
    ("大众日报 客户端", "zh"),
    ("□ 本报记者 张环泽", "zh"),
    ("（完）", "zh"),
    ("联系邮箱：zz@dzrb.com.cn", "zh"),
    ("哈利・华纳表示反对", "zh"),  # `・` between the parts of a foreign name is not kana
    ("他說：「我們走吧。」", "zh"),
    # Short latin: English without asking langdetect.
    ("100MW", "en"),
    ("CEO", "en"),
    ("Visit www.gov.cn for more.", "en"),
    # Longer latin: langdetect, seeded.
    ("This is an English sentence about the economy of Shandong province.", "en"),
    ("The city of 枣庄 is in the south of Shandong province, China.", "en"),
    ("Ceci est une phrase française sur l'économie de la province.", "fr"),
    ("Das ist ein deutscher Satz über die Wirtschaft der Provinz.", "de"),
    # Other scripts.
    ("これは日本語の文です。", "ja"),
    ("한국어 문장입니다.", "ko"),
    ("Москва — столица России и крупнейший город страны.", "ru"),
    # Nothing to translate.
    ("2022", "und"),
    ("2020-07-26 05:03:17", "und"),
    ("www.zaozhuang.gov.cn", "und"),
    ("https://example.com/search?q=1&page=2", "und"),
    ("zz@dzrb.com.cn", "und"),
    ("—— ……", "und"),
    ("", "und"),
]


@pytest.mark.parametrize("text, lang", LANGS, ids=[t or "empty" for t, _ in LANGS])
def test_detect_lang(text, lang):
    assert detect_lang(text) == lang


@pytest.mark.parametrize("text", ["Shandong Zaozhuang Tengzhou Xue", "Hotel Restaurant Bar Taxi Pizza"])
def test_langdetect_is_deterministic(text):
    # Pinyin names and loanwords: unseeded, langdetect answers tl/id or it/ca at random from call to call.
    results = set()
    for seed in range(20):
        random.seed(seed)
        _langdetect.cache_clear()
        results.add(detect_lang(text))
    assert len(results) == 1


@pytest.mark.parametrize(
    "text, expected",
    [
        ("大众日报\n枣庄50个重点项目集中开工\n", True),
        ("Just an English page.\nWith two lines.\n", False),
        ("これは日本語のページです。\n東京都庁\n", True),  # a kanji-only line reads as Chinese
        ("これは日本語のページです。\nまた明日。\n", False),
        ("2022-10-10\n第3版\n", True),
        ("2022-10-10\nA3\n", False),
        ("The company 欣旺达 invested 10.5 billion yuan in Zaozhuang this year.\n", False),
    ],
)
def test_has_chinese(text, expected):
    assert has_chinese(text) is expected


@pytest.mark.parametrize(
    "content",
    ["Just an English page.\n", "これは日本語のページです。\nまた明日。\n", "2022-10-10 12:00\n", "https://example.com\n"],
)
def test_a_page_without_chinese_is_a_clear_error(tmp_path, content):
    path = tmp_path / "page.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(NoChineseError, match="contains no Chinese text, so there is nothing to translate"):
        read_input(path)


def test_only_chinese_reaches_the_model_the_rest_is_copied(memorizing_translator):
    from pipeline.translate import translate_page

    text = ("其中,50亿元以上项目3个,10亿元以上项目22个。"
            "This sentence is English and stays as it is. "
            "详见www.zaozhuang.gov.cn。"
            "2022.")
    page = Page(text=text, items=[Article("a01", paragraphs=[Paragraph("a01-p01", (0, len(text)))])])
    segment_page(page)
    sentences = list(page.articles[0].sentences())
    assert [(s.zh, s.lang) for s in sentences] == [
        ("其中,50亿元以上项目3个,10亿元以上项目22个。", "zh"),
        ("This sentence is English and stays as it is.", "en"),
        ("详见www.zaozhuang.gov.cn。", "zh"),
        ("2022.", "und"),
    ]
    calls = translate_page(page, memorizing_translator).model_inputs
    assert calls == 2
    # The memorised sentence comes back as the tiny model learned it; the others are copied and flagged.
    assert sentences[0].en == ("Among them, 3 projects are worth more than 5 billion yuan and 22 projects more than "
                               "1 billion yuan.")
    assert "copied" not in sentences[0].flags and "copied" not in sentences[2].flags
    for s in (sentences[1], sentences[3]):
        assert s.en == s.zh and "copied" in s.flags
    assert coverage_errors(page) == []
