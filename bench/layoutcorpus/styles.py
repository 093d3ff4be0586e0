"""Each paper's conventions as data: furniture, byline and dateline forms, column widths, how lines are broken, and
how often each convention of issue #13 occurs. build.py reads these tables; a new paper is a new entry here.

Placeholders: {date} {wd} (weekday character) {page} {section} {paper} {name} {names} {city} {m} {d}.
`width`: column width in full-width characters (a half-width character counts one half). `wrap`: "all" breaks every
line at the column width, as a page dump does; "sparse" keeps most paragraphs on one line and breaks a few at random,
as text copied from a page reader does. `blank`: chance that a page puts a blank line between all its lines.
`held_out`: the style occurs only in the test half.
"""

from __future__ import annotations

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华红玉兰飞鹏辉建国晓东海波宁雪梅琳斌宇浩凯俊帆欣怡佳悦昊然子涵思远晨阳博文瑞"
CITIES = ["北京", "上海", "广州", "济南", "杭州", "南京", "成都", "武汉", "西安", "郑州", "长沙", "合肥", "福州", "昆明",
          "兰州", "太原", "南昌", "贵阳", "南宁", "哈尔滨", "长春", "沈阳", "石家庄", "呼和浩特", "银川", "西宁", "乌鲁木齐", "拉萨"]
FOREIGN_CITIES = ["布鲁塞尔", "巴黎", "柏林", "伦敦", "莫斯科", "东京", "首尔", "曼谷", "开罗", "内罗毕", "华盛顿",
                  "纽约", "里约热内卢", "罗马", "马德里", "雅典", "日内瓦", "维也纳", "新德里", "雅加达"]
TW_CITIES = ["臺北", "高雄", "臺中", "臺南", "新竹", "桃園", "花蓮", "嘉義", "宜蘭", "基隆"]
SECTIONS = ["要闻", "综合", "经济", "国际", "社会", "文化", "地方", "评论", "视觉", "民生", "时政", "产经"]
TW_SECTIONS = ["焦點", "生活", "綜合", "地方", "兩岸", "國際", "財經", "社會"]
HK_SECTIONS = ["港聞", "要聞", "經濟", "中國", "國際", "社會", "評論"]
WEEKDAYS = "一二三四五六日"

# Short lines that real papers set above or under headlines and inside articles (conventions, not article text).
COLUMN_NAMES = ["新春走基层", "一线调研", "记者手记", "奋进新征程 建功新时代", "高质量发展调研行", "新时代新征程新伟业",
                "非凡十年", "走进县城看发展", "经济新方位", "总书记的人民情怀", "聚焦防汛救灾", "对话"]
KICKERS = ["国际组织负责人和多国政要通过各种方式——", "多地多部门持续发力——", "各地扎实推进乡村振兴——",
           "瞄准群众急难愁盼", "坚持稳中求进工作总基调", "抓好防汛救灾各项工作", "让发展成果更多惠及全体人民",
           "深化改革开放 激发市场活力", "科技赋能 产业升级"]
QUESTION_KICKERS = ["新就业形态劳动者如何维权?", "老旧小区改造难在哪里？", "夜经济如何“亮”起来？",
                    "数字人民币离我们还有多远？", "县城消费潜力怎样释放？", "防汛物资储备是否充足？"]
SUBTITLES = ["——各地抓好防汛救灾工作综述", "——来自基层一线的调查", "——记者蹲点见闻", "——写在全国助残日之际",
             "——国际社会积极评价中国发展", "——走访边境口岸见闻", "——专家解读最新经济数据"]
COLUMN_TAGS = ["（人民时评）", "（钟声）", "（大使随笔）", "（寄给祖国的家书）", "（评论员观察）", "（国际论坛）", "（人民论坛）"]
NUMERALS = "一二三四五六七八九十"
EDITOR_NOTES = [
    "编者按：今年以来，各地区各部门认真落实党中央决策部署，推动各项政策落地见效。本版今起推出系列报道，展现各地的新举措新成效。",
    "编者按：防汛救灾关系人民群众生命财产安全。近期，本报记者深入一线，记录下一个个感人的瞬间。",
    "编者按：基层是一切工作的落脚点。本报开设专栏，讲述基层干部群众干事创业的故事，敬请关注。",
    "编者按：如何让群众的获得感成色更足？本期邀请几位一线工作者谈谈他们的做法和体会。",
]
OPENING_NOTES = ["开栏的话", "写在前面"]
EDITOR_SIGNATURES = ["——编 者", "——编者"]
AUTHOR_NOTES = ["（作者为中国驻苏丹大使）", "（作者为中国社会科学院研究员）", "（作者为中国人民大学教授）",
                "（作者单位：国务院发展研究中心）", "（作者为本报评论部编辑）", "（作者为中国驻希腊大使）"]
GRAPHIC_CREDITS = ["制图：{name}", "数据来源：国家统计局", "制图：{name}  数据来源：海关总署", "资料图片"]
ROUNDUP_KICKERS = ["国际社会高度评价中国发展成就——", "多国人士积极评价——", "各国共同应对挑战——"]
INTERVIEW_QUESTIONS = [
    "今年以来，相关工作取得了哪些进展？", "下一步有哪些具体安排？", "群众最关心的问题是什么？",
    "面对新的形势，如何把握好发展机遇？", "您怎样看待这一变化？", "这些措施落实得怎么样？", "还有哪些困难需要解决？",
]
LIST_LEADS = ["具体措施包括：", "主要有以下几个方面：", "有关部门提醒市民注意以下几点：", "记者梳理发现，主要变化有："]
LIST_FORMS = ["（{n}）", "{n}．", "{n}.", "{cn}是", "第{cn}，"]
QR_LABELS = ["扫码看视频", "扫描二维码 阅读更多内容", "更多精彩内容请扫码", "扫码下载客户端", "掃碼看更多"]
BRIEF_LABELS = ["【城事速递】", "【便民提示】", "【民生关注】", "【社区动态】", "【本地新闻】"]
TW_BRIEF_LABELS = ["【地方快訊】", "【生活短波】"]

STYLES: dict[str, dict] = {
    "national": {  # 人民日报
        "about": "national daily (人民日报): kicker/main/——subtitle, column tags, 本报记者 bylines, 编者按, numbered "
                 "sub-heads, ■ bullets, (作者为…) end matter, credits, 本版责编 footer",
        "script": "hans", "paper": "人民日报",
        "header": ["{date} 星期{wd}", "{paper} {date} 星期{wd} 第{page:02d}版：{section}", "{page} {section}",
                   "{date} 星期{wd} 第{page:02d}版：{section}"],
        "footer": ["本版责编：{names}", "本版责编：{names}  版式设计：{name}"],
        "width": (18, 26), "wrap": ["all", "sparse"], "blank": 0.15, "indent": ["\u3000\u3000", "  ", ""],
        "byline": ["本报记者  {names}", "本报记者 {names}", "本报评论员", "{name}"],
        "dateline": ["本报{city}{m}月{d}日电", "新华社{city}{m}月{d}日电"],
        "inline_byline": 0.0, "articles": (2, 4),
        "p": {"kicker": 0.35, "question_kicker": 0.1, "column_name": 0.15, "subtitle": 0.25, "column_tag": 0.15,
              "editor_note": 0.15, "bullets": 0.12, "numbered_subs": 0.2, "author_note": 0.12, "credit": 0.15,
              "photo": 0.25, "inner_caption": 0.1, "section_label": 0.3, "roundup": 0.12, "list": 0.12, "continued": 0.1},
    },
    "wire": {  # 新华社电讯
        "about": "wire copy (新华社): 新华社…电（记者 X） datelines, 新华社记者 X byline lines, （完）, titled photos",
        "script": "hans", "paper": "新华社电讯",
        "header": ["新华社电讯 {date} 星期{wd}", "新华社 {date}"],
        "footer": [],
        "width": (20, 30), "wrap": ["sparse", "all"], "blank": 0.1, "indent": ["  ", "\u3000\u3000", ""],
        "byline": ["新华社记者 {names}"],
        "dateline": ["新华社{city}{m}月{d}日电"], "inline_byline": 0.8, "inline_byline_form": ["（记者 {names}）", "（记者{names}）"],
        "articles": (2, 5), "end_marker": ["（完）"],
        "p": {"kicker": 0.15, "subtitle": 0.1, "photo": 0.3, "numbered_subs": 0.05, "question_kicker": 0.05},
    },
    "provincial": {  # 大众日报-like provincial daily
        "about": "provincial daily (大众日报 style): □记者 X 通讯员 Y 报道 bylines, 本报济南讯 datelines, blank lines",
        "script": "hans", "paper": "大众日报",
        "header": ["{date} 星期{wd}", "第{page}版", "{paper} {section}", "{date} 星期{wd} {section} {page:02d}"],
        "footer": ["责任编辑：{name}  美编：{name}", "责任编辑：{name}"],
        "width": (14, 22), "wrap": ["all", "sparse"], "blank": 0.6, "indent": ["", "  ", "\u3000\u3000"],
        "byline": ["□记者 {name} 通讯员 {name} 报道", "□ 本报记者 {name}", "□记者 {name} 报道",
                   "□记者 {name}\n通讯员 {name} 报道"],
        "dateline": ["本报{city}讯", "本报{city}{m}月{d}日讯"], "inline_byline": 0.1, "qr": 0.2,
        "inline_byline_form": ["（记者 {name} 通讯员 {name}）"],
        "articles": (2, 4),
        "p": {"kicker": 0.3, "subtitle": 0.1, "credit": 0.1, "photo": 0.3, "numbered_subs": 0.1, "question_kicker": 0.1,
              "column_name": 0.1, "section_label": 0.2, "list": 0.15, "continued": 0.12},
    },
    "evening": {  # city / evening paper: briefs
        "about": "city/evening paper briefs (齐鲁晚报 style): 本报济南9月14日讯(记者 马宁)记者从… inline, 【】 labels, "
                 "every brief an article with its own headline",
        "script": "hans", "paper": "齐鲁晚报·齐鲁壹点",
        "header": ["{date} 星期{wd}  A{page:02d}  {section}", "{paper}", "A{page:02d} {section}"],
        "footer": ["美编：{name}  组版：{name}", "责任编辑：{name}"],
        "width": (12, 18), "wrap": ["all", "sparse"], "blank": 0.2, "indent": ["", "  "],
        "byline": ["文/图 记者 {name}", "记者 {name}"],
        "dateline": ["本报{city}{m}月{d}日讯", "本报讯"], "inline_byline": 1.0,
        "inline_byline_form": ["(记者 {name})", "（记者 {name}）", "(记者 {name} 通讯员 {name})", "（记者 {name} 实习生 {name}）"],
        "articles": (3, 7), "page_type": "briefs", "qr": 0.3,
        "p": {"kicker": 0.1, "photo": 0.2, "brief_label": 0.5},
    },
    "business": {  # 经济日报 / 21世纪经济报道-like
        "about": "business daily: 本报记者 X 北京报道 bylines, ■ summaries, data credits (数据来源：…), 制图, sub-heads",
        "script": "hans", "paper": "经济日报",
        "header": ["{paper} {date} 星期{wd}", "{page:02d} {section}", "ECONOMIC DAILY"],
        "footer": ["责任编辑：{name}  版式设计：{name}"],
        "width": (16, 24), "wrap": ["all"], "blank": 0.2, "indent": ["\u3000\u3000", ""],
        "byline": ["本报记者 {names}", "本报记者 {name} {city}报道", "经济日报记者 {names}"],
        "dateline": [], "inline_byline": 0.0, "articles": (2, 3),
        "p": {"kicker": 0.25, "subtitle": 0.2, "bullets": 0.3, "numbered_subs": 0.25, "credit": 0.35,
              "question_kicker": 0.1, "photo": 0.1, "section_label": 0.3, "list": 0.2},
    },
    "taiwan": {
        "about": "Taiwan paper, Traditional script: 本報記者 陳美玲／臺北報導 bylines, 【本報高雄訊】 datelines, 「」 quotes",
        "script": "tw", "paper": "聯合報",
        "header": ["{date} 星期{wd}", "A{page} {section}", "{paper} {date} 星期{wd} A{page} {section}"],
        "footer": ["編輯：{name}"],
        "width": (12, 20), "wrap": ["all", "sparse"], "blank": 0.2, "indent": ["", "\u3000\u3000"],
        "byline": ["本報記者 {name}／{twcity}報導", "記者{name}／{twcity}報導", "記者{name}、{name}／{twcity}報導"],
        "dateline": ["【本報{twcity}訊】", "【記者{name}／{twcity}報導】"], "inline_byline": 0.3,
        "articles": (2, 4),
        "p": {"kicker": 0.2, "subtitle": 0.15, "photo": 0.25, "brief_label": 0.1, "question_kicker": 0.1},
    },
    "hongkong": {
        "about": "Hong Kong paper, Traditional script (文匯報/大公報/明報 style): 香港文匯報訊（記者 X）, 【明報專訊】, 「」 quotes",
        "script": "hk", "paper": "香港文匯報", "held_out": True,
        "header": ["{date} 星期{wd}", "A{page} {section}", "{paper} {date}"],
        "footer": ["責任編輯：{name}  版面設計：{name}"],
        "width": (12, 20), "wrap": ["all", "sparse"], "blank": 0.2, "indent": ["", "\u3000\u3000"],
        "byline": ["大公報記者 {name}", "記者 {name}"],
        "dateline": ["香港文匯報訊", "【明報專訊】", "【本報訊】"], "inline_byline": 0.6,
        "inline_byline_form": ["（記者 {name}）", "（記者 {name}、{name}）"],
        "articles": (2, 4),
        "p": {"kicker": 0.2, "subtitle": 0.15, "photo": 0.25, "question_kicker": 0.1},
    },
    "interview": {
        "about": "interview page: ——访… subtitle, 记者：/答： turns, a standfirst, 本报记者 byline",
        "script": "hans", "paper": "光明日报", "held_out": True,
        "header": ["{paper} {date} 星期{wd}", "{page:02d} {section}"],
        "footer": ["本版编辑：{names}"],
        "width": (18, 26), "wrap": ["all", "sparse"], "blank": 0.15, "indent": ["\u3000\u3000", ""],
        "byline": ["本报记者 {names}", "本报记者 {name}"], "dateline": [], "inline_byline": 0.0,
        "articles": (1, 1), "page_type": "interview", "p": {"photo": 0.3},
    },
    "commentary": {
        "about": "commentary page: column tags after headlines (（人民时评）), 本报评论员, pen-name bylines, (作者为…) end matter",
        "script": "hans", "paper": "人民日报",
        "header": ["{date} 星期{wd}", "{page:02d} 评论"],
        "footer": ["本版责编：{names}"],
        "width": (16, 24), "wrap": ["all", "sparse"], "blank": 0.1, "indent": ["\u3000\u3000", ""],
        "byline": ["本报评论员", "{name}", "本报评论部", "{spaced}"], "dateline": [], "inline_byline": 0.0,
        "articles": (2, 3), "page_type": "commentary",
        "p": {"column_tag": 0.6, "author_note": 0.5, "kicker": 0.1, "editor_note": 0.15},
    },
    "photo": {
        "about": "photo page: titled news photos, 图为… captions, 本报记者 X摄 / 新华社记者 X 摄 credits, 组图, one story",
        "script": "hans", "paper": "人民日报",
        "header": ["{date} 星期{wd}", "{page:02d} 视觉"],
        "footer": ["本版责编：{names}"],
        "width": (16, 24), "wrap": ["sparse"], "blank": 0.2, "indent": ["\u3000\u3000", ""],
        "byline": ["本报记者 {name}"], "dateline": ["本报{city}{m}月{d}日电"], "inline_byline": 0.0,
        "articles": (1, 1), "page_type": "photo", "p": {},
    },
    "roundup": {
        "about": "international roundup: kicker ending in ——, pieces led by a city line (布鲁塞尔——) and a short "
                 "sub-headline, collective end matter （本报记者…）",
        "script": "hans", "paper": "人民日报",
        "header": ["{date} 星期{wd}", "{page:02d} 国际"],
        "footer": ["本版责编：{names}"],
        "width": (18, 26), "wrap": ["all", "sparse"], "blank": 0.1, "indent": ["\u3000\u3000", ""],
        "byline": [], "dateline": [], "inline_byline": 0.0,
        "articles": (1, 2), "page_type": "roundup", "p": {"photo": 0.2},
    },
    "webdump": {
        "about": "text pasted from a news site (WMT21 documents as they are): one sentence a line, site suffixes on "
                 "titles, inline datelines, question sub-heads, no column breaks",
        "script": "hans", "paper": "",
        "header": [], "footer": [], "width": (0, 0), "wrap": ["none"], "blank": 0.2, "indent": [""],
        "byline": [], "dateline": [], "inline_byline": 0.0, "articles": (2, 5), "page_type": "webdump", "p": {},
    },
}
