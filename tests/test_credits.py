"""Bylines and datelines in English by rule (pipeline/credits.py): the issue's patterns and real ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.credits import (
    credit_english,
    date_english,
    detect_paper,
    parse_byline,
    parse_dateline,
    sources,
)

DATA = Path(__file__).parent / "data"


def _cases() -> list[tuple[str, str | None, str]]:
    rows = []
    for line in (DATA / "credit_cases.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            zh, paper, en = line.split("\t")
            rows.append((zh, None if paper == "-" else paper, en))
    return rows


CASES = _cases()


def test_the_case_table_holds_the_issue_patterns_and_thirty_more():
    assert len(CASES) >= 34
    assert CASES[0][2] == "BEIJING, Nov. 7 (Xinhua) -- by Zhou Wen and Wu Jia"


@pytest.mark.parametrize(("zh", "paper", "en"), CASES, ids=[c[0] for c in CASES])
def test_credit_english(zh, paper, en):
    assert credit_english(zh, paper) == en


@pytest.mark.parametrize("text", [
    "10月9日上午，枣庄市在欣旺达滕州源网荷储零碳智慧产业园项目现场举行全市重点项目集中启动活动。",
    "枣庄50个重点项目集中开工",
    "记者探营",
    "新华社发",
    "本报记者 从市园林绿化局获悉，近年来",
])
def test_text_that_is_no_credit_is_left_to_the_model(text):
    assert credit_english(text) is None


def test_byline_keeps_the_chinese_names_in_order():
    by = parse_byline("□记者 孟令洋 通讯员 赵健健 报道")
    assert by is not None
    assert by.authors == ["孟令洋", "赵健健"]
    assert by.authors_en == ["Meng Lingyang", "Zhao Jianjian"]


def test_a_dateline_alone_ends_with_the_wire_dash():
    dl = parse_dateline("新华社北京11月7日电")
    assert dl is not None and dl.en == "BEIJING, Nov. 7 (Xinhua) --"


@pytest.mark.parametrize(("month", "day", "en"), [
    ("1", "5", "Jan. 5"), ("9", "30", "Sept. 30"), ("十一", "七", "Nov. 7"), ("３", "１２", "March 12"),
    (None, "7", "7th"), (None, "21", "21st"), (None, "12", "12th"),
])
def test_dates_in_ap_style(month, day, en):
    assert date_english(month, day) == en


def test_a_traditional_row_wins_over_the_simplified_one():
    from pipeline.credits import source_named

    assert source_named("文匯報").en == "Wen Wei Po"
    assert source_named("文汇报").en == "Wenhui Daily"
    assert {s.kind for s in sources()} <= {"agency", "paper", "broadcaster", "site"}


def test_the_paper_is_read_off_the_page_furniture(seed_text):
    from pipeline.run import build_page

    assert detect_paper(build_page(seed_text)) == "Dazhong Daily"
    assert detect_paper(build_page("枣庄50个重点项目集中开工\n\n本报枣庄讯 今年以来，项目建设加快推进。\n")) is None


def test_every_source_layout_knows_has_an_english_name():
    """pipeline/zh.py (layout's Chinese-text knowledge) lists who may head a dateline; each needs a row here."""
    zh = pytest.importorskip("pipeline.zh")
    if not hasattr(zh, "NEWS_AGENCIES"):
        pytest.skip("pipeline/zh.py without its agency lists")
    from pipeline.credits import source_named

    listed = (*zh.NEWS_AGENCIES, *getattr(zh, "NEWSPAPERS", ()), *getattr(zh, "NEWS_SITES", ()))
    assert [name for name in listed if source_named(name) is None] == []
