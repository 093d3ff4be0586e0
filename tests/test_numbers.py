"""The number checker: a table of real zh/en pairs, correct and wrong, with Chinese units understood."""

from __future__ import annotations

import pytest

from pipeline.numbers import en_numbers, missing_numbers, zh_numbers

# (Chinese, English, the Chinese numbers the English fails to state). Most Chinese sides are the seed page's.
CASES = [
    # Correct translations: every figure is there, in whatever form English states it.
    ("合同总投资686亿元。", "The total contract investment is 68.6 billion yuan.", []),
    ("约1.5万人参加。", "About 15,000 people took part.", []),
    ("约1.5万人参加。", "About 15 thousand people took part.", []),
    ("合同总投资379.78亿元。", "Total contract investment was 37.978 billion yuan.", []),
    ("比去年提高30个百分点。", "It is 30 percentage points higher than last year.", []),
    ("光纤90%以上的性能由光纤预制棒决定。", "More than 90% of the fiber's performance is determined by the preform.", []),
    ("产能利用率达到80%以上。", "Capacity utilisation exceeded 80 percent.", []),
    ("2022年10月9日,枣庄举行开工仪式。", "On October 9, 2022, Zaozhuang held a groundbreaking ceremony.", []),
    ("10月9日上午开工。", "Construction started on the morning of Oct. 9.", []),
    ("今年1-9月份,山亭区新签约过亿元项目43个,合同总投资379.78亿元。",
     "From January to September this year, Shanting District signed 43 new projects worth over 100 million yuan "
     "each, with a total contract investment of 37.978 billion yuan.", []),
    ("其中,50亿元以上项目3个,10亿元以上项目22个。",
     "Among them, 3 projects are worth more than 5 billion yuan and 22 projects more than 1 billion yuan.", []),
    ("其中,50亿元以上项目3个,10亿元以上项目22个。",
     "Among them, three projects exceed five billion yuan and twenty-two exceed one billion yuan.", []),
    ("其中欣旺达滕州源网荷储零碳智慧产业园项目投资105.6亿元。",
     "Of these, the Sunwoda Tengzhou zero-carbon smart industrial park project invests 10.56 billion yuan.", []),
    ("56个省市重点投资项目完成投资42.03亿元,占年度计划的101%。",
     "56 provincial and municipal key projects completed investment of 4.203 billion yuan, 101% of the annual plan.",
     []),
    ("此次集中开工项目6个,总投资29.43亿元。",
     "Six projects started construction this time, with a total investment of 2.943 billion yuan.", []),
    ("聚焦全区“6+3”产业体系,设立红色招商先锋队。",
     'Focusing on the district\'s "6+3" industrial system, it set up a red investment vanguard team.', []),
    ("健全三项机制。", "Improve three mechanisms.", []),
    ("开展六项活动。", "Carry out six activities.", []),
    ("智光通信产业园项目总投资30亿元,分三期建设。",
     "The Zhiguang communication industrial park project has a total investment of 3 billion yuan and is built in "
     "three phases.", []),
    ("围绕一个目标。", "Focus on a goal.", []),  # 一 is an article in English: not required
    ("总投资3亿5000万元。", "The total investment is 350 million yuan.", []),
    ("项目总投资一千五百万元。", "The project's total investment is 15 million yuan.", []),
    ("全市七成企业已复工。", "70% of the city's companies have resumed work.", []),
    ("这是第三届博览会。", "This is the third expo.", []),
    ("这是第3届博览会。", "This is the 3rd expo.", []),
    ("全长5千米。", "It is 5 km long.", []),  # 千 before 米 is kilo-, not thousand
    ("他们十分重视这项工作。", "They attach great importance to this work.", []),  # 十分 = very
    ("几十个村庄受益。", "Dozens of villages benefited.", []),  # vague: nothing exact to check
    ("增长百分之三十。", "It grew by 30 percent.", []),
    ("产值翻了两倍。", "Output value doubled.", []),
    ("新增就业岗位2,000个。", "2,000 new jobs were created.", []),
    ("３月５日召开会议。", "The meeting was held on March 5.", []),  # full-width digits
    ("增长两千零二十二户。", "An increase of 2022 households.", []),
    # Wrong translations: a figure changed, dropped or rounded.
    ("合同总投资686亿元。", "The total contract investment is 6.86 billion yuan.", ["686亿"]),
    ("合同总投资686亿元。", "The total contract investment is 68.6 million yuan.", ["686亿"]),
    ("约1.5万人参加。", "About 1,500 people took part.", ["1.5万"]),
    ("合同总投资379.78亿元。", "Total contract investment was 37.98 billion yuan.", ["379.78亿"]),
    ("比去年提高30个百分点。", "It rose by 3 percentage points.", ["30"]),
    ("产能利用率达到80%以上。", "Capacity utilisation exceeded 8 percent.", ["80"]),
    ("2022年10月9日,枣庄举行开工仪式。", "On October 19, 2022, Zaozhuang held a ceremony.", ["9"]),
    ("2022年10月9日,枣庄举行开工仪式。", "On September 9, 2021, Zaozhuang held a ceremony.", ["2022", "10"]),
    ("其中,50亿元以上项目3个,10亿元以上项目22个。",
     "Among them, 3 projects are worth more than 5 billion yuan and 2 projects more than 1 billion yuan.", ["22"]),
    ("56个省市重点投资项目完成投资42.03亿元,占年度计划的101%。",
     "56 key projects completed investment of 4.2 billion yuan, 101% of the annual plan.", ["42.03亿"]),
    ("此次集中开工项目6个,总投资29.43亿元。", "Projects started construction this time.", ["6", "29.43亿"]),
    ("健全三项机制。", "Improve the mechanisms.", ["三"]),
    ("智光通信产业园项目总投资30亿元,分三期建设。",
     "The project has a total investment of 30 billion yuan and is built in three phases.", ["30亿"]),
    ("总投资3亿5000万元。", "The total investment is 300 million yuan.", ["3亿5000万"]),
    ("全市七成企业已复工。", "7% of the city's companies have resumed work.", ["七成"]),
    ("这是第三届博览会。", "This is the second expo.", ["三"]),
    ("增长百分之三十。", "It grew by 13 percent.", ["百分之三十"]),
    ("今年1-9月份,新签约项目43个。", "From January to October this year, 34 projects were signed.", ["9", "43"]),
]


@pytest.mark.parametrize("zh, en, missing", CASES)
def test_missing_numbers(zh, en, missing):
    assert missing_numbers(zh, en) == missing


def test_the_table_is_big_and_has_both_kinds():
    assert len(CASES) >= 40
    assert sum(1 for *_, m in CASES if m) >= 15 and sum(1 for *_, m in CASES if not m) >= 25


@pytest.mark.parametrize(
    "zh, values",
    [
        ("686亿元", [68_600_000_000]),
        ("1.5万", [15_000]),
        ("379.78亿", [37_978_000_000]),
        ("2万亿元", [2_000_000_000_000]),
        ("3千万", [30_000_000]),
        ("10月9日", [10, 9]),
        ("百分之三十", [30]),
        ("一些人统一了思想,千万不要万一。", []),
        ("上万名群众", []),
        ("二三十个", []),  # a range in words: vague
    ],
)
def test_zh_values(zh, values):
    assert [n.value for n in zh_numbers(zh)] == pytest.approx(values)


@pytest.mark.parametrize(
    "en, expected",
    [
        ("68.6 billion yuan", {68.6, 68.6e9}),
        ("a billion", {1e9}),
        ("one hundred million", {1e8}),
        ("three hundred and five", {305}),
        ("twenty-two", {22}),
        ("from January to September", {1, 9}),
        ("you may march", set()),
        ("millions of people", set()),
    ],
)
def test_en_values(en, expected):
    assert sorted(en_numbers(en)) == pytest.approx(sorted(expected))


def test_the_projects_own_translations_state_every_figure():
    from pipeline.testmodel import parallel_set

    pairs = parallel_set()
    assert sum(1 for zh, _ in pairs if zh_numbers(zh)) >= 10
    assert [(zh, missing_numbers(zh, en)) for zh, en in pairs if missing_numbers(zh, en)] == []
