"""Knowledge of Chinese text, in one place: script ranges, sentence terminators, bracket and quote pairs, news
agencies and papers (Simplified and Traditional forms), headline limits, and the kinds of line on a page.

Every stage that needs one of these imports it from here (layout, sentences, language, inputs, summarize, bench),
so a fix (a missing agency, a Traditional form) reaches all of them at once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from enum import Enum
from functools import lru_cache
from importlib import resources

# --- Script classes ---------------------------------------------------------------------------------------------

# Han ideographs of the Basic Multilingual Plane: CJK Extension A, the Unified Ideographs, the compatibility
# ideographs. A character class body, to be put inside `[...]` next to other ranges.
HAN_CLASS = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Extensions B–H live on planes 2 and 3 (rare names and place names; Hong Kong papers print some).
HAN_ASTRAL_CLASS = r"\U00020000-\U0003134f"
# One Han character of any plane.
HAN = re.compile(f"[{HAN_CLASS}{HAN_ASTRAL_CLASS}]")
# Japanese kana (without `・` U+30FB, which Chinese text also uses between the parts of foreign names).
KANA_CLASS = r"\u3040-\u309f\u30a0-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9d"
# Korean Hangul syllables and jamo.
HANGUL_CLASS = r"\uac00-\ud7af\u1100-\u11ff\u3130-\u318f"
# Full-width digits and Latin letters (`２０２２年`, `ＧＤＰ`).
FULLWIDTH_ALNUM_CLASS = r"\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"

# --- Sentence terminators --------------------------------------------------------------------------------------

# Sentence-final marks. `.`/`．` end a sentence only in Chinese context (sentences.py decides).
FULL_TERMINATORS = "。！？…"
HALF_TERMINATORS = "!?"
DOTS = ".．"
TERMINATOR_RUN = FULL_TERMINATORS + HALF_TERMINATORS + DOTS
# Closers that may follow a terminator and still end the sentence (`……。”`), even when their opener is in an
# earlier paragraph (Chinese style for a quotation over several paragraphs).
STRAY_CLOSERS = "”’」』）)】〕"
# Text that ends in a terminator, perhaps inside closing quotes or brackets.
ENDS_WITH_TERMINATOR = re.compile(r"[。！？!?…][”’」』）)\]】〕\"']*\s*$")
# A line of a page dump that ends a sentence, so a line break after it may end the paragraph: a terminator (in
# closers), a closing quote alone (`…拼成“丰收季”`), a trailing `（完）`/credit after a terminator, or an English
# sentence's full stop after a word (`… said the minister.`; not after a digit, where `3.` may go on as `3.5`).
# Any other line is continued on the next one (a column break).
LINE_ENDS_SENTENCE = re.compile(
    r"[。！？!?…][”’」』）)\]】〕\"']*\s*$"
    r"|[”」』]\s*$"
    r"|[。！？!?…][”’」』]*[（(][^（）()]{1,24}[）)]\s*$"
    r"|(?<=[A-Za-z])\.[”’\"'）)]*\s*$"
)

# --- Bracket and quote pairs --------------------------------------------------------------------------------------

# Titles of works are never split; quotes and brackets only when standalone and holding several sentences.
TITLE_PAIRS = {"《": "》", "〈": "〉"}
# Mainland papers print “”‘’; Taiwan and Hong Kong papers 「」 and 『』 (the inner quote).
QUOTE_PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』"}
BRACKET_PAIRS = {"（": "）", "(": ")", "【": "】", "[": "]", "〔": "〕"}
# Every pair, opener → closer.
PAIRS = {**TITLE_PAIRS, **QUOTE_PAIRS, **BRACKET_PAIRS}
OPENING_QUOTES = "".join(QUOTE_PAIRS)
CLOSING_QUOTES = "".join(QUOTE_PAIRS.values())


def printed_width(text: str) -> int:
    """The printed width of a text in half-width units: a Chinese character or a full-width mark is two, a digit or a
    Latin letter one (the lines of one newspaper column have the same printed width, not the same length)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

# --- News agencies, papers and sites ----------------------------------------------------------------------------

# Who files a dispatch (`新华社北京10月9日电`, `中央社記者陳美玲台北15日電`). Simplified and Traditional forms.
NEWS_AGENCIES: tuple[str, ...] = (
    "新华社", "新華社", "中新社", "中国新闻社", "中國新聞社", "中央社", "中通社", "香港中通社",
    "法新社", "路透社", "美联社", "美聯社", "共同社", "塔斯社", "韩联社", "韓聯社",
)
# Papers that date their own dispatches (`人民日报北京10月9日电`) or are quoted as sources.
NEWSPAPERS: tuple[str, ...] = (
    "人民日报", "人民日報", "经济日报", "經濟日報", "光明日报", "光明日報", "中国日报", "中國日報", "大众日报",
    "解放日报", "文汇报", "文匯報", "大公报", "大公報", "明报", "明報", "星岛日报", "星島日報", "东方日报",
    "東方日報", "联合报", "聯合報", "中国时报", "中國時報", "自由时报", "自由時報", "苹果日报", "蘋果日報",
    "香港商报", "香港商報",
)
# News sites: they date dispatches (`中新网7月26日电`) and sign page titles (`…-中新网`).
NEWS_SITES: tuple[str, ...] = (
    "中新网", "中新網", "中国新闻网", "中國新聞網", "新华网", "新華網", "人民网", "人民網", "央视网", "央視網",
    "央广网", "央廣網", "光明网", "光明網", "中国日报网", "中國日報網", "环球网", "環球網", "澎湃新闻", "澎湃新聞",
    "新浪网", "新浪網", "新浪", "网易", "網易", "搜狐", "凤凰网", "鳳凰網", "中时新闻网", "中時新聞網", "联合新闻网",
    "聯合新聞網",
)
# The paper speaking of itself: `本报讯`, `本報記者`, `【本報高雄訊】`.
OWN_PAPER: tuple[str, ...] = ("本报", "本報")


def _alternation(words: tuple[str, ...]) -> str:
    """A regex alternation of `words`, longest first so `中国日报网` wins over `中国日报`."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


# Any source that may head a dispatch dateline.
DISPATCH_SOURCES = _alternation((*NEWS_AGENCIES, *NEWSPAPERS, *NEWS_SITES, *OWN_PAPER))
# Sites whose name follows a page title copied from the web (`…-中新网`, `…_新华网`, `… | 人民网`).
SITE_NAMES = _alternation(NEWS_SITES)
# A dateline that opens a news paragraph: `本报枣庄讯`, `新华社北京7月26日电（记者倪元锦）`, `中新网7月26日电`,
# `本報台北訊`, with the reporter credit in brackets that may follow it.
DISPATCH_DATELINE = re.compile(
    rf"\s*(?:(?:本报|本報)[{HAN_CLASS}]{{0,8}}?[讯訊]"
    rf"|(?:{DISPATCH_SOURCES})[{HAN_CLASS}]{{0,10}}?\d{{1,2}}月\d{{1,2}}日(?:电|讯|電|訊))"
    r"(?:\s*[（(][^（()）\n]{1,30}[）)])?"
)

# Verbs that close a quotation's attribution (`“……。”果农张德顺说。`).
SPEECH_VERBS = (r"(?:说道?|道|表示|介绍|指出|称|强调|认为|坦言|透露|回忆|感慨|感叹|补充|解释|告诉记者|问道?|答道|谈到|提到|"
                r"直言|笑言|坦承|宣布|呼吁|写道|承认|表态)")

# --- Headline limits --------------------------------------------------------------------------------------------

# A headline is a short line; the longest on the sample pages is 23 characters, and a column-broken fragment of a
# paragraph is mostly a full column line (40+ characters) — 32 separates the two with room on both sides.
MAX_HEADLINE_CHARS = 32
# A page title copied from a news site keeps the site's name after a dash (`…高风险地区进行二次检测-中新网`); such a
# title may run past MAX_HEADLINE_CHARS (35 characters on a WMT21 page), and no paragraph line ends this way.
MAX_WEB_TITLE_CHARS = 64
# Kicker + main (+ subtitle): more stacked short lines than this before a byline are furniture, not headlines.
MAX_HEADLINE_LINES = 3


# --- Kinds of line on a page --------------------------------------------------------------------------------------

class LineKind(str, Enum):
    """What a line of a page dump is.

    The first group are the labels of the sequence labeller (pipeline/layout/crf.py) and of gold line files; the
    second group are what the named rules say of a line before its context is known (rules.py, lines.py).
    """

    FURNITURE = "furniture"  # page furniture: running head, page number, staff credits, section label, masthead
    KICKER = "kicker"  # a column tag or kicker above the main headline (`新春走基层`, `…通过各种方式——`)
    HEADLINE = "headline"  # the main headline
    SUBTITLE = "subtitle"  # a subtitle under the main headline (`——记…`)
    BYLINE = "byline"  # the reporters (`本报记者 张三`, `□记者 张三 报道`); a second line of it too
    DATELINE = "dateline"  # a paragraph that opens with a dateline (`本报济南9月14日讯`, `【本報高雄訊】`)
    BODY = "body"  # the first line of a body paragraph
    CONTINUATION = "continuation"  # a line that goes on the paragraph above it (a repaired column break)
    SUBHEADING = "subheading"  # a heading inside an article (`一、科技助力单产提升`, a roundup's city piece)
    CAPTION = "caption"  # a photo caption
    CREDIT = "credit"  # a photo or graphics credit (`记者 宋鹏 摄`, `制图：郭 祥`)
    NOTE = "note"  # an editor's note (`编者按：…`, `开栏的话`, `——编 者`)
    END_MATTER = "end"  # the end matter of an article (`（作者为中国驻苏丹大使）`, `（本报记者李晓宏…）`)
    MARKER = "marker"  # `（下转第二版）`, `（上接第一版）`, `（完）`
    # Rule-stage kinds, before context decides:
    TEXT = "text"  # a line of text the rules do not recognise alone
    LIST = "list"  # a numbered list item (`1．…`, `（一）…`)
    BYLINE_CONTINUATION = "byline+"  # the second line of a byline set over two lines

    def __str__(self) -> str:
        return self.value


# The labels a page's lines get from the sequence labeller, in a fixed order (the model's label set).
SEQUENCE_LABELS: tuple[LineKind, ...] = (
    LineKind.FURNITURE, LineKind.KICKER, LineKind.HEADLINE, LineKind.SUBTITLE, LineKind.BYLINE, LineKind.DATELINE,
    LineKind.BODY, LineKind.CONTINUATION, LineKind.SUBHEADING, LineKind.CAPTION, LineKind.CREDIT, LineKind.NOTE,
    LineKind.END_MATTER, LineKind.MARKER,
)


# --- Tables (pipeline/data/*.tsv) -----------------------------------------------------------------------------------

def data_rows(name: str) -> Iterator[list[str]]:
    """The rows of a table in pipeline/data (tab-separated; blank lines and `#` comments skipped)."""
    text = resources.files("pipeline.data").joinpath(name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.rstrip("\n").split("\t")


# --- Traditional script ---------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _t2s() -> Callable[[str], str]:
    import opencc

    convert: Callable[[str], str] = opencc.OpenCC("t2s").convert
    return convert


@lru_cache(maxsize=65536)
def _simplified_char(ch: str) -> str:
    out = _t2s()(ch)
    return out if len(out) == 1 else ch


def to_simplified(text: str) -> str:
    """`text` with each Traditional character replaced by its Simplified form, character for character, so offsets
    into it are offsets into `text` (`本報記者 陳美玲／臺北報導` → `本报记者 陈美玲／台北报导`). The layout rules read
    this form, so Taiwan and Hong Kong pages answer to the same rules as mainland ones."""
    if text.isascii():
        return text
    return "".join(_simplified_char(ch) if ord(ch) > 0x2fff else ch for ch in text)


# --- Words across a line break ----------------------------------------------------------------------------------------

# How many characters each side of a line break are read to tell whether the break falls inside a word (jieba's
# dictionary words are rarely longer than four characters).
WORD_WINDOW = 4
_HAN_CHAR = re.compile(f"[{HAN_CLASS}]")


@lru_cache(maxsize=1)
def jieba_module():  # type: ignore[no-untyped-def]
    """jieba, loaded once and quiet (no "Building prefix dict" chatter on stderr)."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def breaks_word(before: str, after: str) -> bool:
    """Whether a line break between `before` and `after` falls inside a word (`…新闻办公室26日召` | `开…`), by jieba's
    dictionary segmentation (no HMM guesses) of the characters either side. Only a column break does that: in the dev
    gold (generated, hand-laid and sample pages), 3,963 of 9,822 column-break joins break a word, and 4 of 6,846
    other line ends seem to (`郭海飞` | `入夏`). Only a break between two Han characters is read (jieba runs a Latin
    word into the digits of a date on the next line)."""
    if not (before and after and _HAN_CHAR.match(before[-1]) and _HAN_CHAR.match(after[0])):
        return False
    left = before[-WORD_WINDOW:]
    pos = 0
    for word in jieba_module().cut(left + after[:WORD_WINDOW], HMM=False):
        if pos < len(left) < pos + len(word):
            return True
        pos += len(word)
    return False
