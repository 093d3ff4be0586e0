"""Sentence splitting and model-input normalisation: hard-case tables, the seed's paragraphs, invariants."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import ROOT, SHARED
from pipeline.cli import app
from pipeline.document import Article, Page, Paragraph, span_text
from pipeline.sentences import normalize_for_model, segment_page, split_offsets, split_sentences

DATA = Path(__file__).parent / "data"
sys.path.insert(0, str(ROOT / "bench"))
from split_eval import SEPARATOR, read_cases  # noqa: E402  (one reader for the tests and the benchmark)

HARD_CASES = read_cases(DATA / "sentence_cases.tsv")
SEED_PARAGRAPHS = read_cases(DATA / "seed_sentences.tsv")


def _expected(parts: list[str]) -> list[str]:
    """Gold sentences as stored: outer whitespace trimmed, line breaks (repaired column breaks) removed."""
    return [re.sub(r"[ \t\u3000]*\n\s*", "", p.strip()) for p in parts]


def test_the_hard_case_table_is_big_and_holds_seed_sentences():
    assert len(HARD_CASES) >= 60
    assert sum("(seed)" in label for label, _ in HARD_CASES) >= 10
    seed = (ROOT / "input" / "dazhong-2022-10-zaozhuang.txt").read_text(encoding="utf-8")
    flat = re.sub(r"\s", "", seed)
    for label, parts in HARD_CASES:
        if "(seed)" in label:
            for sentence in _expected(parts):
                assert re.sub(r"\s", "", sentence) in flat, (label, sentence)


@pytest.mark.parametrize("parts", [p for _, p in HARD_CASES], ids=[label for label, _ in HARD_CASES])
def test_hard_cases(parts):
    assert split_sentences("".join(parts)) == _expected(parts)


@pytest.mark.parametrize("parts", [p for _, p in SEED_PARAGRAPHS], ids=[label for label, _ in SEED_PARAGRAPHS])
def test_seed_paragraphs(parts):
    assert split_sentences("".join(parts)) == _expected(parts)


@pytest.mark.parametrize(
    "text, sentences",
    [
        # The issue's three quote cases, decided: a closing quote stays with the sentence it closes; after it a new
        # clause starts a new sentence unless it is the quote's attribution (`他说`).
        ("他说：“我们走吧。”", ["他说：“我们走吧。”"]),
        ("“瞄准新能源方向!”这是山亭产业突破“四新”主攻方向之一。", ["“瞄准新能源方向!”", "这是山亭产业突破“四新”主攻方向之一。"]),
        ("“……。”他说", ["“……。”他说"]),
        ("“……。”他说，项目进展顺利。", ["“……。”他说，项目进展顺利。"]),
        # Semicolons and colons never end a sentence.
        ("一是加强领导；二是完善制度;三是强化考核：逐月通报。", ["一是加强领导；二是完善制度;三是强化考核：逐月通报。"]),
    ],
)
def test_decisions_from_the_issue(text, sentences):
    assert split_sentences(text) == sentences


@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False), st.integers(1, 12), st.integers(1, 12))
def test_numbers_are_never_split(amount, m1, m2):
    text = f"今年{m1}-{m2}月份,合同总投资{amount}亿元,增长{amount}%,同比增长{amount}％。下一句"
    assert split_sentences(text)[0] == text[: text.index("下一句")]


_TITLE_BODY = st.text(alphabet="新能源！？。!?.…“”（）产业", min_size=1, max_size=12)


@given(_TITLE_BODY)
def test_titles_are_never_split(title):
    text = f"发放《{title}》等材料。"
    cuts = [e for _, e in split_offsets(text)[:-1]]
    inside = range(text.index("《") + 1, text.rindex("》") + 1)
    assert not [c for c in cuts if c in inside]


# Text built from the characters that steer the splitter, plus anything hypothesis likes.
_TRICKY = "。！？!?….．,，;；:：“”‘’「」《》（）()[]\"' \n\u3000\t0123456789abcXYZ新能源项目他说表示介绍本报讯电月日"
_ANY_TEXT = st.one_of(st.text(alphabet=_TRICKY, max_size=80), st.text(max_size=80))


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(_ANY_TEXT)
@example("")
@example("  \n ")
@example("。")
@example("……据悉")
@example("新华社北京7月26日电（记者倪元锦）")
def test_sentences_concatenate_to_the_input(text):
    spans = split_offsets(text)
    assert re.sub(r"\s", "", "".join(split_sentences(text))) == re.sub(r"\s", "", text)
    pos = 0
    for start, end in spans:
        assert pos <= start < end <= len(text)
        assert not text[pos:start].strip()
        assert text[start:end] == text[start:end].strip()
        pos = end
    assert not text[pos:].strip()


def test_a_long_paragraph_splits_quickly():
    text = "“今年要完成投资10亿元。明年要再翻一番。”他说（记者 张三。）" * 5000 + "《未闭合" * 1000
    assert len(split_offsets(text)) > 5000


@pytest.mark.skipif(not (SHARED / "data" / "ud-chinese-gsdsimp").is_dir(), reason="../shared/data not present")
def test_ud_gsdsimp_boundary_f1():
    from split_eval import score, ud_docs

    for name, parts in ud_docs():
        result, errors = score(split_offsets, [(name, parts)])
        assert result["F1"] >= 0.995, errors


def test_hard_case_boundary_f1():
    from split_eval import score

    result, errors = score(split_offsets, HARD_CASES)
    assert result["F1"] >= 0.98, errors


# Model input: (stored zh, what the model reads).
NORMALISED = [
    ("10月9日上午,枣庄市举行活动,共有50个项目开工。", "10月9日上午，枣庄市举行活动，共有50个项目开工。"),
    ("快就是大局!", "快就是大局！"),
    ("山亭产业突破,发展怎么突围?", "山亭产业突破，发展怎么突围？"),
    ("全面压实区(市)属地责任", "全面压实区（市）属地责任"),
    ("锐钻重工机械（锂电结构件)制造项目", "锐钻重工机械（锂电结构件）制造项目"),
    ("博雷顿(山东)新能源汽车有限公司", "博雷顿（山东）新能源汽车有限公司"),
    ("首席执行官(CEO)表示", "首席执行官（CEO）表示"),
    ("一期工程装机规模100MW,可实现当年开工", "一期工程装机规模100MW，可实现当年开工"),
    ("有针对性;纪检监察干部深入企业调研", "有针对性；纪检监察干部深入企业调研"),
    ("记者:张三", "记者：张三"),
    ("项目已开工. 预计明年投产.", "项目已开工。预计明年投产。"),
    ('他说:"我们走吧."', "他说：“我们走吧。”"),
    ("全市生产总值增长３．５％。", "全市生产总值增长3.5%。"),
    ("ＡＢＣ公司发布Ｖ２．０版", "ABC公司发布V2.0版"),
    ("产业突破 跨越赶超", "产业突破跨越赶超"),
    ("\u3000全角空格\u3000开头  ", "全角空格开头"),
    ("新能源、新材料...等", "新能源、新材料……等"),
    ("你好。。。", "你好……"),
    ("研发…等", "研发……等"),
    ("舍小家为大家 — — 安徽", "舍小家为大家——安徽"),
    # Left alone: numbers, dates, times, URLs, English.
    ("合同总投资379.78亿元,占101%", "合同总投资379.78亿元，占101%"),
    ("今年1-9月份", "今年1-9月份"),
    ("2020-07-26 05:03:17 来源：北京青年报", "2020-07-26 05:03:17 来源：北京青年报"),
    ("访问www.gov.cn查询", "访问www.gov.cn查询"),
    ("访问https://example.com/search?q=1&page=2获取", "访问https://example.com/search?q=1&page=2获取"),
    ("Apple Inc. (AAPL) said \"yes\".", "Apple Inc. (AAPL) said \"yes\"."),
    ("“6+3”现代产业体系", "“6+3”现代产业体系"),
    ("Hello,   world!\n How are you?", "Hello, world! How are you?"),
]


@pytest.mark.parametrize("before, after", NORMALISED, ids=[b for b, _ in NORMALISED])
def test_normalize_for_model(before, after):
    assert normalize_for_model(before) == after


@pytest.mark.parametrize("before, after", NORMALISED, ids=[b for b, _ in NORMALISED])
def test_normalize_for_model_is_idempotent(before, after):
    assert normalize_for_model(after) == after


def test_segment_page_keeps_zh_and_gives_the_model_normalised_text():
    text = "本报讯 今年以来,全市完成投资360亿元. Visit www.gov.cn for more. 2022"
    page = Page(text=text, items=[Article("a01", paragraphs=[Paragraph("a01-p01", (0, len(text)))])])
    sentences = list(segment_page(page).articles[0].sentences())
    assert [s.zh for s in sentences] == ["本报讯", "今年以来,全市完成投资360亿元.", "Visit www.gov.cn for more. 2022"]
    assert [s.id for s in sentences] == ["a01-p01-s01", "a01-p01-s02", "a01-p01-s03"]
    assert all(s.zh == span_text(text, s.span) for s in sentences)
    assert sentences[1].source == "今年以来，全市完成投资360亿元。"
    assert [s.lang for s in sentences] == ["zh", "zh", "en"]


def test_segment_page_on_the_seed_keeps_every_sentence_zh_its_span(seed_text):
    from pipeline.document import coverage_errors
    from pipeline.run import build_page

    page = build_page(seed_text)
    assert coverage_errors(page) == []
    sentences = [s for a in page.articles for s in a.sentences()]
    assert len(sentences) > 100
    for s in sentences:
        assert s.zh == span_text(seed_text, s.span)
        assert s.source == normalize_for_model(s.zh)
        assert s.lang == "zh"


def test_cli_split_prints_one_sentence_per_line_per_input_line():
    stdin = "他说：“我们走吧。”然后走了。\n本报枣庄讯 今年1-9月份,总投资379.78亿元。同比增长3.5%。\n"
    result = CliRunner().invoke(app, ["split", "-"], input=stdin)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["他说：“我们走吧。”", "然后走了。", "本报枣庄讯", "今年1-9月份,总投资379.78亿元。",
                                          "同比增长3.5%。"]


def test_case_files_use_the_separator():
    for path in (DATA / "sentence_cases.tsv", DATA / "seed_sentences.tsv"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                label, tab, body = line.partition("\t")
                assert tab and label and body and SEPARATOR not in label, line
