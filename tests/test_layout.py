"""Layout recovery: the seed page exactly as issue 3 lists it, sample pages against their gold files, the named rules
one by one, and the no-loss invariant on every page, including generated ones."""

from __future__ import annotations

import json
import math
import os
import random
import re
import subprocess
import sys

import pytest
from conftest import ROOT, SEED
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.document import Article, Page, coverage_errors, span_text
from pipeline.layout import byline_authors, crf, explain
from pipeline.layout.assemble import build_items
from pipeline.layout.gold import JOIN_MARK, gold_boundaries, gold_files, load_gold, page_structure, recovered_boundaries
from pipeline.layout.features import page_features
from pipeline.layout.labels import gold_line_labels, rule_labels
from pipeline.layout.lines import is_credit, label_lines, split_lines
from pipeline.layout.rules import MAX_HEADLINE_CHARS, rule_reasons
from pipeline.layout.synth import synthetic_page
from pipeline.layout.train import main as train_main
from pipeline.render import article_json
from pipeline.run import build_page
from pipeline.schemas import validate
from pipeline.zh import LineKind

SAMPLES = ROOT / "input" / "samples"
GOLDEN = ROOT / "tests" / "golden"
GOLD_FILES = gold_files(SAMPLES)
PAGES = [SEED, *sorted(SAMPLES.glob("*.txt"))]


def _page(text: str):
    return build_page(text)


def _items(text: str) -> list[dict]:
    return page_structure(_page(text))


# --- The seed page, as the issue lists it ----------------------------------------------------------------------------

SEED_ITEMS = [  # kind, headlines (role, zh), byline, authors, dateline, paragraph count, truncated
    ("other", "大众日报 客户端"),
    ("other", "大众日报 微信"),
    ("article", [("kicker", "争取将秋季项目施工黄金季拼成丰收季"), ("main", "枣庄50个重点项目集中开工")],
     "□ 本报记者 张环泽", ["张环泽"], None, 7, False),
    ("article", [("main", "薛城经济开发区 党建引领产业发展")], "□记者 张环泽 报道", ["张环泽"], "本报枣庄讯", 4, False),
    ("article", [("main", "底阁镇创新思路 打造营商品牌")], "□记者 张环泽 报道", ["张环泽"], "本报枣庄讯", 5, False),
    ("article", [("main", "枣庄打造光通信全产业链条")], "□记者 孟令洋 通讯员 赵健健 报道", ["孟令洋", "赵健健"],
     "本报枣庄讯", 6, True),
    ("photo", [], "□季龙 刘金铭 张环泽 报道", ["季龙", "刘金铭", "张环泽"], None, 1, False),
    ("article", [("main", "台儿庄为古树名木 撑起保护伞")], "□记者 张环泽 报道", ["张环泽"], "本报枣庄讯", 4, False),
    ("article", [("main", "峰城区完善 林长制管理体系")], "□记者 张环泽 报道", ["张环泽"], "本报枣庄讯", 2, False),
    ("article", [("main", "智慧网格促进 基层治理精细化")], "□郭允新 季龙 张环泽 报道", ["郭允新", "季龙", "张环泽"],
     "本报枣庄讯", 4, False),
    ("article", [("main", "坛山街道线上线下齐发力优化营商环境")], "□记者 张环泽 报道", ["张环泽"], "本报枣庄讯", 4,
     False),
    ("article", [("kicker", "瞄准新能源、新材料、新业态、新模式精准发力"), ("main", "山亭区明确主攻方向寻求产业突破")],
     "□ 本报记者 孟令洋", ["孟令洋"], None, 11, False),
]

# The ten repaired column breaks: the text on either side of each join.
SEED_JOINS = [
    ("总投资", "756亿元。"), ("“红黄蓝”管", "理等机制"), ("聚焦省市区三级重点项目,", "严格落实帮包责任制"),
    ("为高铁、电", "力等领域"), ("东方", "光源集团作为"), ("食品经营许可", "等业务"), ("帮助解决;", "对已建成"),
    ("达到100", "亿元以上。"), ("向新", "能源工程车"), ("山东碳市", "场服务中心"),
]


@pytest.fixture(scope="module")
def seed_items(seed_text) -> list[dict]:
    return _items(seed_text)


@pytest.mark.parametrize("n", range(len(SEED_ITEMS)), ids=lambda n: f"item{n + 1:02d}")
def test_seed_item_is_as_the_issue_lists(seed_items, n):
    want, got = SEED_ITEMS[n], seed_items[n]
    assert got["kind"] == want[0]
    if want[0] == "other":
        assert got["zh"] == want[1]
        return
    _, headlines, byline, authors, dateline, paragraphs, truncated = want
    assert [(h["role"], h["zh"]) for h in got["headlines"]] == headlines
    assert got["byline"] == {"zh": byline, "authors": authors}
    assert got["dateline"] == dateline
    assert len(got["paragraphs"]) == paragraphs
    assert got["truncated"] is truncated


def test_seed_has_exactly_the_ten_joins(seed_items):
    joins = [(p["zh"].split(JOIN_MARK)[0], p["zh"].split(JOIN_MARK)[1])
             for item in seed_items if item["kind"] != "other" for p in item["paragraphs"] if JOIN_MARK in p["zh"]]
    assert len(joins) == 10
    assert all(p["zh"].count(JOIN_MARK) <= 1 for item in seed_items if item["kind"] != "other"
               for p in item["paragraphs"])
    for (before, after), (left, right) in zip(SEED_JOINS, joins):
        assert left.endswith(before) and right.startswith(after)


def test_column_break_offsets_are_where_the_joined_line_ends(seed_text):
    page = _page(seed_text)
    breaks = [b for art in page.articles for p in art.paragraphs for b in p.column_breaks]
    assert len(breaks) == 10
    assert [seed_text[b - len(before):b] for b, (before, _) in zip(breaks, SEED_JOINS)] == [j[0] for j in SEED_JOINS]
    assert all(seed_text[b] == "\n" for b in breaks)


def test_seed_truncated_article_and_photo_caption(seed_items):
    truncated = seed_items[5]
    assert truncated["paragraphs"][-1]["zh"].endswith("光器件等产品和")
    photo = seed_items[6]
    assert [p["role"] for p in photo["paragraphs"]] == ["caption"]
    assert photo["paragraphs"][0]["zh"].startswith("10月8日,滕州市公安局")
    # The photo's caption is not joined to the truncated paragraph above it.
    assert JOIN_MARK not in truncated["paragraphs"][-1]["zh"]
    # The 山亭区 and 薛城区 paragraphs still belong to the first article.
    assert seed_items[2]["paragraphs"][5]["zh"].startswith("今年1-9月份,山亭区")
    assert seed_items[2]["paragraphs"][6]["zh"].startswith("今年以来,薛城区")


# --- Golden files: the `pipeline inspect --json` layout of every page ---------------------------------------------

def _unit(u: dict | None) -> dict | None:
    return None if u is None else {k: u[k] for k in ("id", "role", "zh", "authors", "span") if k in u}


def _layout_view(doc: dict, text: str) -> list[dict]:
    """The layout part of `inspect --json` (no sentences, summaries or language): ids, spans, roles, notes."""
    view = []
    for item in doc["items"]:
        if item["kind"] == "other":
            view.append({k: item[k] for k in ("kind", "id", "zh", "span")})
            continue
        art = item["article"]
        view.append({
            "kind": art["kind"], "id": art["id"],
            "headlines": [_unit(h) for h in art["headlines"]],
            "byline": _unit(art["byline"]), "dateline": _unit(art["dateline"]),
            "paragraphs": [{"id": p["id"], "role": p["role"], "span": p["span"], "column_breaks": p["column_breaks"],
                            "zh": span_text(text, tuple(p["span"]), JOIN_MARK)} for p in art["paragraphs"]],
            "truncated": art["truncated"], "notes": art["notes"],
        })
    return view


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_inspect_json_matches_the_golden_file(path):
    """Regenerate deliberately, after checking the change: UPDATE_GOLDEN=1 pytest tests/test_layout.py -k golden"""
    result = CliRunner().invoke(app, ["inspect", str(path), "--json"])
    assert result.exit_code == 0, result.output
    view = _layout_view(json.loads(result.output), path.read_text(encoding="utf-8"))
    golden = GOLDEN / f"{path.stem}.json"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(json.dumps(view, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert golden.is_file(), f"no golden file {golden}; create it with UPDATE_GOLDEN=1"
    expected = json.loads(golden.read_text(encoding="utf-8"))
    assert [i["id"] for i in view] == [i["id"] for i in expected]
    for got, want in zip(view, expected):
        assert got == want, got["id"]


# --- Sample pages against their hand-written gold structure ---------------------------------------------------------

def test_there_are_gold_files_for_the_seed_and_at_least_four_more_pages():
    assert len(GOLD_FILES) >= 5
    assert any(load_gold(g)["page"].endswith(SEED.name) for g in GOLD_FILES)


@pytest.mark.parametrize("gold_path", GOLD_FILES, ids=lambda p: p.name.split(".")[0])
def test_page_matches_its_gold_file(gold_path):
    gold = load_gold(gold_path)
    page = _page(gold["text"])
    assert coverage_errors(page) == []
    got = page_structure(page)
    assert len(got) == len(gold["items"]), [i.get("headlines") or i.get("zh") for i in got]
    for n, (g, w) in enumerate(zip(got, gold["items"])):
        assert g == w, f"item {n}"
    b = recovered_boundaries(page)
    assert b == gold_boundaries(gold["text"], gold["items"])


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_every_recovered_article_matches_the_article_schema(path):
    page = _page(path.read_text(encoding="utf-8"))
    for art in page.articles:
        validate(article_json(art, page, with_en=False), "article")


WHITESPACE_VARIANTS = {
    "single-newlines": lambda t: re.sub(r"\n\s*\n", "\n", t),
    "blank-lines": lambda t: t.replace("\n", "\n\n"),
    "crlf": lambda t: t.replace("\n", "\r\n"),
    # the same indent before every line (a paste that indents the whole page); an indent before the flush lines only
    # would swap the page's indented and flush lines, which on a page that indents its paragraphs is its structure
    "ideographic-indent": lambda t: re.sub(r"(?m)^(?=[^\r\n])", "\u3000\u3000", t),
    "trailing-spaces": lambda t: t.replace("\n", " \t\n"),
}


@pytest.mark.parametrize("variant", WHITESPACE_VARIANTS)
@pytest.mark.parametrize("gold_path", GOLD_FILES, ids=lambda p: p.name.split(".")[0])
def test_structure_does_not_depend_on_whitespace_between_lines(gold_path, variant):
    gold = load_gold(gold_path)
    page = _page(WHITESPACE_VARIANTS[variant](gold["text"]))
    assert coverage_errors(page) == []
    assert page_structure(page) == gold["items"]


# --- The named rules, one case at a time -----------------------------------------------------------------------------

@pytest.mark.parametrize("line, kind, rule", [
    ("大众日报 客户端", "furniture", "channel-label"),
    ("2022年10月10日 星期一", "furniture", "running-head"),
    ("人民日报 2022年10月10日 星期一 壬寅年九月十五", "furniture", "running-head"),
    ("新疆日报 2020年7月27日 第03版", "furniture", "running-head"),  # no weekday: found on a page not tuned on
    ("大众日报 2022年10月1日 第01版 要闻", "furniture", "running-head"),
    ("第5版", "furniture", "page-number"),
    ("2 要闻", "furniture", "page-number"),
    ("A06 城事", "furniture", "page-number"),
    ("责任编辑：王春燕  美编：李娜", "furniture", "staff-credit"),
    ("本版责编：吴  刚  刘  阳  季健明", "furniture", "staff-credit"),
    ("【城事速递】", "furniture", "section-label"),
    ("齐鲁晚报·齐鲁壹点", "furniture", "masthead"),
    ("ECONOMIC DAILY", "furniture", "latin-masthead"),
    ("PEOPLE'S DAILY", "furniture", "latin-masthead"),
    ("经济日报\u3000ECONOMIC DAILY", "furniture", "latin-masthead"),
    ("本版编辑\u3000陈\u3000郁\u3000美编\u3000王子萱", "furniture", "staff-credit-spaced"),
    ("编者按：防汛救灾关系人民群众生命财产安全。", "note", "editor-note"),
    ("开栏的话", "note", "editor-note"),
    ("写在前面", "note", "editor-note"),
    ("——编 者", "note", "editor-note-signature"),
    ("（下转第二版）", "marker", "continued-on"),
    ("（上接第一版）", "marker", "continued-from"),
    ("(转第4版)", "marker", "continued-on"),
    ("（完）", "marker", "end-of-copy"),
    ("□记者 张环泽 报道", "byline", "box-mark"),
    ("本报记者  周晓峰  林思远  郑  悦", "byline", "reporter-credit"),
    ("新华社记者 李贺 孙正好", "byline", "reporter-credit"),
    ("文/图 记者 陈冉", "byline", "reporter-credit"),
    ("记者 宋鹏 摄", "byline", "photo-credit"),
    ("本报评论员", "byline", "collective-byline"),
    ("图为10月9日，游客在北京颐和园游览。", "caption", "pictured"),
    ("▲10月9日，市民在泉城广场观看灯光秀。", "caption", "caption-arrow"),
    ("本报枣庄讯 枣庄市薛城经济开发区夯实组织基础。", "dateline", "local-report"),
    ("新华社北京10月9日电（记者 罗星）记者9日获悉。", "dateline", "dated-dispatch"),
    ("据新华社电 联合国粮农组织7日发布报告。", "dateline", "undated-wire"),
    ("〔記者林志明／台中報導〕台中市政府今天宣布新措施。", "dateline", "filed-from"),
    ("〔國際新聞中心／綜合報導〕美國國務院26日表示。", "dateline", "filed-from"),
    ("（中央社記者張三台北26日電）行政院今天通過草案。", "dateline", "cna-dispatch"),
    # Conventions the second round of hand-laid writers found unread (bench/data/layout-hand/README.md).
    ("（中央社倫敦26日綜合外電報導）英國政府今天宣布新規定。", "dateline", "cna-dispatch"),
    ("湖南日报·新湖南客户端7月25日讯（本报记者 王晗）全省产业项目建设推进有力。", "dateline", "dated-dispatch"),
    ("证券时报e公司讯，今日多家上市公司发布公告。", "dateline", "paper-report"),
    ("据央视新闻客户端消息，长江中下游地区迎来新一轮强降雨。", "dateline", "reported-by"),
    ("制图：高妍", "caption", "graphic-credit"),
    ("本版制图：高妍", "furniture", "staff-credit"),
    ("数据来源：国家统计局", "caption", "graphic-credit"),
    ("天津大学供图", "caption", "graphic-credit"),
    ("新型混合基质膜制备技术示意图", "caption", "graphic-credit"),
    ("守护（漫画）", "caption", "graphic-credit"),
    ("庚子年六月初七", "furniture", "lunar-date"),
    ("2020/07/26 18:35（7/26 21:02 更新）", "furniture", "web-timestamp"),
    ("首页 > 国际 > 正文", "furniture", "breadcrumb"),
    ("本网站之文字、图片及影音，非经授权，不得转载。", "furniture", "site-notice"),
    ("人民网网址：http://www.people.com.cn", "furniture", "site-notice"),
    ("今日导读", "furniture", "page-index"),
    ("共享住宿市场逐步回暖（10版）", "furniture", "page-index"),
    ("经济日报\u30006\u3000访谈", "furniture", "paper-page-head"),
    ("A6\u3000文体新闻\u3000责编\u3000林\u3000洁\u3000美编\u3000黄\u3000蕾", "furniture", "paper-page-head"),
    ("2020年7月27日（星期一）\u3000责任编辑：张\u3000远", "furniture", "running-head"),
    ("来源：文汇报\u3000责任编辑：王思硕", "furniture", "staff-credit"),
    ("（編輯：林沂鋒）1090726", "marker", "end-of-copy"),
    ("（路透社）", "byline", "collective-byline"),
    # Conventions the third round of hand-laid writers found unread.
    ("本报电  （记者刘  新）今天下午，全市召开防汛工作会议。", "dateline", "local-report"),
    ("本报上海7月26日专电 （记者 王海）上海市今天发布新规。", "dateline", "dated-dispatch"),
    ("新華社北京廿六日電 國家統計局今天發布數據。", "dateline", "dated-dispatch"),
    ("新华社北京七月二十六日电 国家统计局今天发布数据。", "dateline", "dated-dispatch"),
    ("新华日报·交汇点讯（记者 王海）今年以来，江苏外贸回稳。", "dateline", "paper-report"),
    ("中证网讯（记者 王海）多家上市公司今日发布公告。", "dateline", "paper-report"),
    ("成都商报-红星新闻讯 今年以来，成都新增就业岗位。", "dateline", "paper-report"),
    ("央视网消息(新闻联播)：今年以来，各地扎实做好防汛工作。", "dateline", "reported-by"),
    ("【环球网报道 记者 王星】据英国媒体报道，英国政府宣布新规。", "dateline", "bracketed-report"),
    ("【星島日報報道】香港今日天氣炎熱。", "dateline", "bracketed-report"),
    ("（新加坡讯）新加坡卫生部今天宣布新增病例。", "dateline", "bracketed-place"),
    ("（吉隆坡26日讯）马来西亚政府今天宣布新措施。", "dateline", "bracketed-place"),
    ("（上接A1）", "marker", "continued-from"),
    ("（下转A2）", "marker", "continued-on"),
    ("(责编：王某、李某)", "furniture", "staff-credit-bracketed"),
    ("【纠错】【责任编辑:张三】", "furniture", "staff-credit-bracketed"),
    ("界面新闻编辑：王明", "furniture", "staff-credit"),
    ("分享到：", "furniture", "web-chrome"),
    ("阅读原文", "furniture", "web-chrome"),
    ("A8｜國際", "furniture", "page-number"),
    ("01 避开中午高温时段出行", "list", "zero-numbered-item"),
    ("插图：郭红松", "caption", "graphic-credit"),
    ("（法新社照片）", "caption", "graphic-credit"),
    ("作者：杨洁", "byline", "reporter-credit"),
    # …and those of the fourth round.
    ("本报综合消息　多国政府近日出台新措施。", "dateline", "local-report"),
    ("本报综合新华社电 国家统计局今天发布数据。", "dateline", "local-report"),
    ("新华社快讯：国家统计局今天发布数据。", "dateline", "local-report"),
    ("中新社北京7月26日综合电 多国近日出台新措施。", "dateline", "dated-dispatch"),
    ("新华社北京7月26日新媒体专电 国家统计局今天发布数据。", "dateline", "dated-dispatch"),
    ("本报东京、首尔7月26日电　（记者许诺、韦宁）两国今天宣布新措施。", "dateline", "dated-dispatch"),
    ("【美联社华盛顿7月25日电】美国政府宣布新措施。", "dateline", "dated-dispatch"),
    ("参考消息网7月26日报道 据英国媒体报道，英国政府宣布新规。", "dateline", "dated-dispatch"),
    ("中新社重慶26日電 重慶今天發布暴雨預警。", "dateline", "dated-dispatch"),
    ("新华财经北京7月26日电（记者 王彦）人民币汇率今天小幅上涨。", "dateline", "dated-dispatch"),
    ("南都讯 记者刘嫚 发自北京 国家卫健委今天通报疫情。", "dateline", "paper-report"),
    ("【on.cc東網專訊】香港今日天氣炎熱。", "dateline", "paper-report"),
    ("第8版　国际·观察", "furniture", "page-number"),
    ("109/07/26 21:02", "furniture", "web-timestamp"),
    ("发稿时间：2020-07-26 10:00", "furniture", "web-timestamp"),
    ("本稿件可供签约用户使用，转载请注明出处。", "furniture", "site-notice"),
    ("制表：王彦", "caption", "graphic-credit"),
    ("（受访者提供）", "caption", "graphic-credit"),
    ("1．开展机手培训，组织农机手学习规范操作；", "list", "arabic-item"),
    ("（2）勤洗手、常通风；", "list", "bracketed-item"),
    ("一、总体要求", "list", "chinese-ordinal-item"),
    # Look-alikes that are body text.
    ("10月9日上午,枣庄市举行活动。", "text", ""),
    ("155.9亿元。", "text", ""),
    ("记者近日从市教育局获悉，全市新建学校12所。", "text", ""),
    ("本报记者走基层", "text", ""),
    ("图书馆里人头攒动。", "text", ""),
    ("APEC成员贸易部长会议表示", "text", ""),
    ("编者按照要求修改了稿件。", "text", ""),
    ("A>B的情况很少见", "text", ""),
    ("北京 2 个新区挂牌", "text", ""),
    ("设计师王某说，今年的产品很好。", "text", ""),
    ("分享经济快速发展，今年规模再创新高。", "text", ""),
    ("相关新闻报道显示，今年客流明显回升。", "text", ""),
    ("据新华社报道，美国政府宣布新措施。", "text", ""),
])
def test_line_is_labelled_by_its_rule(line, kind, rule):
    labelled = explain(line)
    assert [(ln.kind, ln.rule) for ln in labelled] == [(kind, rule)]


@pytest.mark.parametrize("text, authors", [
    ("□记者 孟令洋 通讯员 赵健健 报道", ["孟令洋", "赵健健"]),
    ("□ 本报记者 张环泽", ["张环泽"]),
    ("本报记者  周晓峰  林思远  郑  悦", ["周晓峰", "林思远", "郑悦"]),
    ("（记者 李静 通讯员 赵磊）", ["李静", "赵磊"]),
    ("（记者吴秋余、王浩）", ["吴秋余", "王浩"]),
    ("新华社记者 欧阳晓明 摄", ["欧阳晓明"]),
    ("本报评论员", []),
    ("本报驻比利时记者  李  岩", ["李岩"]),
    ("本报特派记者　马宁", ["马宁"]),
    ("总台记者 赵艺君", ["赵艺君"]),
    ("文/片　齐鲁晚报·齐鲁壹点特派记者　马宁", ["马宁"]),
    # A paper the lists do not name is a newsroom by the shape of its name.
    ("南方日报记者 郑璐", ["郑璐"]),
    ("羊城晚报记者 宋旻 摄", ["宋旻"]),
    ("星島記者 聶青", ["聶青"]),
    ("（四川日报全媒体记者 张三）", ["张三"]),
    ("钱江晚报·小时新闻记者 王五 实习生 李四", ["王五", "李四"]),
    ("新华社发 徐骏 作", ["徐骏"]),
    ("华西都市报-封面新闻记者 王明", ["王明"]),
    ("河南日报客户端记者 刘伟", ["刘伟"]),
    ("●本报记者 王磊", ["王磊"]),
    ("第一财经记者 钟可 发自北京", ["钟可"]),
    ("本报记者 王磊 整理", ["王磊"]),
    ("本报记者 欧阳 洁 摄", ["欧阳洁"]),
    ("【文/观察者网 陈思佳】", ["陈思佳"]),
    ("作者 胡贵龙 潘雨洁", ["胡贵龙", "潘雨洁"]),
    ("记者｜孙扬", ["孙扬"]),
    ("胡贵龙摄（人民视觉）", ["胡贵龙"]),
    ("编译陈律安／综合外电", ["陈律安"]),
    ("文：王明　图：李强", ["王明", "李强"]),
    ("（路透社）", ["路透社"]),
    ("采写：南都记者 陈　林", ["陈林"]),
    ("潇湘晨报评论员 陈斌", ["陈斌"]),
    ("文：陳美玲　攝：何家豪", ["陳美玲", "何家豪"]),
    ("扬子晚报记者 王娟 文 刘洋 摄", ["王娟", "刘洋"]),
    ("新华社发（莫京娜摄）", ["莫京娜"]),
    ("记者　王　彦/摄", ["王彦"]),
    ("证券时报·e公司记者 王彦", ["王彦"]),
    ("经济观察报　记者　王　彦", ["王彦"]),
    ("21世纪经济报道记者　王　彦　北京报道", ["王彦"]),
    ("采访/撰文：王　彦", ["王彦"]),
    ("（明報記者攝）", []),
])
def test_byline_authors(text, authors):
    assert is_credit(text)
    assert byline_authors(text) == authors


@pytest.mark.parametrize("text", ["记者探营", "记者 走进新村", "□ 链接：相关新闻", "本报记者张三李四王五赵六", "通讯员说。",
                                  "天津大学供图", "海报 片方供图"])
def test_not_a_byline(text):
    assert not is_credit(text)


def test_every_label_names_a_documented_rule():
    reasons = rule_reasons()
    assert all(reason.strip() for reason in reasons.values())
    used = {ln.rule for path in PAGES for ln in explain(path.read_text(encoding="utf-8")) if ln.rule}
    used |= {ln.rule for seed in range(50) for ln in explain(synthetic_page(random.Random(seed))[0]) if ln.rule}
    assert used <= set(reasons), used - set(reasons)
    assert len(used) >= 25


def _one(text: str) -> list[dict]:
    page = _page(text)
    assert coverage_errors(page) == []
    return page_structure(page)


def test_headline_ending_in_a_question_mark_is_a_headline():
    items = _one("如何守护游客安全？\n新华社北京10月9日电（记者 周圆）国庆假期刚刚结束。\n")
    assert items[0]["headlines"] == [{"role": "main", "zh": "如何守护游客安全？"}]
    assert items[0]["dateline"] == "新华社北京10月9日电"
    assert items[0]["byline"] == {"zh": "（记者 周圆）", "authors": ["周圆"]}
    assert items[0]["paragraphs"] == [{"role": "body", "zh": "国庆假期刚刚结束。"}]


@pytest.mark.parametrize(
    "title",
    [
        # WMT21 newstest zh, a page title as 中新网 prints it: 35 characters, a space, the site's name after a dash
        "乌鲁木齐免费核酸检测多数区已基本完成 高风险地区进行二次检测-中新网",
        "国务院常务会议部署进一步做好稳就业工作 确定支持中小微企业发展措施_新华网",
        "第三届中国国际进口博览会各项筹备工作进展顺利 展区布局和参展企业名单陆续公布 | 人民网",
    ],
)
def test_a_news_sites_page_title_is_a_headline_even_when_long(title):
    items = _one(f"{title}\n中新网乌鲁木齐7月26日电 (记者 孙亭文 赵雅敏)乌鲁木齐市卫健委主任张卫26日通报疫情。\n")
    assert len(title) > MAX_HEADLINE_CHARS
    assert len(items) == 1
    assert items[0]["headlines"] == [{"role": "main", "zh": title}]
    assert items[0]["dateline"] == "中新网乌鲁木齐7月26日电"


def test_a_long_line_without_a_sites_name_is_still_no_headline():
    line = "乌鲁木齐免费核酸检测多数区已基本完成 高风险地区进行二次检测工作全面展开"
    assert len(line) > MAX_HEADLINE_CHARS
    items = _one(f"标题\n□记者 张三 报道\n正文第一段写完了。\n{line}\n中新网乌鲁木齐7月26日电 正文。\n")
    assert all(h["zh"] != line for item in items for h in item.get("headlines", []))


def test_a_short_paragraph_ending_in_an_exclamation_is_not_taken_into_the_next_headline():
    items = _one("标题一\n□记者 张三 报道\n正文第一段写完了。\n加油！\n标题二\n□记者 李四 报道\n正文。\n")
    assert [i["headlines"] for i in items] == [[{"role": "main", "zh": "标题一"}], [{"role": "main", "zh": "标题二"}]]
    assert items[0]["paragraphs"][-1]["zh"] == "加油！"


def test_dateline_and_byline_are_separate_units_before_the_first_sentence():
    text = "明起天然气价格调整\n本报讯（记者 马凯）济南市发展改革委近日发布通知。\n"
    page = _page(text)
    art = page.articles[0]
    assert art.dateline.zh == "本报讯" and art.byline.zh == "（记者 马凯）"
    assert art.dateline.span[1] <= art.byline.span[0] and art.byline.span[1] <= art.paragraphs[0].span[0]
    assert art.paragraphs[0].sentences[0].zh == "济南市发展改革委近日发布通知。"


def test_a_short_unpunctuated_line_between_paragraphs_is_a_subheading_not_an_article():
    page = _page("标题\n□记者 张三 报道\n第一段正文，写了一些内容。\n抢抓晴好天气 加快进度\n第二段正文，又写了一些。\n")
    (art,) = page.items
    assert [p.role for p in art.paragraphs] == ["body", "subheading", "body"]
    # A lone sub-heading could also be a bare first column line: the article says so.
    assert art.notes == ["a01-p02 read as a sub-heading (a short line without punctuation); it may be the first line "
                         "of the paragraph after it"]


def test_a_short_fragment_inside_an_open_quotation_is_joined_not_a_subheading():
    items = _one("标题\n□记者 张三 报道\n第一段。\n“运营好交易中心、山东碳市\n场服务中心等平台。”他说。\n")
    assert [p["zh"] for p in items[0]["paragraphs"]] == ["第一段。", "“运营好交易中心、山东碳市|场服务中心等平台。”他说。"]


def test_list_items_are_paragraphs_even_after_a_colon_or_semicolon():
    items = _one("标题\n□记者 张三 报道\n专家提醒做好三件事：\n（1）接种疫苗；\n（2）勤洗\n手；\n（3）及时就诊。\n")
    assert [p["zh"] for p in items[0]["paragraphs"]] == ["专家提醒做好三件事：", "（1）接种疫苗；", "（2）勤洗|手；",
                                                          "（3）及时就诊。"]
    assert items[0]["truncated"] is False


def test_caption_inside_an_article_stays_with_it_and_interrupts_no_paragraph_silently():
    text = ("标题\n□记者 张三 报道\n第一段正文写到一半，总投资\n图为工人在施工。\n记者 李四 摄\n"
            "756亿元。\n第三段。\n")
    page = _page(text)
    assert coverage_errors(page) == []
    (item,) = page_structure(page)
    assert [p["role"] for p in item["paragraphs"]] == ["body", "caption", "caption", "body", "body"]
    assert item["byline"]["zh"] == "□记者 张三 报道"
    assert any("a01-p01 ends mid-sentence" in n for n in page.articles[0].notes)


def test_continuation_markers_are_kept_as_text_and_mark_the_article():
    text = "起步区建设提速\n（上接第一版）项目建设现场，机器轰鸣。\n标题\n□记者 张三 报道\n招商，推动（下转第八版）\n"
    page = _page(text)
    first, second = page.articles
    assert [p.role for p in first.paragraphs] == ["marker", "body"]
    assert any("continued from 第一版" in n for n in first.notes) and not first.truncated
    assert [p.role for p in second.paragraphs] == ["body", "marker"]
    assert second.truncated and any("continued on 第八版" in n for n in second.notes)
    assert coverage_errors(page) == []


@pytest.mark.parametrize("where", ["top", "middle", "bottom"])
def test_page_furniture_becomes_other_items_wherever_it_sits(where):
    header = "2022年10月10日 星期一\n第5版\n"
    body = "标题一\n□记者 张三 报道\n正文一。\n标题二\n□记者 李四 报道\n正文二。\n"
    footer = "责任编辑：王五\n"
    text = {"top": header + body + footer, "middle": body.replace("正文一。\n", "正文一。\n" + footer),
            "bottom": body + header + footer}[where]
    items = _one(text)
    kinds = [i["kind"] for i in items]
    assert kinds.count("article") == 2
    assert [i["zh"] for i in items if i["kind"] == "other"] == {
        "top": ["2022年10月10日 星期一", "第5版", "责任编辑：王五"], "middle": ["责任编辑：王五"],
        "bottom": ["2022年10月10日 星期一", "第5版", "责任编辑：王五"]}[where]


def test_text_after_furniture_that_interrupts_an_article_is_kept_and_flagged():
    page = _page("标题\n□记者 张三 报道\n正文一。\n第5版\n正文二接着写，没有标题。\n")
    assert coverage_errors(page) == []
    kinds = [type(i).__name__ for i in page.items]
    assert kinds == ["Article", "Other", "Article"]
    assert page.items[2].notes == ["no headline: text after page furniture, probably the rest of a01"]


def test_a_headline_after_an_end_mark_needs_no_byline():
    page = _page("标题一\n新华社北京10月9日电 正文一。\n（完）\n塞罕坝的绿色长城\n初秋的塞罕坝，层林尽染，松涛阵阵。\n")
    first, second = page.articles
    assert [h.zh for h in second.headlines] == ["塞罕坝的绿色长城"]
    assert second.notes == ["no byline or dateline under the headline: the article boundary rests on the headline "
                            "lines alone"]


def test_two_stacked_bare_lines_start_an_article_even_without_a_byline():
    # (until the sixth session the page was `标题` / … / `正文一。` / … / `正文二，写了一些。`: with every line 2 to 9
    # characters long, the labeller trained on more generated pages reads it as a column 7 characters wide, whose
    # pieces the two bare lines could be)
    items = _one("枣庄重点项目集中开工\n□记者 张三 报道\n10月9日上午，枣庄市重点项目集中启动活动举行，共有50个项目开工。\n"
                 "坚持稳中求进\n推动高质量发展\n今年以来，全市上下坚持稳中求进工作总基调，经济运行总体平稳。\n")
    assert [[h["role"] for h in i["headlines"]] for i in items] == [["main"], ["kicker", "main"]]


@pytest.mark.parametrize("line, caption, credit", [
    ("图为10月9日，游客在北京颐和园游览。 新华社记者 陈晔华 摄", "图为10月9日，游客在北京颐和园游览。", "新华社记者 陈晔华 摄"),
    ("▲市民观看灯光秀。记者 刘明远 摄", "▲市民观看灯光秀。", "记者 刘明远 摄"),
    ("10月9日，火箭点火升空。\u3000\u3000新华社记者 汪江波 摄", "10月9日，火箭点火升空。", "新华社记者 汪江波 摄"),
])
def test_a_caption_line_gives_its_credit_to_the_photo_byline(line, caption, credit):
    (item,) = _one(line + "\n")
    assert item["kind"] == "photo"
    assert item["paragraphs"] == [{"role": "caption", "zh": caption}]
    assert item["byline"]["zh"] == credit


def test_the_benchmark_prints_precision_and_recall_for_every_sample_page():
    proc = subprocess.run([sys.executable, "bench/layout_eval.py", "--synthetic", "5"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    rows = {line.split()[0]: line for line in proc.stdout.splitlines()[1:]}
    assert {p.name.split(".")[0] for p in GOLD_FILES} <= set(rows)
    assert "all sample pages" in proc.stdout


@pytest.mark.parametrize("text", ["", "\n\n  \n", "只有一行字", "（完）", "□", "本报讯", "图为", "1．", "【】", "——"])
def test_degenerate_pages_lose_nothing(text):
    assert coverage_errors(_page(text)) == []


# --- Generated pages: the invariant and the structure -----------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(st.randoms(use_true_random=False))
def test_generated_pages_lose_nothing(rng):
    text, _ = synthetic_page(rng)
    assert coverage_errors(_page(text)) == []


# Generated pages the labeller has not trained on (train.py draws its synthetic pages from seed 13): the structure
# of nearly all comes out exactly (the rules alone were exact on them; the labeller reads some lines of
# random-character text otherwise, e.g. a full stop at a line end as a column break). Trained on 109 hand-laid pages
# as well, it misses 8 of these 300 (3 with 73): two undashed stacked headline lines are kicker + main on these pages
# but as often main + subtitle on the hand-laid ones, and short lines of random text read as sub-headings or joins.
MIN_SYNTHETIC_EXACT = 0.96


def test_generated_pages_are_recovered_exactly():
    rng = random.Random(20261130)
    pages = [synthetic_page(rng) for _ in range(300)]
    wrong = [text for text, gold in pages if page_structure(_page(text)) != gold]
    assert len(wrong) <= (1 - MIN_SYNTHETIC_EXACT) * len(pages), wrong[:1]


NOISE = st.lists(st.sampled_from([
    "\n", "\n\n", " ", "\u3000", "。", "，", "！", "？", "“", "”", "（", "）", "【", "】", "□", "——", "本报讯", "本报北京10月9日电",
    "（记者 张三）", "记者 李四 摄", "图为", "▲", "（下转第二版）", "（上接第一版）", "（完）", "1．", "（一）", "第5版",
    "2022年10月10日 星期一", "责任编辑：王五", "【城事速递】", "标题", "新能源", "项目", "总投资", "756亿元", "|", "\r\n",
]), max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(NOISE, st.text(max_size=200)))
def test_any_text_loses_nothing(text):
    page = _page(text)
    assert coverage_errors(page) == []
    for art in page.articles:
        assert all(p.sentences for p in art.paragraphs), "every paragraph has text"


# --- The line labeller: a CRF over the page's lines (pipeline/layout/crf.py) ------------------------------------------

def test_retraining_gives_the_same_labels_on_the_samples(tmp_path):
    """`python -m pipeline.layout.train` is reproducible: a model trained now labels every sample line as the shipped
    one does (if this fails after the training data changed, retrain and commit pipeline/data/layout-crf.model)."""
    out = tmp_path / "layout-crf.model"
    train_main(["--out", str(out)])
    assert crf.model_path().is_file()
    for path in PAGES:
        text = path.read_text(encoding="utf-8")
        lines = label_lines(split_lines(text))
        assert crf.label_page(text, lines, out).labels == crf.label_page(text, lines).labels, path.name


@pytest.mark.parametrize("gold_path", GOLD_FILES, ids=lambda p: p.name.split(".")[0])
def test_gold_labels_build_the_gold_page(gold_path):
    """The labels are enough to say what a page is: building items from a gold page's line labels gives its gold."""
    gold = load_gold(gold_path)
    lines = label_lines(split_lines(gold["text"]))
    page = Page(text=gold["text"])
    page.items = build_items(gold["text"], lines, gold_line_labels(gold["text"], lines, gold["items"]))
    assert page_structure(page) == gold["items"]


def test_every_item_and_join_carries_a_confidence(seed_text):
    page = _page(seed_text)
    joins = [c for art in page.articles for p in art.paragraphs for c in p.column_break_confidence]
    assert len(joins) == 10 and all(0.5 < c <= 1 for c in joins)
    assert all(0 < item.confidence <= 1 for item in page.items)
    doc = article_json(page.articles[0], page, with_en=False)
    assert 0 < doc["confidence"] <= 1 and "column_break_confidence" in doc["paragraphs"][0]


def test_inspect_explain_names_the_label_the_rule_and_the_features(seed_text):
    result = CliRunner().invoke(app, ["inspect", str(SEED), "--explain"])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[:2]
    assert "furniture" in first[0] and "channel-label" in first[0] and "大众日报 客户端" in first[0]
    assert first[1].strip().startswith("because: ") and "rule=furniture" in first[1]


TRADITIONAL_PAGE = (
    "臺北市推動長照2.0 新增服務據點\n本報記者 陳美玲／臺北報導\n"
    "臺北市政府今天宣布，將在年底前新增三十處長照服務據點。市長表示，「照顧長輩是城市的責任。」\n"
    "據統計，臺北市六十五歲以上人口已超過百分之二十。\n"
    "高雄港貨櫃量創新高\n【本報高雄訊】高雄港務分公司今天公布，上月貨櫃裝卸量創下歷史新高。\n港務公司表示，將持續擴建碼頭。\n"
)


def test_a_traditional_page_with_a_taiwan_byline_and_a_bracketed_dateline():
    first, second = _one(TRADITIONAL_PAGE)
    assert first["headlines"] == [{"role": "main", "zh": "臺北市推動長照2.0 新增服務據點"}]
    assert first["byline"] == {"zh": "本報記者 陳美玲／臺北報導", "authors": ["陳美玲"]}
    assert len(first["paragraphs"]) == 2
    assert second["headlines"] == [{"role": "main", "zh": "高雄港貨櫃量創新高"}]
    assert second["dateline"] == "【本報高雄訊】"
    assert second["paragraphs"][0]["zh"].startswith("高雄港務分公司")


@pytest.mark.parametrize("text, check", [
    # A kicker that ends in ——, over the main headline.
    ("国际组织负责人和多国政要通过各种方式——\n高度评价中国抗疫成就\n本报记者 王浩\n多国政要表示，中国的经验值得借鉴。\n",
     lambda items: [h["role"] for h in items[0]["headlines"]] == ["kicker", "main"]),
    # A subtitle that starts with ——.
    ("黄河岸边的新村庄\n——宁夏移民搬迁见闻\n本报记者 李强\n记者来到黄河岸边的一个村庄，看到家家户户住上了新房。\n",
     lambda items: [h["role"] for h in items[0]["headlines"]] == ["main", "subtitle"]),
    # A column tag in brackets at the end of the headline.
    ("让更多人共享发展成果（人民时评）\n本报评论员\n发展的成果要由人民共享，这是我们的根本立场。\n",
     lambda items: items[0]["headlines"] == [{"role": "main", "zh": "让更多人共享发展成果（人民时评）"}]),
    # A closing quote, a column break, then the attribution: one paragraph.
    ("苹果丰收了\n本报记者 赵明\n“今年的苹果个头大、甜度高，收购价比去年高出两毛钱左右。”\n果农张德顺说。\n",
     lambda items: len(items[0]["paragraphs"]) == 1),
    # The end matter of a signed article belongs to it.
    ("中苏友谊历久弥新\n本报特约撰稿人 马新民\n两国人民的友谊源远流长，在新时代焕发出新的活力。\n（作者为中国驻苏丹大使）\n",
     lambda items: len(items) == 1 and items[0]["paragraphs"][-1]["zh"] == "（作者为中国驻苏丹大使）"),
    # An English last sentence that ends in `.` does not make the article truncated.
    ("一场国际会议\n本报记者 孙立\n会议发表声明称：We will work together.\n",
     lambda items: items[0]["truncated"] is False),
])
def test_conventions_of_real_papers(text, check):
    items = _one(text)
    assert check(items), items


# --- Conventions of real pages (issue #13) ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["毛  宁", "周杰", "梁思斌"])
def test_a_bare_name_under_a_headline_is_its_byline(name):
    text = (f"县城消费潜力怎样释放（人民时评）\n{name}\n"
            "今年以来，各地出台多项措施，推动县域商业体系建设，消费潜力持续释放。\n"
            "专家认为，县城消费仍有较大空间，需要进一步完善流通网络。\n")
    (art,) = _one(text)
    assert [h["zh"] for h in art["headlines"]] == ["县城消费潜力怎样释放（人民时评）"]
    assert art["byline"]["zh"] == name and art["byline"]["authors"] == [name.replace(" ", "")]
    assert len(art["paragraphs"]) == 2


def test_a_surname_word_under_a_kicker_is_not_a_byline():
    # `高考` starts with a common surname, but a headline follows it, not the text.
    items = _one("2022年6月7日 星期二\n高考\n考生今天走进考场\n本报记者 张三\n今年全国共有1193万人报名参加高考。\n")
    (art,) = [i for i in items if i["kind"] == "article"]
    assert art["byline"]["zh"] == "本报记者 张三"
    assert art["headlines"][-1]["zh"] == "考生今天走进考场"


def test_an_editors_note_goes_with_the_article_under_it_and_its_signature_ends_it():
    text = ("村里来了年轻人\n本报记者 张三\n编者按：基层是一切工作的落脚点。本报开设专栏，讲述基层干部群众\n"
            "的奋斗故事。\n——编 者\n清晨六点，村口的广场上已经热闹起来，几位年轻人正在搬运新到的货物。\n")
    (art,) = _one(text)
    assert [p["role"] for p in art["paragraphs"]] == ["body", "marker", "body"]
    assert art["paragraphs"][0]["zh"] == "编者按：基层是一切工作的落脚点。本报开设专栏，讲述基层干部群众|的奋斗故事。"


WEB_COPY = """大国经济的优势就是内部可循环。
我国具有全球最完整、规模最大的工业体系、强大的生产能力、完善的配套能力。
开放带来进步，封闭必然落后。
习近平总书记多次强调，中国开放的大门不会关闭，只会越开越大。
让一面面鲜艳的党旗在抗洪大堤上高高飘扬
近期我国南方受连续降雨影响，防汛抗洪形势十分严峻，造成重大人员伤亡和财产损失。
灾情就是命令，灾区就是战场，灾害面前，党旗就是战旗。
鲜艳的党旗在抗洪大堤上高高飘扬，是忠诚的体现，也是使命的担当。
"""


def test_on_web_copy_a_bare_line_whose_words_come_back_below_it_heads_the_next_document():
    items = _one(WEB_COPY)
    assert [[h["zh"] for h in i["headlines"]] for i in items] == [[], ["让一面面鲜艳的党旗在抗洪大堤上高高飘扬"]]


def test_on_web_copy_a_bare_line_that_goes_on_with_the_text_above_is_a_subheading():
    text = WEB_COPY.replace("让一面面鲜艳的党旗在抗洪大堤上高高飘扬", "对外开放的大门越开越大")
    items = _one(text)
    assert len(items) == 1 and "subheading" in [p["role"] for p in items[0]["paragraphs"]]


def test_a_roundup_city_line_standing_alone_heads_its_piece():
    text = ("多国疫情出现反弹——\n防控措施再度收紧\n本报记者 张三\n近期，多国新冠肺炎确诊病例数再度上升。\n"
            "以色列：防疫松懈引发担忧\n特拉维夫——\n以色列卫生部26日发布的数据显示，过去24小时新增确诊病例1000多例。\n")
    (art,) = _one(text)
    assert ("subheading", "特拉维夫——") in [(p["role"], p["zh"]) for p in art["paragraphs"]]
    assert art["paragraphs"][-1]["zh"].startswith("以色列卫生部26日")


def test_a_caption_over_two_column_lines_stays_one_caption_inside_the_article():
    items = _one("标题新闻\n本报记者 张三\n第一段正文写了一些内容，总投资达到了十二亿元。\n"
                 "图为10月9日，工人在项目现场施工，现场\n一片繁忙景象。\n本报记者 李四摄\n第二段正文，又写了一些内容。\n")
    (art,) = items
    assert [(p["role"], p["zh"]) for p in art["paragraphs"]] == [
        ("body", "第一段正文写了一些内容，总投资达到了十二亿元。"),
        ("caption", "图为10月9日，工人在项目现场施工，现场|一片繁忙景象。"),
        ("caption", "本报记者 李四摄"),
        ("body", "第二段正文，又写了一些内容。"),
    ]


def test_a_caption_over_two_column_lines_after_an_article_is_a_photo_of_its_own():
    items = _one("标题新闻\n本报记者 张三\n正文写完了。\n图为10月9日，工人在项目现场施工，现场\n一片繁忙景象。\n"
                 "本报记者 李四摄\n另一篇新闻的标题\n本报记者 王五\n另一篇新闻的正文。\n")
    assert [i["kind"] for i in items] == ["article", "photo", "article"]
    assert items[1]["paragraphs"] == [{"role": "caption", "zh": "图为10月9日，工人在项目现场施工，现场|一片繁忙景象。"}]
    assert items[1]["byline"]["zh"] == "本报记者 李四摄"


@pytest.mark.parametrize("first, dateline, byline, authors", [
    ("羊城晚报讯 记者王小明 通讯员李四报道：记者从广州市交通运输局获悉，今年暑运客流明显上升。",
     "羊城晚报讯", "记者王小明 通讯员李四报道：", ["王小明", "李四"]),
    ("【大公報訊】記者王明報道：香港今日天氣炎熱，市民紛紛前往海灘消暑。", "【大公報訊】", "記者王明報道：", ["王明"]),
    ("本报讯 记者商瑞报道：日前，天津大学团队取得重大进展。", "本报讯", "记者商瑞报道：", ["商瑞"]),  # WMT21 line 1810
])
def test_a_bare_credit_closed_by_a_colon_after_the_dateline_is_the_byline(first, dateline, byline, authors):
    (art,) = _one(f"暑运客流创新高\n{first}\n")
    assert (art["dateline"], art["byline"]["zh"], art["byline"]["authors"]) == (dateline, byline, authors)
    assert art["paragraphs"][0]["zh"] == first.split("：", 1)[1]


def test_a_graphic_credit_after_an_articles_last_paragraph_stays_with_the_article():
    items = _one("外贸稳中向好\n本报记者 张三\n上半年，我国货物贸易进出口总值同比增长。\n数据来源：海关总署\n制图：郭祥\n"
                 "另一篇新闻的标题\n本报记者 王五\n另一篇新闻的正文。\n")
    assert [i["kind"] for i in items] == ["article", "article"]
    assert items[0]["paragraphs"][-2:] == [{"role": "caption", "zh": "数据来源：海关总署"}, {"role": "caption", "zh": "制图：郭祥"}]


def test_bullet_points_under_a_headline_are_points_of_the_text_not_headlines():
    items = _one("2020年7月27日 星期一\n警方通报女大学生失联细节\n■一名女大学生前往青海旅游后失联\n"
                 "新华社西宁7月26日电（记者王金金）近日，一名女大学生失联一事引发关注。\n")
    (art,) = [i for i in items if i["kind"] == "article"]
    assert art["headlines"] == [{"role": "main", "zh": "警方通报女大学生失联细节"}]
    assert [p["zh"] for p in art["paragraphs"]] == ["■一名女大学生前往青海旅游后失联", "近日，一名女大学生失联一事引发关注。"]


def test_a_short_question_standing_alone_over_a_headline_is_its_kicker():
    items = _one("第一篇的标题\n本报记者 张三\n第一篇的正文写完了。\n新就业形态劳动者如何维权?\n"
                 "北京爱乐合唱团创始人杨鸿年逝世\n本报记者 李四\n第二篇正文。\n")
    assert [[(h["role"], h["zh"]) for h in i["headlines"]] for i in items] == [
        [("main", "第一篇的标题")], [("kicker", "新就业形态劳动者如何维权?"), ("main", "北京爱乐合唱团创始人杨鸿年逝世")]]


def test_the_line_after_a_dateline_set_on_a_line_of_its_own_opens_the_paragraph():
    (art,) = _one("钢铁巨头下调全年预期\n新华社布鲁塞尔7月26日电（记者姜波）\n据路透社报道，全球最大钢铁生产商安赛乐米塔尔\n"
                  "发布公告，下调全年钢材需求预期。\n")
    assert art["dateline"] == "新华社布鲁塞尔7月26日电" and art["byline"]["authors"] == ["姜波"]
    assert [p["zh"] for p in art["paragraphs"]] == ["据路透社报道，全球最大钢铁生产商安赛乐米塔尔|发布公告，下调全年钢材需求预期。"]


def test_a_charts_title_and_credits_after_an_articles_last_paragraph_stay_with_the_article():
    items = _one("外贸稳中向好\n本报记者 张三\n上半年，我国货物贸易进出口总值同比增长。\n以色列7月每日新增确诊病例\n"
                 "数据来源：以色列卫生部\n制图：郭祥\n另一篇新闻的标题\n本报记者 王五\n另一篇新闻的正文。\n")
    assert [i["kind"] for i in items] == ["article", "article"]
    assert [p["role"] for p in items[0]["paragraphs"]] == ["body", "caption", "caption", "caption"]


def test_an_original_title_under_a_reposted_storys_headline_is_its_subtitle():
    (art,) = _one("暑运客流创新高\n原标题：铁路暑运今日启动\n本报记者 王五\n今年暑运从7月1日开始，至8月31日结束。\n")
    assert [(h["role"], h["zh"]) for h in art["headlines"]] == [("main", "暑运客流创新高"), ("subtitle", "原标题：铁路暑运今日启动")]


@pytest.mark.parametrize("first, dateline, byline, authors, text", [
    ("本报讯 记者 王娟 通讯员 苏水轩 近日，全市新增就业岗位两万个。", "本报讯", "记者 王娟 通讯员 苏水轩", ["王娟", "苏水轩"],
     "近日，全市新增就业岗位两万个。"),
    ("南都讯 记者刘嫚 发自北京 国家卫健委今天通报疫情。", "南都讯", "记者刘嫚 发自北京", ["刘嫚"], "国家卫健委今天通报疫情。"),
    ("新华社北京7月26日电　新华社记者 王彦 国家统计局今天发布数据。", "新华社北京7月26日电", "新华社记者 王彦", ["王彦"],
     "国家统计局今天发布数据。"),
])
def test_a_spaced_credit_after_the_dateline_is_the_byline(first, dateline, byline, authors, text):
    (art,) = _one(f"暑运客流创新高\n{first}\n")
    assert (art["dateline"], art["byline"]["zh"], art["byline"]["authors"]) == (dateline, byline, authors)
    assert art["paragraphs"][0]["zh"] == text


def test_a_photographers_credit_in_brackets_at_a_captions_end_is_the_photos_byline():
    items = _one("标题新闻\n本报记者 张三\n正文写完了。\n市民在海滩消暑。（黃家輝攝）\n另一篇新闻的标题\n本报记者 王五\n另一篇新闻的正文。\n")
    (photo,) = [i for i in items if i["kind"] == "photo"]
    assert photo["byline"]["zh"] == "（黃家輝攝）" and photo["byline"]["authors"] == ["黃家輝"]


def test_a_roundup_piece_title_over_an_inline_city_lead_stays_in_the_roundup():
    # narrow columns: the pieces' titles and their city-led first lines look like stacked headlines
    text = ("多国疫情出现反弹\n本报驻以色列记者 张三\n近期，多国新冠肺炎确诊\n病例数再度上升。\n以色列防疫松懈\n引发担忧\n"
            "特拉维夫——以色列卫生\n部26日发布的数据显示，过\n去24小时新增确诊病例。\n意大利室内公共场所\n须戴口罩\n"
            "罗马——意大利坎帕尼亚\n大区政府25日颁布新的防\n疫法令。\n")
    (art,) = _one(text)
    assert [p["role"] for p in art["paragraphs"]] == ["body", "subheading", "subheading", "body", "subheading",
                                                      "subheading", "body"]


def test_a_dateline_the_rules_name_under_a_headline_opens_the_article_even_in_a_full_column_line():
    # WMT21 lines 359–361 and 1356–1357 laid out in a column of 22 (a page no set uses): the model alone, taught by
    # generated pages that set such lines as plain text, left the dateline in the paragraph
    text = ("2020年7月27日　星期一　第4版\n要闻\n压实责任　各部门强化防汛救灾工作\n"
            "　　央视网消息(新闻联播)：来自水利部的消息，\n今天(7月25日)12时，淮河干流王家坝以下\n"
            "河段超警戒水位0.64～3.31米，长江中下\n游干流沙市以下江段及两湖超警戒水位0.05～2.02\n米。\n"
            "　　太湖自6月28日超警戒水位以来，已持续28\n天。\n　　今天12时，太湖平均水位4.67米，超保\n证水位0.02米。\n"
            "（完）\n老挝越南人缅怀两国革命英烈\n本报驻老挝记者　孙广勇\n　　本报万象7月26日电　越南驻老挝大使馆公\n"
            "使衔参赞郑氏心、在老挝越南佛教协会、老挝越南\n人总会、万象省政府代表、老挝老兵协会等代表一\n同参加了祭奠仪式。\n"
            "　　英烈祭奠仪式在庄严肃穆的气氛中举行，各位\n代表陆续向英烈们上香，缅怀英烈们的丰功伟绩及\n")
    first, second = [i for i in _one(text) if i["kind"] == "article"]
    assert first["dateline"] == "央视网消息(新闻联播)："
    assert first["paragraphs"][0]["zh"].startswith("来自水利部的消息，")
    assert (second["dateline"], second["byline"]["authors"]) == ("本报万象7月26日电", ["孙广勇"])


# --- Fourth session: what dev cross-validation found on the generated and hand-laid pages ---------------------------

def test_the_first_pieces_title_right_under_a_roundups_headline_is_a_subheading():
    # the generated roundups set each piece's title over a city-led paragraph, the first one right under the headline
    # (in the dev gold, 18 of 18 such lines are sub-headings; the model read them as subtitles)
    text = ("06 国际\n多国人士积极评价——\n重庆33个区县出现暴雨\n一些医疗机构名称出现不规范\n"
            "新德里——近年来，一些医疗机构名称出现不规范、不适宜问题，对人民群众看病就医造成误导。\n"
            "湖南推进产业项目建设\n维也纳——盛夏的湖南，热浪扑面。\n")
    (art,) = [i for i in _one(text) if i["kind"] == "article"]
    assert [(h["role"], h["zh"]) for h in art["headlines"]] == [("kicker", "多国人士积极评价——"),
                                                                 ("main", "重庆33个区县出现暴雨")]
    assert [p["role"] for p in art["paragraphs"]] == ["subheading", "body", "subheading", "body"]


@pytest.mark.parametrize("text, roles", [
    # a ■ point after finished text is a point of the text (43 of 47 ■ lines in the dev gold are body text)
    ("旅游市场逐步回暖\n本报记者 张三\n暑期以来，旅游市场逐步回暖。\n■降雨将再次光临京城\n记者从市气象台获悉，今天有雨。\n",
     ["body", "body", "body"]),
    # the first line of a paragraph that breaks a word with the next line (`召` | `开`) is no sub-heading
    ("新疆疫情防控持续推进\n本报记者 张三\n乌鲁木齐市全面开展核酸检测。\n新疆维吾尔自治区新闻办公室26日召\n"
     "开新闻发布会，通报最新疫情。\n", ["body", "body"]),
    # a heading led by its topic and a colon is a sub-heading all the same
    ("多国遭遇强降雨\n本报记者 张三\n近日，多国遭遇强降雨。\n美国：飓风“汉娜”登陆得州\n综合外媒报道，飓风“汉娜”登陆美国得克萨斯州。\n",
     ["body", "subheading", "body"]),
])
def test_lines_between_finished_paragraphs(text, roles):
    (art,) = _one(text)
    assert [p["role"] for p in art["paragraphs"]] == roles


@pytest.mark.parametrize("first, dateline, text", [
    # a news outlet's app names the copy's source: a dateline
    ("据央视新闻客户端消息，国家网信办等四部门近日启动治理工作。", "据央视新闻客户端消息，", "国家网信办等四部门近日启动治理工作。"),
    # a government body's channel is the first sentence's source: the sentence keeps it
    ("据江苏省卫健委官方微博消息，7月25日0-24时，江苏无新增确诊病例。", None,
     "据江苏省卫健委官方微博消息，7月25日0-24时，江苏无新增确诊病例。"),
    ("据国家卫生健康委员会消息，7月25日0—24时，新增确诊病例46例。", None, "据国家卫生健康委员会消息，7月25日0—24时，新增确诊病例46例。"),
])
def test_a_story_rewritten_from_another_report(first, dateline, text):
    (art,) = _one(f"疫情通报\n本报记者 张三\n{first}\n")
    assert art["dateline"] == dateline and art["paragraphs"][0]["zh"] == text


@pytest.mark.parametrize("text", ["疫情通报\n据江苏省卫健委官方微博消息，7月25日0-24时，江苏无新增确诊病例。\n",
                                  "乡村振兴人才是关键\n乡村振兴，人才是关键。\n据统计，今年返乡创业人员超过一千万人。\n"])
def test_a_story_pasted_on_its_own_keeps_its_title(text):
    (art,) = _one(text)
    assert art["headlines"] == [{"role": "main", "zh": text.split("\n")[0]}]


def test_a_page_or_section_name_on_its_own_line_is_furniture_and_a_columns_name_stays_a_kicker():
    text = ("2020年7月27日　星期一\n要闻\n今日谈\n雨天出行，安全第一\n本报评论员\n连日降雨，出行安全尤为重要。\n"
            "国际短讯\n德国一小型飞机撞向民宅\n新华社柏林7月26日电　德国西部一架小型飞机26日撞向民宅。\n")
    items = _one(text)
    assert [i["zh"] for i in items if i["kind"] == "other"] == ["2020年7月27日　星期一", "要闻", "国际短讯"]
    arts = [i for i in items if i["kind"] == "article"]
    assert [[(h["role"], h["zh"]) for h in a["headlines"]] for a in arts] == [
        [("kicker", "今日谈"), ("main", "雨天出行，安全第一")], [("main", "德国一小型飞机撞向民宅")]]


# --- Fifth session: furniture, signatures and the rules' weight against the model --------------------------------------

@pytest.mark.parametrize("line", [
    "今日12版　第1版",  # the day's page count under the masthead
    "2020-07-26　第0726-C期　国际·港澳台·国内",  # a wire's issue line
    "广州日报　2020.7.27　星期一　A6",  # a running head with a dotted date
    "文化·健康　编辑：梁　诗　校对：陈　晴",  # the page's name and its editors
    "扫码看视频",  # a QR code's prompt
])
def test_page_furniture_over_a_stacked_headline_is_furniture_not_a_kicker(line):
    text = f"{line}\n《中国医生》筹拍　致敬抗疫英雄\n本报记者 张三\n近日，电影《中国医生》在广州举行座谈会。\n"
    items = _one(text)
    assert [i["zh"] for i in items if i["kind"] == "other"] == [line]
    (art,) = [i for i in items if i["kind"] == "article"]
    assert art["headlines"] == [{"role": "main", "zh": "《中国医生》筹拍　致敬抗疫英雄"}]


def test_a_qr_prompt_after_an_articles_end_opens_no_article():
    text = ("名称里带“协和”　查！\n本报记者 张三\n近日，鹤岗市开展专项整治。\n扫码看视频\n"
            "学生在开放球场受伤\n本报讯（记者 李四）文先生带小文去医院治疗。\n")
    items = _one(text)
    assert [i["kind"] for i in items] == ["article", "other", "article"]


def test_two_agencies_in_brackets_after_the_text_credit_the_story_and_open_nothing():
    text = ("德国一小型飞机撞向民宅\n新华社柏林7月26日电　德国杜伊斯堡一架小型飞机周六撞向民居，造成三人死亡。\n"
            "伤亡人员中无中国公民。\n（法新社／路透社）\n")
    (art,) = _one(text)  # the credit is the story's end matter (or its byline): no item of its own
    assert "（法新社／路透社）" in [art["byline"] and art["byline"]["zh"], *(p["zh"] for p in art["paragraphs"])]


def test_the_pieces_of_a_roundup_each_signed_after_its_text_stay_one_article():
    # 法治日报's roundup: each region's piece under its place name, signed by its reporters after the text
    text = ("守护群众安全　整治出实招\n——各地依法开展专项治理工作综述\n今年以来，黑龙江省公安交管部门持续整治酒驾醉\n"
            "驾违法犯罪行为，“喝酒不开车”成为社会共识。\n黑龙江鹤岗\n近日，鹤岗市交警在服务站执勤时，一驾驶人见有\n"
            "交警执勤，扔下车就跑，执勤警察迅速追赶将其抓\n获。\n本报记者　张冲　通讯员　刘　辉\n广东深圳\n"
            "在未成年人身心健康方面，征求意见稿提出，禁止\n向未成年人销售酒精饮料，对违反规定的，将由市\n"
            "场监督管理部门责令改正。\n本报记者　李　飞\n")
    (art,) = _one(text)
    assert art["byline"] is None
    assert [p["role"] for p in art["paragraphs"]] == ["body", "subheading", "body", "marker", "subheading", "body",
                                                      "marker"]


def test_one_signature_after_the_text_is_the_articles_byline():
    text = "德国一小型飞机撞向民宅\n德国西部一架小型飞机26日撞向民宅，造成三人死亡。\n新华社记者 周文冲\n（完）\n"
    (art,) = _one(text)
    assert art["byline"]["zh"] == "新华社记者 周文冲"


def test_a_speakers_attribution_after_a_quote_goes_on_its_paragraph_with_the_text_after_it():
    # in the dev gold, 36 of 36 lines that open with `X说。`/`X指出。` right after a quote closing a sentence go on
    text = ("多部门联合整治违规收集个人信息\n本报记者 张三\n工信部昨日通报了58款存在问题的APP，并要求企\n"
            "业限期整改。“对拒不整改的，将依法处置。”\n工信部通报指出。这58款APP存在的问题包括私自\n"
            "收集个人信息、超范围收集个人信息等。\n")
    (art,) = _one(text)
    assert len(art["paragraphs"]) == 1


def test_an_editors_signature_after_the_text_is_no_kicker_of_the_next_story():
    # the stacked-headline rule named `（乔　颖）【新华社微特稿】` a kicker, a label the model all but ruled out
    text = ("英国王室新书引发关注\n新华社微特稿　据英国媒体26日报道，一本有关哈利王子夫妇的新书即将出版。\n"
            "报道说，这对夫妇是英国最受瞩目的名人夫妻档之一。\n（乔　颖）【新华社微特稿】\n美国多地高温创纪录\n"
            "新华社微特稿　美国国家气象局26日说，美国东部多地气温创下历史同期最高纪录。\n")
    first, second = _one(text)
    assert second["headlines"] == [{"role": "main", "zh": "美国多地高温创纪录"}]
    assert first["paragraphs"][-1]["zh"] == "（乔　颖）【新华社微特稿】"


def test_a_page_of_one_line_paragraphs_marks_the_lines_that_end_no_sentence():
    web = "西班牙旅游业期待复苏\n" + "旅游业是西班牙的重要支柱产业，疫情对其打击很大。\n" * 3
    column = "西班牙旅游业期待复苏\n旅游业是西班牙的重要支柱产\n业，疫情对其打击很大。旅游\n业是西班牙的重要支柱产业。\n"
    for text, marked in ((web, True), (column, False)):
        lines = label_lines(split_lines(text))
        feats = page_features(text, lines, rule_labels(lines))
        assert ("one_line_paragraphs&open" in feats[0]) is marked
        assert ("one_line_paragraphs&closed" in feats[1]) is marked


def test_on_a_page_that_indents_its_paragraphs_a_flush_line_after_a_full_stop_goes_on():
    # 光明日报's interview page breaks its lines at no fixed width; only the indent marks a paragraph's first line
    text = ("谍战剧老面孔柳云龙演一个结巴\n本报记者  杜  羽\n　　40集谍战大戏《胜算》将于7月16日起登陆北京卫视。\n"
            "以“谍战剧”为观众熟知的演员柳云龙在剧中突破形象，挑战了一个结巴。\n"
            "　　近几年，《伪装者》《面具》《风筝》等剧的走红，都说明谍战剧拥有稳定的观众群。\n"
            "　　问：很多谍战剧里，男主角一出场就是帅气、高智商的形象，您为什么反其道而行之？\n"
            "　　答：间谍应该是那种放人堆儿里根本找不着的人。\n如果一出场就很装很帅，恨不得所有人都注意到他，那就不是间谍了。\n")
    (art,) = _one(text)
    assert [p["zh"][:4] for p in art["paragraphs"]] == ["40集谍", "近几年，", "问：很多", "答：间谍"]


def test_on_a_page_that_indents_its_paragraphs_an_indented_line_opens_one():
    # none of the 2,391 indented lines of such dev-gold pages goes on the line above, however short that line is
    text = ("各地依法整治酒驾醉驾\n　　今年以来，各地持续整治酒驾醉驾违法犯罪行为。\n　　黑龙江鹤岗\n"
            "　　近日，鹤岗市交警在服务站执勤时，一驾驶人见有交警执勤，扔下车就跑。\n本报记者　张　冲\n　　广东深圳\n"
            "　　深圳征求意见稿提出，禁止向未成年人销售酒精饮料，违者将由市场监督管理部门责令改正。\n本报记者　李　飞\n")
    (art,) = _one(text)
    assert "广东深圳" in [p["zh"] for p in art["paragraphs"]]


def test_a_bracketed_reporter_and_place_alone_on_its_line_is_the_dateline():
    # 自由時報 sets `〔記者X／Y報導〕` (here 【】) at a story's start; alone on its line it is still the dateline, not a
    # byline (25 of 25 such lines in the dev gold are datelines); the credit rules had taken it
    text = ("2020年7月26日 星期日\n颱風來襲 高雄嚴陣以待\n【記者賀悅娟／高雄報導】\n"
            "颱風今天清晨登陸，高雄市政府已經成立災害應變中心，呼籲民眾做好防颱準備。\n市府表示，目前已撤離低窪地區居民一百多人。\n")
    (art,) = [item for item in _one(text) if item["kind"] == "article"]
    assert art["dateline"] == "【記者賀悅娟／高雄報導】"
    assert [p["zh"][:4] for p in art["paragraphs"]] == ["颱風今天", "市府表示"]


def test_a_pictured_caption_inside_an_articles_text_stays_a_caption():
    # a source's photo caption set between two paragraphs, with no credit near it (177 of 178 lines that open with
    # 图为 in the gold are captions)
    text = ("青海蜂产品走进北京\n本报记者 王海\n近日，北京一家企业与青海蜂农签订协议，带动当地蜂农增收，"
            "直播带货总额近380万元。\n图为蜂农现场展示蜂产品。\n今年以来，青海当地蜂产业发展迅速，蜂农收入稳步提高。\n")
    (art,) = _one(text)
    assert [p["role"] for p in art["paragraphs"]] == ["body", "caption", "body"]
    # the rule holds against a model that reads the line as body text (as the models of document-held-out CV folds
    # did, giving the caption label under RULE_MIN_MARGINAL), however full the line
    lines = label_lines(split_lines(text))
    rules = rule_labels(lines)
    t = next(i for i, line in enumerate(lines) if line.norm.startswith("图为"))
    labels = [LineKind.BODY if i == t else lab for i, lab in enumerate(rules)]
    feats = page_features(text, lines, rules)
    feats[t]["width=full"] = 1.0
    assert crf._held(t, LineKind.CAPTION, lines, labels, feats, rules) == math.inf


def test_the_same_indent_before_every_line_changes_no_feature():
    # an indent is whitespace beyond what every line starts with: a page pasted with every line indented reads as
    # the page itself (before, such a page had a style feature of its own, learned from one training page)
    text = (SAMPLES / "xinhua-2022-10-09-wire.txt").read_text(encoding="utf-8")
    shifted = re.sub(r"(?m)^(?=[^\r\n])", "\u3000\u3000", text)
    feats = [page_features(t, lines, rule_labels(lines)) for t in (text, shifted) for lines in [label_lines(split_lines(t))]]
    assert feats[0] == feats[1]


def test_a_byline_after_a_dateline_line_that_carries_its_reporter_loses_nothing():
    # found by test_generated_pages_lose_nothing on a synthetic page: the dateline's paragraph, closed by the byline
    # line, gave the article the reporter credit it carries, and the byline then replaced it
    text = "济南出台新措施\n本报济南9月14日讯（记者 王的）\n本报记者 李四\n记者从济南市政府获悉，济南近日出台多项措施支持企业发展。\n"
    page = _page(text)
    assert coverage_errors(page) == []
    bylines = [item["byline"]["zh"] for item in page_structure(page) if item["byline"]]
    assert bylines == ["（记者 王的）", "本报记者 李四"]


def test_a_bullet_line_under_an_unfinished_line_opens_its_own_paragraph():
    # none of the 175 bullet lines of the gold goes on the line above, whatever the line above ends with
    text = ("京城文化场所陆续恢复开放\n本报记者 王海\n北京市文化和旅游局近日发布通知，\n演出场所可以有序恢复营业\n"
            "■京演集团线上演出品牌也将上线\n■中国杂技团将推出三部全新剧目\n")
    lines = label_lines(split_lines(text))
    labels = [LineKind.HEADLINE, LineKind.BYLINE, LineKind.BODY, LineKind.CONTINUATION, LineKind.CONTINUATION,
              LineKind.CONTINUATION]
    crf._headings_in_order(lines, labels)
    assert labels[3:] == [LineKind.CONTINUATION, LineKind.BODY, LineKind.BODY]


_TITLE = "线下精简“云”热烈 上海国际电影节透出不一般的产业信心"
_TITLE_AGAIN = "线下精简“云上”热烈，上海国际电影节透出不一般的产业信心"
_DISPATCH = "本报上海讯 昨天，在严格防疫措施背景下举办的电影节开幕。"
_STACK = ["暑运防汛各部门坚守岗位", "铁路部门累计出动检查人员28万余人次"]
_LEAD_IN = ["北京发布暴雨预警", "本报记者 王海", "有关部门提醒市民注意以下几点：", "一是尽量减少外出。"]


def _headings_after_model(page: list[str], model: list[str]) -> list[str]:
    """The labels that crf._headings_in_order makes of a page's lines, as the model labelled them."""
    lines = label_lines(split_lines("\n".join(page) + "\n"))
    labels = [LineKind(m) for m in model]
    crf._headings_in_order(lines, labels)
    return [lab.value for lab in labels]


@pytest.mark.parametrize("page, model, expected", [
    # The article's title printed again under it (web copy's second title) opens no article: none of the gold's
    # headlines and kickers repeats the heading above it with only header lines between; of the 65 lines that do, 39
    # are sub-headings, 3 subtitles and the rest text. Under the byline the model read it as the next headline; right
    # under the title, as kicker and headline.
    pytest.param([_TITLE, "□记者 戴远飞 报道", _TITLE_AGAIN, _DISPATCH], ["headline", "byline", "headline", "dateline"],
                 ["headline", "byline", "subheading", "dateline"], id="title-again-under-byline"),
    pytest.param([_TITLE, _TITLE_AGAIN, _DISPATCH], ["kicker", "headline", "dateline"],
                 ["headline", "subheading", "dateline"], id="title-again-under-title"),
    # A list's lead-in ending in `：` under text is text: none of the 68 such lines of the gold is a heading; under a
    # finished sentence they open a paragraph (37 of 37), under an open line they go on it (15 of 16).
    pytest.param(_LEAD_IN[:2] + ["记者从北京市应急管理局获悉，暴雨天气将持续到周末。"] + _LEAD_IN[2:],
                 ["headline", "byline", "body", "subheading", "body"], ["headline", "byline", "body", "body", "body"],
                 id="lead-in-after-sentence"),
    pytest.param(_LEAD_IN[:2] + ["记者从北京市应急管理局获悉，暴雨天气将持续到周末，"] + _LEAD_IN[2:],
                 ["headline", "byline", "body", "subheading", "body"],
                 ["headline", "byline", "body", "continuation", "body"], id="lead-in-after-open-line"),
    # A line that runs into the headline with a dash is its kicker: 131 of the 133 lines of the gold that end with
    # `——` (no roundup's city line) are kickers, each over a headline.
    pytest.param(["国际组织负责人和多国政要通过各种方式——", "支持中国对美反制", "新华社北京7月26日电 国际社会对此高度关注。"],
                 ["headline", "subtitle", "dateline"], ["kicker", "headline", "dateline"], id="dash-kicker-over-subtitle"),
    pytest.param(["国际组织负责人和多国政要通过各种方式——", "支持中国对美反制", "新华社北京7月26日电 国际社会对此高度关注。"],
                 ["headline", "body", "dateline"], ["kicker", "headline", "dateline"], id="dash-kicker-over-text"),
    # Two heading lines standing alone, the shorter above: kicker and headline (251 of 266 such pairs in the gold).
    # The longer over the shorter, a pair under a third heading line, or a subtitle that opens with a dash is left as
    # the model read it.
    pytest.param(_STACK + [_DISPATCH], ["headline", "subtitle", "body"], ["kicker", "headline", "body"],
                 id="stack-shorter-above"),
    pytest.param(_STACK[::-1] + [_DISPATCH], ["headline", "subtitle", "body"], ["headline", "subtitle", "body"],
                 id="stack-longer-above"),
    pytest.param(["防汛一线"] + _STACK + [_DISPATCH], ["kicker", "headline", "subtitle", "body"],
                 ["kicker", "headline", "subtitle", "body"], id="stack-of-three"),
    pytest.param([_STACK[0], "——" + _STACK[1], _DISPATCH], ["headline", "subtitle", "body"],
                 ["headline", "subtitle", "body"], id="stack-dashed-subtitle"),
    # A roundup's city line standing alone heads a piece of the roundup (8 of 8 in the gold); a fold model read
    # `罗马——` as a kicker.
    pytest.param(["意大利：室内公共场所须戴口罩", "罗马——", "新法令规定，坎帕尼亚大区自即日起室内公共场所必须戴口罩。"],
                 ["subheading", "kicker", "body"], ["subheading", "subheading", "body"], id="city-line"),
    # A correction notice after an article is an item of its own: 4 of the 4 `更正` lines in the hand-laid gold head
    # their own item; the sub-heading rule had made them sub-headings of the article above.
    *(pytest.param(["毕业生艺术展搬进商场", "在各大院校“云毕业”的季节里，一场展览开幕。", title,
                    "本报7月25日A6版一文中的数字有误，特此更正。"], ["headline", "body", "subheading", "body"],
                   ["headline", "body", "headline", "body"], id=f"notice-{len(title)}") for title in ("更正", "更　正")),
    # A column of briefs named in brackets heads no story: 3 of 3 in the hand-laid gold are furniture; a fold model
    # read `【中国短讯】` as the kicker of the brief under it.
    *(pytest.param(["促进区域协调发展具有重要意义。", tag, "福建增1宗境外输入病例", "福建省卫健委26日上午通报最新疫情。"],
                   ["body", "kicker", "headline", "body"], ["body", "furniture", "headline", "body"], id=f"briefs-{tag}")
      for tag in ("【中国短讯】", "【财经快讯】")),
    # A photo page's `组图` label over a set of photos is furniture: 10 of 10 in the gold; the document-held-out
    # folds kept it as a kicker and so started the photo item a line early.
    pytest.param(["16 视觉", "组图　", "今年前两个月", "今年前两个月，调查失业率有所上升。", "记者 何昊 摄"],
                 ["furniture", "kicker", "headline", "caption", "credit"],
                 ["furniture", "furniture", "headline", "caption", "credit"], id="photo-set"),
    # A wire's title line (`…电 题：…`) is the story's headline, not its dateline (2 of 2 in the gold); the fold
    # models read it as a dateline and joined the text under it.
    pytest.param(["新华社合肥7月26日电 题：舍小家为大家——安徽合肥蒋口河联圩群众转移直击",
                  "“我们的家就在这里，舍不得走啊。”7月25日，村民们在撤离前回望自家的房屋。"],
                 ["dateline", "continuation"], ["headline", "body"], id="wire-title"),
    # A headline that ends with its column's tag is a headline, long as it is (108 of 108 in the gold); the fold
    # models read two between stories as body text. A bracket that is no column's name is left as read.
    pytest.param(["此前，博索纳罗一直在总统官邸隔离办公。", "内蒙古阿荣旗4名学生溺水身亡 官方：该事件敲响警钟（人民时评）",
                  "25日晚间，记者从内蒙古自治区", "呼伦贝尔市阿荣旗政府获悉，当地4名学生因溺水不幸身亡。"],
                 ["body", "body", "continuation", "continuation"], ["body", "headline", "body", "continuation"],
                 id="column-tag"),
    pytest.param(["此前，博索纳罗一直在总统官邸隔离办公。", "该剧讲述了潜伏在日伪警察局的中共地下党员唐飞(柳云龙饰)",
                  "联合苏联特工，刺杀日本特工头目，粉碎了日军的阴谋。"],
                 ["body", "body", "continuation"], ["body", "body", "continuation"], id="bracket-no-column"),
])
def test_heading_rules_after_the_model(page, model, expected):
    assert _headings_after_model(page, model) == expected


@pytest.mark.parametrize("model, expected", [
    # one paragraph between a headline and a photo credit is the photo's caption (149 of 149 in the gold)
    (["headline", "body", "continuation", "credit"], ["headline", "caption", "continuation", "credit"]),
    # two paragraphs there are left as the model read them (an article may end with its photo's credit)
    (["headline", "body", "body", "credit"], ["headline", "body", "body", "credit"]),
])
def test_one_paragraph_between_a_headline_and_a_photo_credit_is_its_caption(model, expected):
    text = "暑运客流回升\n7月26日，天津站进站口，旅客排队测温、\n扫码，有序进站。\n本报记者　周　鹏　摄\n"
    lines = label_lines(split_lines(text))
    labels = [LineKind(m) for m in model]
    crf._captions_over_credits(lines, labels)
    assert [lab.value for lab in labels] == expected


@pytest.mark.parametrize("confidence, rule, weight, held, yields", [
    # an unsure model yields to a heading the model finds possible, not to one it all but rules out
    (0.3, LineKind.HEADLINE, 0.05, 0.0, True),
    (0.3, LineKind.HEADLINE, 0.01, 0.0, False),
    # a sure model stands against the rules' label unless a hold says otherwise
    (0.9, LineKind.HEADLINE, 0.09, 0.0, False),
    # join decisions keep their holds, whatever marginal the model gives the join
    (0.3, LineKind.BODY, 0.001, 0.0, True),
    (0.99, LineKind.CONTINUATION, 0.001, crf.MIDWORD_JOIN_HOLD, True),
    (0.999, LineKind.CAPTION, 0.0, math.inf, True),
])
def test_the_model_yields_to_the_rules_only_where_it_is_unsure_and_the_rules_label_is_possible(
        confidence, rule, weight, held, yields):
    assert crf._yields(confidence, rule, weight, held) is yields


@pytest.mark.parametrize("heading, below, expected", [
    # the text under the heading goes on with the story above it: a sub-heading (a hand-laid page's, read as a headline)
    ("特效镜头占比高达80%", "影片总投资近3亿元，全片特效镜头占比高达80%。可以想见，特效成为《征途》最大的看点。", "subheading"),
    # a brief on another subject: its own story
    ("波兰拟退出反家暴公约", "法律与公正党长久以来抱怨伊斯坦布尔公约，称其侵犯家长权利。", "headline"),
])
def test_a_headline_whose_text_goes_on_with_the_story_above_is_a_sub_heading(heading, below, expected):
    above = "电影《征途》将于7月24日上线，影片特效镜头由打造《流浪地球》的特效团队负责，《征途》选择架空时代来搭建故事背景。"
    text = f"{above}\n{heading}\n{below}\n"
    lines = label_lines(split_lines(text))
    labels = [LineKind.BODY, LineKind.HEADLINE, LineKind.BODY]
    crf._same_story_headings(lines, labels)
    assert labels[1].value == expected




def _model_labels(text: str, model: list[str]):
    """The lines of a page, the labels given as the model's, and the shipped model's tagger set on the page."""
    import pycrfsuite

    lines = label_lines(split_lines(text))
    feats = page_features(text, lines, rule_labels(lines))
    tag = crf.tagger()
    assert tag is not None
    tag.set(pycrfsuite.ItemSequence(feats))
    return lines, [LineKind(m) for m in model], feats, tag


@pytest.mark.parametrize("above, item, expected", [
    # an `一是…` item under its lead-in, and the next item under an item with no stop: each opens a paragraph
    ("有关部门提醒市民注意以下几点：", "一是展示了一段热血沸腾的放肆逐梦之旅", "body"),
    ("一是展示了一段热血沸腾的放肆逐梦之旅", "二是不仅呈现了国际化的效果", "body"),
    # after an item that ends with a clause mark the items may run on in one paragraph: left to the model
    ("一是京演集团线上演出品牌也将上线；", "二是中国杂技团将推出三部新剧目。", "continuation"),
    # a line that opens with 是 after a numeral is no item: `…一` | `是…` stays as read
    ("影片讲述了落魄拳手维纳斯重返拳台的故事，这", "是一部热血励志的电影。", "continuation"),
], ids=["after-lead-in", "after-item", "after-semicolon", "no-item"])
def test_a_list_item_opens_a_paragraph(above, item, expected):
    text = f"网络电影《绝地出击》上映\n{above}\n{item}\n"
    lines, labels, _, tag = _model_labels(text, ["headline", "body", "continuation"])
    crf._list_items_open(lines, labels, [1.0] * len(lines), tag)
    assert labels[2].value == expected


@pytest.mark.parametrize("dateline, model, expected", [
    # a dateline that fills its line alone under the headline: the line under it opens the text (162 of 163 in the
    # gold); the document-held-out folds joined it to the dateline, up to 1.00 sure
    ("【記者李華／高雄報導】", ["headline", "dateline", "continuation"], ["headline", "dateline", "body"]),
    ("本报讯(记者 顾东娜 通讯员 贺俊)", ["headline", "dateline", "continuation"], ["headline", "dateline", "body"]),
    # a dateline line that runs on into the text: the model's join stands
    ("本报讯(记者 顾东娜)26日下午，有外媒", ["headline", "dateline", "continuation"],
     ["headline", "dateline", "continuation"]),
    # under a sub-heading a dispatch may be a roundup piece's text running on: left to the model
    ("本报雅加达7月26日电　（记者韦　宁）", ["subheading", "dateline", "continuation"],
     ["subheading", "dateline", "continuation"]),
], ids=["taiwan-alone", "bracketed-alone", "runs-on", "under-subheading"])
def test_the_line_under_a_dateline_alone_opens_the_text(dateline, model, expected):
    text = f"乡村振兴人才是关键\n{dateline}\n报道称，印度首都新德里的疫情正在缓和。\n"
    lines, labels, _, tag = _model_labels(text, model)
    crf._text_under_dateline_alone(lines, labels, [1.0] * len(lines), tag)
    assert [lab.value for lab in labels] == expected


def _hold(text: str, t: int, rule: LineKind, labels: list[LineKind]) -> float:
    """The hold crf._held gives line t of `text` (which the rules must label `rule`) against the model's `labels`."""
    lines = label_lines(split_lines(text))
    rules = rule_labels(lines)
    assert rules[t] == rule
    return crf._held(t, rule, lines, labels, page_features(text, lines, rules), rules)


@pytest.mark.parametrize("above, held", [
    # an editor's note stands between the headings and the dateline: the dateline opens the article's text, held as
    # under a headline (12 of 12 such lines in the gold); a document-held-out CV fold read one as body text
    ("编者按：如何让群众的获得感成色更足？本期邀请", crf.DATELINE_OPENING_HOLD),
    # after a paragraph of the story's text a line opening with a dispatch is left to the model
    ("报道称，印度首都新德里的疫情正在缓和，多地", 0.0),
], ids=["after-note", "after-text"])
def test_a_dateline_after_an_editors_note_is_held(above, held):
    text = f"乡村振兴人才是关键\n{above}\n几位一线工作者谈谈他们的做法。\n中新网7月26日电　　综合外媒报道，当地时间\n"
    labels = [LineKind.HEADLINE, LineKind.NOTE if above.startswith("编者按") else LineKind.BODY,
              LineKind.CONTINUATION, LineKind.BODY]
    assert _hold(text, 3, LineKind.DATELINE, labels) == held


def test_the_line_under_a_dateline_alone_after_an_editors_note_opens_the_text():
    text = ("乡村振兴人才是关键\n编者按：本版今起推出系列报道，展现各地的新举措新成效。\n"
            "新华社北京7月26日电(记者胡璐)\n报道称，印度首都新德里的疫情正在缓和。\n")
    lines, labels, _, tag = _model_labels(text, ["headline", "note", "dateline", "continuation"])
    crf._text_under_dateline_alone(lines, labels, [1.0] * len(lines), tag)
    assert [lab.value for lab in labels] == ["headline", "note", "dateline", "body"]


_BRIEF_ABOVE = ("波音737客机发动机存熄火隐患\n联邦航空局局长史蒂夫·迪克森6月承认，\n就737MAX客机，联邦航空局在对波音的监\n"
                "管上「犯了错」。\n")


@pytest.mark.parametrize("heading, below, label", [
    # a brief's headline between two briefs (a Hong Kong business page): nothing of the story above comes back
    ("特朗普：中美贸易协议意义已不如前", "美国总统特朗普虽在年初吹嘘自己在首阶段协议中取得的成就，但近来态度改变。",
     "headline"),
    # the story goes on under its sub-heading: its words come back
    ("联邦航空局要求检查发动机", "联邦航空局要求航空公司检查波音737客机的发动机，以防熄火隐患。", "subheading"),
    # a region's piece of a roundup, led by a place
    ("美国：飓风“汉娜”登陆得州", "综合外媒报道，飓风“汉娜”25日登陆美国得克萨斯州。", "subheading"),
    # too short to tell: a region's name over its piece
    ("香港", "香港特区政府25日宣布收紧防疫措施，餐厅全日禁止堂食。", "subheading"),
    # a roundup piece's city line under it
    ("特朗普态度改变", "华盛顿——美国总统特朗普虽在年初吹嘘自己在首阶段协议中取得的成就。", "subheading"),
], ids=["new-brief", "same-story", "place-led", "short", "city-line"])
def test_a_sub_heading_over_another_story_heads_it(heading, below, label):
    text = f"{_BRIEF_ABOVE}{heading}\n{below}\n"
    lines = label_lines(split_lines(text))
    labels = [LineKind.HEADLINE, LineKind.BODY, LineKind.CONTINUATION, LineKind.CONTINUATION, LineKind.SUBHEADING,
              LineKind.BODY]
    crf._new_story_headings(lines, labels)
    assert labels[4].value == label


@pytest.mark.parametrize("above, held", [
    # a byline under a headline's ■ points: held against the model, even where it fills the column (40 of 40 in the
    # gold); a document-held-out CV fold joined one to the point above it
    ("■在疫情反复时首要的是严防输入个案", crf.BYLINE_UNDER_POINTS_HOLD),
    # under a line of text it is left to the model
    ("香港特区政府财政司司长陈茂波表示，", 0.0),
], ids=["under-point", "under-text"])
def test_a_byline_under_a_headlines_points_is_held(above, held):
    text = (f"陈茂波：香港经济受疫情打击\n{above}\n经济日报记者 王丽  石晨  孟娟艳\n"
            "香港特区政府财政司司长陈茂波26日表\n示，香港正面对新一波的新冠肺炎疫情。\n")
    labels = [LineKind.HEADLINE, LineKind.BODY, LineKind.CONTINUATION, LineKind.CONTINUATION, LineKind.CONTINUATION]
    assert _hold(text, 2, LineKind.BYLINE, labels) == held


@pytest.mark.parametrize("candidate, below, held", [
    # on a page that indents its paragraphs, an indented short line over a flush one is a paragraph's first line
    # going on over a column break, not a sub-heading: no hold (in the gold, 0 of 189 such lines are sub-headings)
    ("　　影片《吉祥如意》是大鹏导演的第一部现实", "题材作品，也是他与金爵奖的二度结缘。", 0.0),
    # a flush short line over an indented one keeps the sub-heading's hold
    ("影片《吉祥如意》入围金爵奖", "　　这是大鹏导演的第一部现实题材作品，也是他与金爵奖的二度结缘。", math.inf),
], ids=["indented-over-flush", "flush-over-indented"])
def test_the_sub_heading_hold_needs_an_indented_line_under_it_on_a_page_that_indents(candidate, below, held):
    text = ("大鹏导演《吉祥如意》入围金爵奖\n　　第二十三届上海国际电影节公布了金爵奖入选影片名单。\n"
            f"{candidate}\n{below}\n　　影片讲述了一个家庭在春节期间发生的故事，情节感人。\n")
    labels = [LineKind.HEADLINE, LineKind.BODY, LineKind.BODY, LineKind.CONTINUATION, LineKind.BODY]
    assert _hold(text, 2, LineKind.SUBHEADING, labels) == held


_STORY = ["《柳叶刀》刊文赞扬中国抗疫努力", "《柳叶刀》杂志25日刊文表示，中国的经验值得学习。", "文章说，中国迅速采取了措施。",
          "文章认为，各国应当加强合作。", "中新网重庆7月26日电(记者 刘贤)重庆市25日起迎来新一轮强降雨天气过程。"]


@pytest.mark.parametrize("paragraphs, articles", [
    # a dispatch under three paragraphs of a story with no dateline of its own opens the next story (10 of 10 in
    # the gold): web copy of one story after another, the second pasted without its title
    (3, 2),
    # under one paragraph (a lead, an editor's note) it is the article's own dateline (13 of 13 at one or none)
    (1, 1),
])
def test_a_dispatch_under_a_whole_story_opens_the_next_one(paragraphs, articles):
    page = _STORY[: 1 + paragraphs] + _STORY[-1:]
    text = "\n".join(page) + "\n"
    lines = label_lines(split_lines(text))
    labels = [LineKind.HEADLINE] + [LineKind.BODY] * paragraphs + [LineKind.DATELINE]
    items = build_items(text, lines, labels)
    assert len(items) == articles
    assert items[-1].dateline is not None and items[-1].dateline.zh == "中新网重庆7月26日电"


@pytest.mark.parametrize("dated, articles", [
    # a roundup whose pieces each set a dispatch under their sub-heading: one article, the later dispatches its text
    (True, 1),
    # a sub-heading over the article's first dateline (a story's second title): the dateline is the article's
    (False, 1),
])
def test_a_dispatch_under_a_roundup_piece_heading_is_its_text(dated, articles):
    page = ["中方反制措施正当必要"]
    page += ["本报圣地亚哥7月26日电　（记者林远航）", "智利学者说，美国的单边主义措施破坏了理解的桥梁。"] if dated else []
    page += ["反制措施并非针对美国人民", "本报雅加达7月26日电　（记者韦　宁）", "印尼学者说，两国关系面临严峻挑战。"]
    text = "\n".join(page) + "\n"
    lines = label_lines(split_lines(text))
    labels = [LineKind.HEADLINE] + ([LineKind.DATELINE, LineKind.BODY] if dated else [])
    labels += [LineKind.SUBHEADING, LineKind.DATELINE, LineKind.CONTINUATION]
    items = build_items(text, lines, labels)
    assert len(items) == articles
    art = items[0]
    assert art.dateline is not None
    assert art.dateline.zh == ("本报圣地亚哥7月26日电" if dated else "本报雅加达7月26日电")
    if dated:
        assert [p.role for p in art.paragraphs][-2:] == ["subheading", "body"]
        last = span_text(text, art.paragraphs[-1].span)
        assert last.startswith("本报雅加达7月26日电") and last.endswith("严峻挑战。")


@pytest.mark.parametrize("labels, others", [
    # a narrow column's paragraph under a line read as furniture: the text of an article, not furniture line by line
    (["furniture", "body", "continuation", "continuation"], 1),
    # a short bare line alone outside any article stays furniture
    (["furniture", "body", "furniture", "furniture"], 4),
], ids=["paragraph", "alone"])
def test_a_narrow_column_paragraph_outside_an_article_is_text(labels, others):
    text = "【重庆】\n据重庆气象和水文部门监测，\n自25日起，重庆中西部及东北\n部地区普遍中雨到大雨。\n"
    lines = label_lines(split_lines(text))
    items = build_items(text, lines, [LineKind(v) for v in labels])
    assert sum(1 for item in items if not isinstance(item, Article)) == others


def test_a_photo_credit_inside_an_articles_text_stays_in_it():
    # a photo set inside a wire story (its caption read as text), with more of the story under its credit: the credit
    # is a caption paragraph of the article, and the text under it goes on the article (26 of 26 in the gold)
    text = ("意大利坎帕尼亚大区规定室内公共场所必须戴口罩\n新华社罗马7月26日电（记者 陈占杰）大区政府颁布新的防疫法令。\n"
            "当地时间6月1日，意大利首都罗马，罗马斗兽场重新开放。\n新华社发 阿尔贝托·林格利亚 摄\n该法令7月25日起正式生效。\n")
    lines = label_lines(split_lines(text))
    labels = [LineKind.HEADLINE, LineKind.DATELINE, LineKind.BODY, LineKind.CREDIT, LineKind.BODY]
    items = build_items(text, lines, labels)
    assert len(items) == 1 and isinstance(items[0], Article)
    assert [p.role for p in items[0].paragraphs] == ["body", "body", "caption", "body"]
    assert items[0].byline is not None and items[0].byline.zh == "（记者 陈占杰）"


@pytest.mark.parametrize("after, label, role", [
    # a chart's credit or the end matter under `（下转第七版）` is the article's that the marker closed (7 of 7 in the
    # gold); it had become a photo of its own, or page furniture
    ("制图：马飞桂  数据来源：海关总署", LineKind.CREDIT, "caption"),
    ("（作者为中国驻苏丹大使）", LineKind.END_MATTER, "marker"),
], ids=["chart-credit", "end-matter"])
def test_a_credit_or_end_matter_under_a_continued_on_marker_stays_with_its_article(after, label, role):
    page = ["今年前两个月就业与物价总体平稳", "今年前两个月，调查失业率有所上升，物价保持平稳。", "（下转第七版）", after,
            "毕业生艺术展搬进商场", "在各大院校“云毕业”的季节里，一场难得的线下毕业生艺术展温暖启幕。"]
    text = "\n".join(page) + "\n"
    lines = label_lines(split_lines(text))
    labels = [LineKind.HEADLINE, LineKind.BODY, LineKind.MARKER, label, LineKind.HEADLINE, LineKind.BODY]
    first, second = build_items(text, lines, labels)
    assert [(p.role, span_text(text, p.span)) for p in first.paragraphs][-2:] == [("marker", "（下转第七版）"), (role, after)]
    assert first.truncated and [h.zh for h in second.headlines] == ["毕业生艺术展搬进商场"]


@pytest.mark.parametrize("above, articles", [
    # the continued story's headline with its `■` points and byline, then `（上接第一版）`: one article (36 of 37
    # such markers in the gold follow a heading block and stay with it, 2 of them over points); the builder had
    # opened a headless article at the marker because the points are paragraphs
    (["■由青年导演高壮壮执导", "■展示了一段热血沸腾的放肆逐梦之旅"], 1),
    # after the article's own text, the marker opens the rest of another story
    (["影片讲述了游戏设计师帮助拳手重回拳台的故事。"], 2),
])
def test_a_continued_from_marker_under_a_headlines_points_stays_with_its_article(above, articles):
    page = ["《绝地出击》上映 鏖战拳台逐梦人生", *above, "本报记者 沈涛超", "（上接第一版）",
            "新华社昆明8月1日电　由青年导演高壮壮执导的网络电影《绝地出击》正式上映。"]
    text = "\n".join(page) + "\n"
    lines = label_lines(split_lines(text))
    labels = [LineKind.HEADLINE] + [LineKind.BODY] * len(above) + [LineKind.BYLINE, LineKind.MARKER, LineKind.DATELINE]
    items = build_items(text, lines, labels)
    assert len(items) == articles
    assert items[-1].dateline is not None and "（上接第一版）" in [span_text(text, p.span) for p in items[-1].paragraphs]
