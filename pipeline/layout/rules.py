"""The named rules of layout recovery: every pattern says which page feature it recognises and why it exists.

The rules are data: tables of `Rule(name, pattern, reason)` that the line classifier tries in order, so adding a
newspaper's convention means adding a row here, not a branch in the algorithm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..zh import (
    DISPATCH_SOURCES,
    HAN_CLASS,
    LINE_ENDS_SENTENCE,
    MAX_HEADLINE_CHARS,
    MAX_HEADLINE_LINES,
    MAX_WEB_TITLE_CHARS,
    NEWS_AGENCIES,
    NEWSPAPERS,
    PAIRS,
    SITE_NAMES,
    SPEECH_VERBS,
    data_rows,
    to_simplified,
)

__all__ = ["MAX_HEADLINE_CHARS", "MAX_HEADLINE_LINES", "MAX_WEB_TITLE_CHARS"]  # re-exported: the limits live in zh.py


@dataclass(frozen=True)
class Rule:
    """A named pattern and the page feature it exists for."""

    name: str
    pattern: re.Pattern[str]
    reason: str


def first_match(rules: tuple[Rule, ...], text: str) -> tuple[Rule, re.Match[str]] | None:
    """The first rule whose pattern matches `text` (searched) and its match; None when no rule applies."""
    for rule in rules:
        m = rule.pattern.search(text)
        if m:
            return rule, m
    return None


# --- Thresholds ------------------------------------------------------------------------------------------------

# The headline limits (MAX_HEADLINE_CHARS, MAX_WEB_TITLE_CHARS, MAX_HEADLINE_LINES) are in pipeline/zh.py.
# The continuation line of a byline set over two lines (`通讯员 赵健健 报道`) is short.
MAX_BYLINE_CONTINUATION_CHARS = 24
# A byline names a few people with their roles; the longest on the sample pages is 20 characters.
MAX_BYLINE_CHARS = 32
# Sub-headings inside an article run 7–13 characters on the sample pages (人民日报 prints some near 20); a bare
# line longer than this is more likely the start of a column-broken paragraph than a heading.
MAX_SUBHEADING_CHARS = 24
# 【城事速递】: a section label names a column in a few characters; longer bracketed text is part of an article.
MAX_SECTION_LABEL_CHARS = 12
# Chinese personal names are two or three characters (four with a compound surname); longer tokens are words.
MAX_NAME_CHARS = 3

# --- Sentence ends -----------------------------------------------------------------------------------------------

SENTENCE_END = Rule(
    "sentence-end",
    LINE_ENDS_SENTENCE,  # a terminator (in closers), a closing quote alone, a trailing `（完）` or credit
    "A line whose text ends a sentence may end its paragraph; any other line is continued on the next line "
    "(a column break), which is how the dump loses paragraph structure.",
)

# Punctuation that separates clauses: a sub-heading has none, a column fragment almost always has some.
CLAUSE_PUNCT = re.compile(r"[，,、；;：:。！？!?…]")
# A heading led by its topic and a colon (`美国：飓风“汉娜”登陆得州`, `商务部：坚决反对…`, `智利学者：破坏两国人民理解的桥梁`):
# roundups and wire heads name the place or the speaker first, and the colon is then no clause mark. In the dev gold,
# 70 of the 76 short balanced lines so led, with no other clause mark, that are neither credits nor furniture are
# headings (33 headlines, 28 sub-headings, 9 subtitles); the others are interview answers led by a name, column
# fragments and an editor's note. A speaker's words (`他说：…`), an interview turn (`记者：…`) and a dispatch
# (`萨那消息：…`) are text.
TOPIC_LEAD = re.compile(rf"^[{HAN_CLASS}]{{1,6}}[：:](?=\S)")
NOT_TOPIC_LEAD = re.compile(rf"(?:{SPEECH_VERBS}|记者|主持人|问|答|消息)[：:]$")
# A headline may end in ！ or ？ (`谁来守护“银发族”的钱袋子？`) or a closing quote (`按下“快进键”`), never in a
# full stop.
HEADLINE_TERMINATOR = re.compile(r"[！？!?][”’」』]?$")
FULL_STOP_END = re.compile(r"[。…][”’」』）)\]】]*$")
# `…-中新网`, `…_新华网`, `… | 人民网`: a title as a news site prints it, the site's name after a separator.
WEB_TITLE_SUFFIX = re.compile(rf"\s*[-_|｜—–]\s*(?:{SITE_NAMES})$")
# A line ending in a comma or semicolon stops mid-clause: a column fragment, never a headline.
CLAUSE_END = re.compile(r"[，、；,;]$")
# Pairs that must balance inside one headline or sub-heading; an unbalanced line is a fragment of a paragraph
# (`“运营好山东生态产品交易中心、山东碳市` opens a quotation that the next column closes).
BRACKET_PAIRS: tuple[tuple[str, str], ...] = tuple(PAIRS.items())

# --- Page furniture: whole lines that belong to no article -----------------------------------------------------

_ROLE_OF_STAFF = (r"(?:本版|本文|[\u4e00-\u9fff]{2,4}新闻)?(?:责任编辑|责编|编辑|主编|美编|美术编辑|校对|组版|版式设计|版式|"
                  r"视觉设计|设计|制图|图表设计|审读|统筹|来源|稿源)")
_PAGE_NUMBER = r"(?:第\s*[0-9一二三四五六七八九十]{1,3}\s*版|[A-Z][0-9]{1,2}版?|[0-9]{1,2}版?)"
_PAGE_NAME = rf"[{HAN_CLASS}]{{2,6}}(?:·[{HAN_CLASS}]{{2,6}})?"
_PAGE_SEP = r"(?:[\s\u3000]+|[\s\u3000]*[·：:｜|][\s\u3000]*)"

# The names papers give their pages and sections (a table: a new paper's page names are a row each).
_PAGE_NAMES = "|".join(sorted((row[0] for row in data_rows("page_names.tsv")), key=len, reverse=True))

FURNITURE: tuple[Rule, ...] = (
    Rule(
        "channel-label",
        re.compile(rf"^[{HAN_CLASS}]{{2,8}}[\s\u3000]*(?:客户端|微信|微博|抖音号?|视频号|公众号|APP|App|app)$"),
        "QR-code labels beside the masthead or at a page corner (`大众日报 客户端`) name a channel, not an article.",
    ),
    Rule(
        "running-head",
        re.compile(r"^(?=[^，。；！？,;!?]{0,48}$).*(?:\d{4}年\d{1,2}月\d{1,2}日"
                   rf"(?:[\s\u3000]*[（(]?(?:星期|周)[一二三四五六日天]|.*{_PAGE_NUMBER})"
                   r"|\d{4}[.\-/]\d{1,2}[.\-/]\d{1,2}[\s\u3000]*[（(]?(?:星期|周)[一二三四五六日天]).*$"),
        "The running head repeats the date, with the weekday or the page number, on every page, often with the "
        "paper's name and the page's name (`2022年10月10日 星期一`, `新疆日报 2020年7月27日 第03版`, `广州日报　2020.7.27　"
        "星期一　A6`).",
    ),
    Rule(
        "page-number",
        re.compile(rf"^(?:{_PAGE_NUMBER}(?:{_PAGE_SEP}{_PAGE_NAME})?|{_PAGE_NAME}{_PAGE_SEP}{_PAGE_NUMBER})$"),
        "Page numbers and page names (`第5版`, `2 要闻`, `A06 城事`) head the page.",
    ),
    Rule(
        "page-name",
        re.compile(rf"^(?:(?:{_PAGE_NAMES})(?:[·・](?:{_PAGE_NAMES}))?|[{HAN_CLASS}]{{2,4}}(?:短讯|速递|速览))$"),
        "A page's or a section's name on a line of its own (`要闻`, `社会·民生`, `国际短讯`, `图片新闻`; the names are "
        "pipeline/data/page_names.tsv) heads the page or a column of items, not one article (in brackets: "
        "`section-label`).",
    ),
    Rule(
        "staff-credit",
        re.compile(rf"^(?=[^，。；！？,;!?]{{0,60}}$)(?!(?:制图|图表设计|设计)[\s\u3000]*[：:][^：:]*$)"
                   rf"{_ROLE_OF_STAFF}[\s\u3000]*[：:][^：:]*?(?:(?:{_ROLE_OF_STAFF}|作者)[\s\u3000]*[：:][^：:]*?)*$"),
        "Editors and designers are credited at the top or foot of a page (`责任编辑：王某 美编：李某`), not in "
        "an article. A chart's credit alone (`制图：高妍`, not `本版制图：高妍`) is the chart's, under its article.",
    ),
    Rule(
        "staff-credit-bracketed",
        re.compile(rf"^(?:[（(【](?:{_ROLE_OF_STAFF}|纠错)(?:[：:][^（）()【】]{{0,24}})?[）)】])+$"),
        "Web copy credits its editor in brackets at the end (`(责编：王某、李某)`, `【纠错】【责任编辑:张三】`).",
    ),
    Rule(
        "web-chrome",
        re.compile(r"^(?:分享到|分享|点击关注|关注我们|阅读原文|扫一扫|相关新闻|相关阅读|延伸阅读|推荐阅读|点赞|在看|收藏|举报)"
                   r"(?:[：:\s\u3000].{0,40})?$|^免责声明[：:]"),
        "A web page's buttons and boxes (`分享到：`, `点击关注`, `阅读原文`, `相关新闻`, `免责声明：…`) copied with its text.",
    ),
    Rule(
        "staff-credit-spaced",
        re.compile(r"^(?=[^，。；！？,;!?：:]{0,48}$)(?:本版)?(?:责任编辑|责编|编辑)[\s\u3000]+\S.*?[\s\u3000]"
                   r"(?:美编|美术编辑|校对|制图|版式设计|版式|视觉设计)[\s\u3000]+\S.*$"),
        "The page's editors are also credited without colons, a space after each role (`本版编辑　陈　郁　美编　王子萱`).",
    ),
    Rule(
        "section-label",
        # …but not a dateline in brackets (`【本報高雄訊】`, `【明報專訊】`, `【記者王雪建／嘉義報導】`).
        re.compile(rf"^【(?![^【】]{{0,8}}讯】|记者)[^【】]{{1,{MAX_SECTION_LABEL_CHARS}}}】$"),
        "A bracketed label on its own line (`【城事速递】`) names a column of items; it is no one article's text.",
    ),
    Rule(
        "latin-masthead",
        re.compile(rf"^(?=.{{6,48}}$)(?:[{HAN_CLASS}]{{2,6}}[ \u3000]+)?[A-Z][A-Z'’.&-]*(?:[ \u3000]+[A-Z][A-Z'’.&-]*)+$"),
        "A paper prints its name in Latin capitals beside the masthead (`ECONOMIC DAILY`, `经济日报　ECONOMIC DAILY`); a "
        "Chinese page has no article text in capitals alone.",
    ),
    Rule(
        "masthead",
        re.compile(rf"^[{HAN_CLASS}]{{2,4}}(?:日报|晚报|晨报|都市报|商报|时报)"
                   rf"(?:[\s\u3000]*[·\s\u3000][\s\u3000]*[{HAN_CLASS}]{{2,6}})?$"),
        "The paper's name printed on its own (`人民日报`), perhaps with the page's name (`大众日报 要闻`), is the "
        "masthead.",
    ),
    # Found by the second round of hand-laid dev pages (bench/data/layout-hand, prefixes e- to h-):
    Rule(
        "paper-page-head",
        re.compile(rf"^[{HAN_CLASS}]{{1,6}}(?:日报|晚报|时报|晨报|早报|商报|报){_PAGE_SEP}{_PAGE_NUMBER}{_PAGE_SEP}{_PAGE_NAME}$"
                   rf"|^(?:{_PAGE_NUMBER}{_PAGE_SEP})?{_PAGE_NAME}[\s\u3000]+(?:本版)?(?:责任编辑|责编|编辑|主编)[\s\u3000：:]"
                   r"[^，。；！？,;!?]*$"),
        "The page head names the paper, the page number and the page (`经济日报　6　访谈`, `香港文汇报　A16　中国新闻`), or "
        "the page and its editors (`A6　文体新闻　责编　林　洁　美编　黄　蕾`, `文化　责任编辑：黄　茜　美编：陈　梓`; in the dev "
        "gold the 4 lines that open with a page's name and its editor are all furniture).",
    ),
    Rule(
        "lunar-date",
        re.compile(r"^(?:农历)?[甲乙丙丁戊己庚辛壬癸][子丑寅卯辰巳午未申酉戌亥]年(?:闰?[正一二三四五六七八九十冬腊]{1,2}月)?"
                   r"(?:初[一二三四五六七八九十]|十[一二三四五六七八九]|二十[一二三四五六七八九]?|廿[一二三四五六七八九]|三十)?$"),
        "Mainland and Hong Kong papers print the lunar date under the masthead (`庚子年六月初七`).",
    ),
    Rule(
        "web-timestamp",
        re.compile(r"^(?:\d{3,4}[/-]\d{1,2}[/-]\d{1,2}[\s\u3000]*\d{1,2}:\d{2}(?::\d{2})?(?=[^，。；！？,;!?]{0,40}$).*"
                   r"|发稿时间[：:].{0,30})$"),
        "A page copied from a news site keeps the story's time stamp (`2020/07/26 18:35（7/26 21:02 更新）`).",
    ),
    Rule(
        "breadcrumb",
        re.compile(r"^(?:首页|主页|[^，。；！？\s]{1,10}(?=[\s\u3000]))"
                   r"(?:[\s\u3000]*[>＞›»][\s\u3000]*[^，。；！？>＞›»\s]{1,10}){1,5}$"),
        "A web page's navigation trail (`首页 > 国际`, `首页 > 文娱 > 正文`) is no story's text.",
    ),
    Rule(
        "site-notice",
        re.compile(r"(?:版权所有|不得转载|禁止转载|严禁转载|侵权必究|未经授权|非经授权|签约用户|Copyright|©|https?://|www\.)"),
        "A site's copyright notice (`…非经授权，不得转载…`) or address (`人民网网址：http://www.people.com.cn`) is page "
        "furniture.",
    ),
    Rule(
        "issue-number",
        re.compile(r"^(?=[^，。；！？,;!?]{0,48}$)(?:.*(?:今日|本期)[\s\u3000]*\d{1,3}[\s\u3000]*版"
                   r"|(?=.*\d{4}[-.年/]\d{1,2}).*第[0-9][0-9A-Za-z-]{0,11}期).*$"),
        "A masthead's issue line gives the day's page count or the issue's number (`今日12版　第1版`, `第26580期 今日20版`, "
        "`2020-07-26　第0726-C期　国际·港澳台·国内`); in the dev gold the 4 lines this rule names are furniture, and the "
        "model had read two as kickers (5 more such lines carry a running head's date and weekday).",
    ),
    Rule(
        "qr-prompt",
        re.compile(r"^(?=[^，。；！？,;!?]{2,24}$).*(?:扫码|扫一扫|二维码)"),
        "A prompt beside a QR code (`扫码看视频`, `更多精彩内容请扫码`) points off the page: in the dev gold all 27 short "
        "lines without a clause mark that name a QR code are furniture (the model read two as kickers).",
    ),
    Rule(
        "page-index",
        re.compile(rf"^(?:今日导读|本期导读|今日看点|导读)$|^[^，。；！？,;!?]{{2,30}}[（(]{_PAGE_NUMBER}[）)]$"),
        "A front page's index box (`今日导读`, `共享住宿市场逐步回暖（10版）`) points to other pages.",
    ),
)

# --- Editor's notes ----------------------------------------------------------------------------------------------

EDITOR_NOTE = Rule(
    "editor-note",
    re.compile(r"^(?:编者按|编者的话|编后语?|开栏的话|写在前面)(?:[：:\s\u3000]|$)"),
    "An editor's note opens with its name (`编者按：…`) or is headed by it on a line of its own (`开栏的话`, "
    "`写在前面`); it belongs to the article under it, not to the one above.",
)
NOTE_SIGNATURE = Rule(
    "editor-note-signature",
    re.compile(r"^[—－-]{1,2}[\s\u3000]*编[\s\u3000]*者$"),
    "`——编 者` signs an editor's note; the article's own text follows it.",
)
NOTES: tuple[Rule, ...] = (EDITOR_NOTE, NOTE_SIGNATURE)
# A roundup's city line standing alone over the piece's text (`布鲁塞尔——`): a few characters of a place name; and
# a roundup's paragraph led by one (`柏林——盛夏的…`).
CITY_LINE = re.compile(rf"^[{HAN_CLASS}]{{2,6}}[—－]{{2}}$")
CITY_LEAD = re.compile(rf"^[{HAN_CLASS}]{{2,8}}[—－]{{2}}")

# --- Continuation and end markers -------------------------------------------------------------------------------

# `第二版`, `A6版`, and a lettered page without 版 (`（上接A1）`, `（下转A2）`).
_PAGE_REF = r"第?\s*(?:[A-Z]?[0-9一二三四五六七八九十]{1,3}\s*版|[A-Z][0-9]{1,2})"

CONTINUED_ON = Rule(
    "continued-on",
    re.compile(rf"[（(](?:下转|转)(?P<page>{_PAGE_REF})[）)]$"),
    "`（下转第二版）` ends the part of an article printed here: the article continues on another page.",
)
CONTINUED_FROM = Rule(
    "continued-from",
    re.compile(rf"^[（(](?:上接|紧接|接)(?P<page>{_PAGE_REF})[）)]"),
    "`（上接第一版）` opens the rest of an article whose beginning is on another page.",
)
END_OF_COPY = Rule(
    "end-of-copy",
    re.compile(r"^[（(](?:完|编辑[：:][^（）()]{1,12})[）)]\d{0,8}$"),
    "Wire copy ends a story with `（完）` on a line of its own; the Central News Agency with its editor and a date "
    "code (`（編輯：林沂鋒）1090726`).",
)
MARKERS: tuple[Rule, ...] = (CONTINUED_ON, CONTINUED_FROM, END_OF_COPY)

# --- Bylines and credits ------------------------------------------------------------------------------------------

BYLINE_MARK = Rule(
    "box-mark",
    re.compile(r"^[□■◇◆●]"),
    "Bylines in 大众日报 and many city dailies open with a box mark: `□记者 张环泽 报道`, `□ 本报记者 孟令洋`, "
    "`●本报记者 X`.",
)
# A photo's credit may name only the agency, in brackets after the caption (`（路透社）`, `（法新社）`, `（路透）`).
PHOTO_AGENCIES = ("路透社", "路透", "法新社", "法新", "美联社", "美联", "欧新社", "共同社", "中央社", "新华社", "中新社",
                   "视觉中国")
# Words in a byline that are roles, not names; longest first so `本报记者` wins over `记者`.
BYLINE_ROLE_WORDS: tuple[str, ...] = tuple(sorted(
    (
        "本报记者", "本报通讯员", "本报特约记者", "本报见习记者", "新华社记者", "新华社特约记者", "人民日报记者",
        "中新社记者", "特约记者", "见习记者", "实习记者", "首席记者", "记者", "通讯员", "实习生", "特约撰稿人",
        "报道", "报导", "摄影", "摄", "特派员", "驻站记者", "文/图", "文／图", "图/文", "图／文", "文/片", "文／片", "文/", "文／",
        "图/", "图／", "新华社发", "中新社发", *PHOTO_AGENCIES, "作者", "本文作者", "撰文", "整理", "采访整理", "编译", "报道/摄影", "采写", "/摄", "／摄", "文字整理", "采访/撰文",
        "本报评论员", "本报特约评论员", "新华社评论员", "人民日报评论员", "评论员", "本报编辑部", "本报评论部",
    ),
    key=len,
    reverse=True,
))
# `经济日报记者`, `新华社记者`: a paper's or an agency's reporter.
_NEWSROOM = "|".join(re.escape(w) for w in (*NEWSPAPERS, *NEWS_AGENCIES) if w == to_simplified(w))
# `本报驻比利时记者`, `本报特派记者`, `总台记者`, `齐鲁晚报·齐鲁壹点特派记者`: a newsroom (or the paper itself, or a brand
# with its app after a dot), perhaps a posting abroad (`驻X`) and a grade, then 记者 — one role, no name in it.
# Any paper by the shape of its name (`南方日报`, `羊城晚报`, `新京报`, `21世纪经济报道`, `川观新闻`) is a newsroom too:
# the hand-laid writers found `南方日报记者 郑璐` giving the author `南方日报` for each paper the list lacked.
# A paper's brand and its app or site are joined by a dot or a dash (`华西都市报-封面新闻记者`, `现代快报/现代＋记者`).
_PAPER_NAME = (rf"(?:[{HAN_CLASS}]{{1,8}}?(?:日报|晚报|时报|晨报|早报|商报|报|经济报道|新闻|财经)|星岛|第一财经|21世纪经济报道)"
               rf"(?:客户端|网|APP|App)?")
_BRAND_SEP = r"[·\-－/／]"
_REPORTER_ROLE = (rf"(?:{_NEWSROOM}|本报|总台|央视|央广|(?:{_PAPER_NAME}|[{HAN_CLASS}]{{2,6}})"
                  rf"(?:{_BRAND_SEP}?[A-Za-z]?[{HAN_CLASS}]{{2,6}}[＋+]?)?)"
                  rf"(?:驻[{HAN_CLASS}]{{1,6}}?)?(?:特派|特约|见习|首席|资深|实习|驻站|全媒体|融媒体|摄影)?记者"
                  rf"|(?:{_NEWSROOM}|本报|{_PAPER_NAME})(?:{_BRAND_SEP}[{HAN_CLASS}]{{2,6}})?(?:通讯员|实习生)"
                  rf"|驻[{HAN_CLASS}]{{1,6}}?记者|(?:全媒体|融媒体|摄影)记者|(?:{_NEWSROOM}|{_PAPER_NAME})评论员"
                  # `观察者网 陈思佳`: a news site signing for its writer; `发自北京`: where the reporter filed from
                  rf"|[{HAN_CLASS}]{{2,8}}网|发自[{HAN_CLASS}]{{2,6}}")
# `经济观察报　记者　王　彦`: the paper named as a word of its own before the role (a role only as a whole word: inside
# `记者商瑞报道` the shape of a paper's name means nothing).
NEWSROOM_WORD = re.compile(_PAPER_NAME)
BYLINE_ROLE = re.compile(_REPORTER_ROLE + "|" + "|".join(re.escape(w) for w in BYLINE_ROLE_WORDS))
# Roles that are a role only as a word of their own: `新华社发 徐骏 作` (a cartoon's credit), `文：X　图：Y`, where 作
# inside a name (`韩作`) is part of the name.
WHOLE_WORD_ROLES = frozenset({"作", "文", "图"})
# Commentaries are signed by an institution (`本报评论员`): a byline that names no person.
COLLECTIVE_AUTHORS = frozenset({"本报评论员", "本报特约评论员", "新华社评论员", "人民日报评论员", "评论员", "本报编辑部",
                                "本报评论部", "新华社发", "中新社发", *PHOTO_AGENCIES})
# `本報記者 陳美玲／臺北報導`: a Taiwan byline names the place the reporter files from after a slash;
# `本报记者 罗远 哈尔滨报道`: a mainland reporter's place, set against 报道 after a space, is no name either.
FILED_FROM = re.compile(rf"(?:[／/]|(?<=[\s\u3000]))(?:[{HAN_CLASS}]{{2,4}}报[导道]|综合外电)$")
# A byline closes with `…报道` or a photo credit `…摄`; a byline without them may go on over a second line.
BYLINE_END = re.compile(r"(报道|报导|摄)[）)]?$")
# A photo credit ends with `摄` (`新华社记者 陈益宸摄`, `（记者 王某 摄）`).
PHOTO_CREDIT_END = re.compile(r"摄[）)]?$")
# Punctuation a byline never contains (names are separated by spaces or 、).
# `天津大学供图`, `海报 片方供图`: a picture an institution supplied names no person (a graphic credit, a caption).
BYLINE_FORBIDDEN = re.compile(r"[，,。；;！？!?：:“”《》0-9]|供图")
# The most common single-character surnames (they cover well over 95% of people in China), and the compound
# surnames; a name in a byline starts with one of them, which keeps headlines like `记者探营` out of bylines.
COMMON_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜傅"
    "崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛"
    "樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁"
    "冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米"
    "柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南"
    "班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初"
    "门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利"
    "於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "端木",
                     "长孙", "宇文", "司徒", "申屠", "西门", "独孤", "南宫", "万俟", "闻人", "轩辕", "呼延")
# A transliterated name joins its parts with a middle dot (`阿不都·热合曼`).
TRANSLITERATED_NAME = re.compile(rf"^[{HAN_CLASS}]{{1,8}}(?:[·•][{HAN_CLASS}]{{1,8}})+$")

# --- Datelines ----------------------------------------------------------------------------------------------------

# What may follow a dateline: a space, the reporter credit in brackets, or the end of the line.
_AFTER_DATELINE = r"(?=[\s\u3000（(]|$)"
FILED_FROM_DATELINE = "filed-from"
DATELINES: tuple[Rule, ...] = (
    Rule(
        "local-report",
        re.compile(rf"^(?:本报[{HAN_CLASS}]{{0,8}}?讯|【本报[{HAN_CLASS}]{{0,8}}?讯】|本报(?:电|综合消息|综合报道){_AFTER_DATELINE}"
                   rf"|本报综合[{HAN_CLASS}]{{2,4}}电{_AFTER_DATELINE}|(?:新华社|中新社|央视)快讯[：:])"),
        "`本报枣庄讯`, `本报讯`, `【本報高雄訊】`, `本报电`: a local report names the paper (and place) before its first "
        "sentence.",
    ),
    Rule(
        "dated-dispatch",
        re.compile(
            rf"^据?(?:{DISPATCH_SOURCES}|[{HAN_CLASS}]{{2,6}}?(?:客户端|网|社|报|台|财经))(?:[·\-－][{HAN_CLASS}]{{2,8}}?)?"
            rf"[{HAN_CLASS}、]{{0,12}}?(?:\d{{1,2}}|[一二三四五六七八九十]{{1,3}})月(?:\d{{1,2}}|[一二三四五六七八九十廿卅]{{1,4}})日"
            rf"(?:新媒体)?(?:专|综合)?[电讯]|^据?(?:{DISPATCH_SOURCES}|[{HAN_CLASS}]{{2,6}}?网)[{HAN_CLASS}]{{0,10}}?\d{{1,2}}月\d{{1,2}}日报道"
            rf"|^(?:{'|'.join(NEWS_AGENCIES)})[{HAN_CLASS}]{{1,10}}?\d{{1,2}}日专?[电讯]"
            rf"|^【(?:{DISPATCH_SOURCES})[{HAN_CLASS}]{{0,10}}?(?:\d{{1,2}}月)?(?:\d{{1,2}}|[一二三四五六七八九十廿卅]{{1,4}})日专?[电讯]】"
            rf"|^(?:{DISPATCH_SOURCES})[{HAN_CLASS}]{{1,10}}?[廿卅][一二三四五六七八九]?日专?[电讯]"
        ),
        "`新华社北京10月9日电`, `本报北京10月9日电`, `中新经纬客户端7月26日电`, `湖南日报·新湖南客户端7月25日讯`, "
        "`新华社北京七月二十六日电`, `【新華社北京26日電】`, `新華社北京廿六日電`: a dispatch names the agency (a paper with "
        "its app after a dot), the place and the day.",
    ),
    Rule(
        "paper-report",
        re.compile(rf"^(?:【[{HAN_CLASS}]{{1,8}}?报[{HAN_CLASS}]{{0,6}}?讯】|【[A-Za-z0-9.]{{1,8}}[{HAN_CLASS}]{{1,6}}?专?讯】"
                   rf"|[{HAN_CLASS}]{{2,4}}讯(?=[\s\u3000]*[（(]|[\s\u3000]+(?:本报)?记者)|[{HAN_CLASS}]{{1,6}}?[报网]"
                   rf"(?:[·\-－][{HAN_CLASS}]{{2,8}}?)?[{HAN_CLASS}A-Za-z]{{0,6}}?讯(?:[，,]|{_AFTER_DATELINE}))"),
        "`新京报讯`, `香港文匯報訊`, `【明報專訊】`, `证券时报e公司讯`, `新华日报·交汇点讯`, `成都商报-红星新闻讯`, "
        "`中证网讯`: a paper's own report names the paper (or its desk, its app) before its first sentence.",
    ),
    Rule(
        FILED_FROM_DATELINE,
        re.compile(rf"^[【〔](?:记者)?[^【】〔〕]{{2,16}}?[／/][{HAN_CLASS}]{{2,4}}报[导道][】〕]"),
        "`【記者王雪建／嘉義報導】`, `〔記者林志明／台中報導〕`, `〔國際新聞中心／綜合報導〕`: Taiwan papers open a story with "
        "the reporter (or desk) and the place filed from in brackets.",
    ),
    Rule(
        "cna-dispatch",
        re.compile(rf"^[（(]中央社(?:记者[{HAN_CLASS}]{{2,4}}?)?[{HAN_CLASS}]{{0,12}}?\d{{1,2}}日"
                   rf"(?:专?电|综合外电报导|综合报导)[）)]"),
        "`（中央社記者張三台北26日電）`, `（中央社倫敦26日綜合外電報導）`: the Central News Agency dates its dispatch by "
        "the day alone, in brackets.",
    ),
    Rule(
        "reported-by",
        re.compile(rf"^(?:据[{HAN_CLASS}]{{2,12}}?客户端|[{HAN_CLASS}]{{1,8}}网|总台央视记者)消息"
                   r"(?:[（(][^（）()]{1,10}[）)])?[，,：:]?"),
        "`据央视新闻客户端消息`, `央视网消息(新闻联播)：`, `总台央视记者消息，`: a story rewritten from a news outlet's "
        "report names it first. A government body's channel (`据江苏省卫健委官方微博消息，`, `据国家卫生健康委员会消息，`) "
        "is the source of the first sentence, not a dateline: in the dev gold 4 of 4 `据…客户端消息` are datelines, 0 of "
        "11 `据…(网站|微博)?消息`.",
    ),
    Rule(
        "bracketed-report",
        re.compile(rf"^【[{HAN_CLASS}]{{2,8}}?(?:报道|综合报道|消息)(?:[\s\u3000]+[^【】\s\u3000][^【】]{{0,14}})?】"),
        "`【环球网报道 记者 王星】`, `【星島日報報道】`, `【本報消息】`: a report opens with the paper's or the site's name "
        "(and the reporter) in black brackets.",
    ),
    Rule(
        "bracketed-place",
        re.compile(rf"^(?:[（(][{HAN_CLASS}]{{2,8}}?(?:\d{{1,2}}日)?(?:综合)?[讯电][）)]|综合[讯电]{_AFTER_DATELINE})"),
        "`（新加坡讯）`, `（华盛顿综合讯）`, `（吉隆坡26日讯）`, `综合讯`: Singapore and Malaysian papers open a report with "
        "the place in brackets.",
    ),
    Rule(
        "undated-wire",
        re.compile(rf"^据?(?:{'|'.join(NEWS_AGENCIES)})电{_AFTER_DATELINE}"),
        "`据新华社电`: reprinted wire copy names its source.",
    ),
)
# The reporter credit carried by a dateline: `新华社北京10月9日电（记者 罗星）`, `本报讯（记者 王某 通讯员 李某）`.
DATELINE_CREDIT = Rule(
    "dateline-credit",
    re.compile(r"[\s\u3000]*(?:(?P<credit>[（(][^（）()]{1,30}[）)])"
               r"|(?P<bare>(?:本[报報])?[记記]者[^，,。：:（）()]{1,30}?[报報][道导導])[：:]?"
               r"|(?P<spaced>(?:本[报報]|新[华華]社|中新社)?[记記]者[\s\u3000]*[\u4e00-\u9fff]{2,4}(?:[\s\u3000]+(?:通讯员|通訊員|实习生|實習生)"
               r"[\s\u3000]*[\u4e00-\u9fff]{2,4})*(?:[\s\u3000]+发自[\u4e00-\u9fff]{2,4})?)(?=[\s\u3000]))"),
    "Wire copy and city dailies put the byline in brackets straight after the dateline; it is a byline, not the "
    "first sentence. Some set it bare, closed by 报道 and a colon: `羊城晚报讯 记者X 通讯员Y报道：`, "
    "`【大公報訊】記者X報道：`.",
)

# --- Photos ---------------------------------------------------------------------------------------------------------

CAPTIONS: tuple[Rule, ...] = (
    Rule(
        "pictured",
        re.compile(r"^(?:[上下左右]?图为|[上下左右]图[：:]|图[①-⑩0-9一二三四五六][：:]?)"),
        "A caption opens with 图为 (`pictured is`) or points at one of several photos (`上图：`, `图①`).",
    ),
    Rule(
        "caption-arrow",
        re.compile(r"^[▲△▼▽]"),
        "City dailies point a caption at its photo with a triangle (`▲`).",
    ),
    Rule(
        "graphic-credit",
        re.compile(r"^(?:[（(][^（）()]{0,12}(?:照片|图片|影像|提供|资料图)[）)]|资料图$|(?:图片来自|(?:制图|制表|插图|绘图|漫画|图表|数据来源|资料来源|图片来源|资料图片|"
                   r"视觉中国|新华社发)(?:[：:\s\u3000]|$))"
                   r"[^。！？!?]{0,30}|[^，,。！？!?]{1,24}(?:供图|示意图|资料图片|[（(]漫画[）)]))。?$"),
        "A graphic's, a table's or a photo's credit line under an article (`制图：高妍`, `数据来源：国家统计局`, "
        "`天津大学供图`, `…示意图`, `守护（漫画）`) is one of the article's captions, not a heading: the hand-laid dev "
        "pages put them at an article's end, where a bare short line would read as the next headline.",
    ),
)
GRAPHIC_CREDIT = CAPTIONS[-1]
# A caption line that ends with its photo credit: `图为…。 新华社记者 陈晔华 摄`. After a full sentence the credit
# also makes a caption of a line with no 图为 (`10月9日，火箭点火升空。  新华社记者 汪江波 摄`).
INLINE_PHOTO_CREDIT = Rule(
    "credited-caption",
    re.compile(r"(?:(?<=[。！？!?）)”’」』])|[\s\u3000]+)(?P<credit>[^\s\u3000。！？!?，,（）()”’」』][^。！？!?，,（）()]{0,30}摄)$"
               r"|(?<=[。！？!?”’」』])[\s\u3000]*(?P<bracketed>[（(][^（）()。！？]{1,24}摄[）)])$"),
    "The credit that closes a caption line is the photo's byline, not part of the caption sentence.",
)

# A reposted story keeps its original title under the new one: `原标题：…` is a subtitle.
ORIGINAL_TITLE = re.compile(r"^原标题[：:]")
# A paper's notice standing alone on its line (`更　正` over `本报7月25日A6版…`) is the title of an item of its own, not
# a sub-heading of the article above: 4 of the 4 in the hand-laid dev gold are headlines.
NOTICE_TITLE = re.compile(r"^(?:更\s*正|启\s*事|声\s*明|致\s*歉|讣\s*告)$")

# A column of briefs named in brackets (`【中国短讯】`, `【财经快讯】`) heads no story: 3 of 3 in the hand-laid gold are
# page furniture (the section-label rule leaves `…讯】` alone, since a dateline may end so: `【明報專訊】`).
BRIEFS_COLUMN = re.compile(r"^【[^【】]{0,8}[短简快速]讯】$")
# A photo page's label over a set of photos (`组图`) names the set, not a story: 10 of 10 such lines in the gold of
# the training folders are page furniture, over a caption or a photo's headline; the rules read the short bare line
# over a caption as the photo's headline, and the models of the document-held-out CV folds kept it as a kicker.
PHOTO_SET = re.compile(r"^组图[\s\u3000]*$")
# A wire's title line (`新华社合肥7月26日电 题：舍小家为大家——…`): the agency's dispatch line carrying the story's
# title after `题：`, set over the text. The line is the story's headline, not a dateline opening its text (2 of 2 in
# the gold, one hand-laid wire page; the dateline rules read it as a dateline and the models of the CV folds agreed).
WIRE_TITLE = re.compile(r"[电電][\s\u3000]*题[：:]")

# A headline that ends with its column's tag (`内蒙古阿荣旗4名学生溺水身亡 官方：该事件敲响警钟（人民时评）`; the columns are a
# table, pipeline/data/column_tags.tsv): in the gold of the training folders (dev, hand-laid, samples, train-extra)
# 108 of the 108 lines so ended, with no sentence end before the tag, are headlines; the document-held-out CV folds
# read two long ones, standing between stories with no byline under one of them, as body text, up to 0.98 sure.
_COLUMN_TAGS = "|".join(sorted((row[0] for row in data_rows("column_tags.tsv")), key=len, reverse=True))
COLUMN_TAG_HEADLINE = re.compile(rf"^[^。！？!?]+[（(](?:{_COLUMN_TAGS})[）)]$")

# Bullet points under a headline (`■中国人民获得感…`) summarise the article; a dateline may still follow them.
BULLETS = ("■", "●", "◆", "▶", "►", "★", "☆", "◇", "○")

# --- Lists and sub-headings -----------------------------------------------------------------------------------------

LIST_ITEMS: tuple[Rule, ...] = (
    Rule("arabic-item", re.compile(r"^[0-9]{1,2}[.．、](?![0-9])"),
         "`1．…；` items end with ； or nothing, so a new item starts a paragraph even after an open line."),
    Rule("chinese-ordinal-item", re.compile(r"^[一二三四五六七八九十]{1,3}、"),
         "`一、…` numbers the parts of a report or a list."),
    Rule("bracketed-item", re.compile(r"^[（(][一二三四五六七八九十0-9]{1,3}[）)]"),
         "`（一）…`, `(1)…` number list items and sub-sections."),
    Rule("circled-item", re.compile(r"^[①-⑳]"), "`①…` numbers list items."),
    Rule("zero-numbered-item", re.compile(r"^0[1-9](?:[\s\u3000]+|[.．、|｜])(?=\S)"),
         "`01 避开高温时段`: web and WeChat articles number their sections with a leading zero."),
    Rule("ordinal-word-item", re.compile(r"^第[一二三四五六七八九十]{1,3}[，,、是]"), "`第一，…` opens a list item."),
)


# A list item led by `一是`, `二是` (`一是展示了一段热血沸腾的放肆逐梦之旅`): set one to a line after a lead-in
# (`…以下几点：`), often with no stop at its end, so the rules cannot tell it from a column's line; the labeller's
# post-rules open a paragraph there (crf._list_items_open).
SHI_ITEM = re.compile(r"^[一二三四五六七八九十]是")


# --- Rules decided in context (lines.label_lines and assemble) --------------------------------------------------

CONTEXT_RULES: dict[str, str] = {
    "reporter-credit": "An unmarked line of roles and names (`本报记者 周晓峰 李晓晴`, `新华社记者 罗星`) sits under the "
                       "headline in 人民日报 and wire copy; names must start with a common surname, so `记者探营` is no "
                       "byline.",
    "photo-credit": "`记者 X 摄` credits a photo: the byline of a captioned photo, or part of a caption inside an "
                    "article.",
    "collective-byline": "`本报评论员` signs a commentary for the paper; it names no person but is its byline.",
    "byline-continuation": "A byline that does not close with 报道/摄 may go on over one more short line "
                           "(`□记者 孟令洋` / `通讯员 赵健健 报道`).",
    "headline-above-byline": "The short lines just above a byline (at most three: kicker, main, ——subtitle) are the "
                             "article's headline; a line ending in ！/？ closes the main headline, so the end of the "
                             "previous article is not taken in.",
    "headline-above-dateline": "Briefs have no byline line: the short lines above a dateline paragraph are the "
                               "headline.",
    "headline-above-continuation": "A continued article repeats its headline above `（上接第一版）`.",
    "headline-above-caption": "A short line above a caption, after complete text, is the title of a news photo.",
    "stacked-headline": "Two or three stacked bare lines (no punctuation) between complete text and body text are a "
                        "headline even without a byline; the article gets a note saying so.",
    "web-title": "A page title copied from a news site (`…-中新网`, `…_新华网`) after complete text is a headline: the "
                 "site's name ends no sentence of an article.",
    "topic-headline": "On a page copied from a web site (a paragraph a line), a bare short line or a question with no "
                      "comma between finished paragraphs, whose words come back in the lines below it and not in those "
                      "above it, is the headline of the next document: web copy puts no byline or dateline under it.",
    "lone-headline": "One bare line where an item must start (page top, after furniture or an end marker) followed "
                     "by body text is a headline.",
    "subheading": "A short bare line between complete paragraphs of an article is a sub-heading, not a new "
                  "article; a line inside an open quotation or after an unfinished line is a column fragment.",
    "column-break-join": "A line that does not end a sentence goes on in the next line of text (the column break "
                         "is repaired without inserting anything), unless that line opens a list item or is not text.",
    "city-line": "In a roundup, a city name and a dash standing alone (`特拉维夫——`) over the text heads that piece: a "
                 "sub-heading, not a line that the text goes on from.",
    "bare-name-byline": "A line of one to three personal names and nothing else (`毛  宁`, `周杰`) under a "
                        "headline and over the text signs a commentary: it is the byline, and the lines above it the "
                        "headline.",
    "caption-in-article": "A caption followed by more text of the same article is one of its paragraphs (role "
                          "caption); a caption followed by a headline, byline or the page end is a photo of its own.",
}


def rule_reasons() -> dict[str, str]:
    """Every named rule and the reason it exists."""
    tables = (FURNITURE, MARKERS, DATELINES, CAPTIONS, LIST_ITEMS)
    named = [SENTENCE_END, BYLINE_MARK, DATELINE_CREDIT, INLINE_PHOTO_CREDIT, *(r for t in tables for r in t)]
    return {**{r.name: r.reason for r in named}, **CONTEXT_RULES}
