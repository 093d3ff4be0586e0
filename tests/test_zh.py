"""pipeline/zh.py: knowledge of Chinese text that the stages share."""

from __future__ import annotations

import pytest

from pipeline.zh import breaks_word, printed_width


@pytest.mark.parametrize("before, after, broken", [
    # column breaks inside a word (pages of the dev set)
    ("新疆维吾尔自治区新闻办公室26日召", "开新闻发布会", True),
    ("它以1944年抗日战争最后阶段为背", "景，讲述了", True),
    ("柳云龙此次在《胜算》中同时担任监制和男", "主角", True),
    # between words: a heading, a byline or a paragraph's end
    ("以色列防疫松懈引发担忧", "特拉维夫", False),
    ("经济日报记者 李敏", "7月24日，江西省", False),  # a digit after the break: not read
    ("ECONOMIC DAILY", "2020年7月27日", False),  # Latin before the break: not read
    ("减免缓返补", "", False),
    ("", "开", False),
    ("发布洪水预警。", "重庆市", False),
])
def test_a_break_inside_a_word(before, after, broken):
    assert breaks_word(before, after) is broken


def test_printed_width_counts_half_width_characters_as_half():
    assert printed_width("本报记者") == 8 and printed_width("ECONOMIC") == 8 and printed_width("2020年") == 6
