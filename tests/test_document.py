"""The document model and the no-loss check."""

from __future__ import annotations

import pytest

from pipeline.document import Article, Other, Page, Paragraph, Sentence, coverage_errors, span_text


@pytest.mark.parametrize(
    "source, span, join, expected",
    [
        ("总投资\n\n756亿元。", None, "", "总投资756亿元。"),
        ("□记者 孟令洋\n\n通讯员 赵健健 报道", None, " ", "□记者 孟令洋 通讯员 赵健健 报道"),
        ("大众日报 客户端", None, "", "大众日报 客户端"),
        ("“红黄蓝”管  \r\n\u3000\u3000理等机制", None, "", "“红黄蓝”管理等机制"),
        # a column break on the space between two Latin words keeps the space (the page keeps it at the line's end)
        ("冈萨雷斯（Arancha \nGonzalez Laya）", None, "", "冈萨雷斯（Arancha Gonzalez Laya）"),
        ("加那利群岛（Canary \r\nIslands）", None, "|", "加那利群岛（Canary |Islands）"),
        ("人数达到5 \n000人", None, "", "人数达到5 000人"),
        ("中文 \n中文", None, "|", "中文|中文"),
        ("Reporter John \nSmith", None, " ", "Reporter John Smith"),
    ],
)
def test_span_text_removes_only_line_break_runs(source, span, join, expected):
    assert span_text(source, span or (0, len(source)), join) == expected


def _page(text: str, spans: list[tuple[int, int]]) -> Page:
    art = Article("a01")
    art.paragraphs = [Paragraph("a01-p01", (spans[0][0], spans[-1][1]),
                                [Sentence(f"a01-p01-s{i:02d}", span_text(text, s), s) for i, s in enumerate(spans, 1)])]
    return Page(text=text, items=[art])


def test_coverage_accepts_a_complete_page():
    text = "甲乙。\n丙丁。"
    assert coverage_errors(_page(text, [(0, 3), (4, 7)])) == []


def test_coverage_reports_lost_text_in_a_gap_and_at_the_end():
    text = "甲乙。\n丙丁。戊"
    errors = coverage_errors(_page(text, [(0, 3), (4, 6)]))
    assert any("lost" in e and "。戊" in e for e in errors)


def test_coverage_reports_overlap_and_wrong_text():
    text = "甲乙。丙丁。"
    page = _page(text, [(0, 4), (3, 6)])
    assert any("overlaps" in e for e in coverage_errors(page))
    page = _page(text, [(0, 3), (3, 6)])
    page.articles[0].paragraphs[0].sentences[1].zh = "丙丙。"
    assert any("does not match" in e for e in coverage_errors(page))


def test_units_come_in_source_order_across_items():
    text = "报头\n标题\n正文。"
    page = Page(text=text, items=[Other("o01", "报头", (0, 2))])
    assert [u.id for u in page.units()] == ["o01"]
    assert coverage_errors(page)  # 标题 and 正文 are not covered
