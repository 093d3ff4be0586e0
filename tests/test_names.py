"""Names: romanisation as English-language media write it, and finding names in text (pipeline/names.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.names import (
    PERSON,
    PLACE,
    english_has,
    find_names,
    looks_transliterated,
    romanize,
    split_person,
    tables,
)

DATA = Path(__file__).parent / "data"


def _cases() -> list[tuple[str, str, str]]:
    rows = []
    for line in (DATA / "names_romanization.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            zh, kind, en = line.split("\t")
            rows.append((zh, kind, en))
    return rows


CASES = _cases()


def test_the_names_set_is_large_and_covers_the_hard_cases():
    assert len(CASES) >= 100
    zh = {c[0] for c in CASES}
    assert {"单学刚", "解缙", "曾国藩", "区家麟", "欧阳娜娜", "香港", "臺北"} <= zh


@pytest.mark.parametrize(("zh", "kind", "en"), CASES, ids=[c[0] for c in CASES])
def test_romanisation(zh, kind, en):
    assert romanize(zh, kind) == en


def test_tables_load_and_are_consistent():
    t = tables()
    assert t.surnames["单"] == "Shan" and t.surnames["欧阳"] == "Ouyang"
    assert all(k.kind in (PERSON, PLACE) for k in t.known.values())
    assert "枣庄市" in t.divisions


@pytest.mark.parametrize(("zh", "parts"), [
    ("张环泽", ("张", "环泽")), ("欧阳娜娜", ("欧阳", "娜娜")), ("王浩", ("王", "浩")), ("开工", None),
    ("集中开工", None), ("张", None), ("Zhang", None),
])
def test_split_person(zh, parts):
    assert split_person(zh) == parts


@pytest.mark.parametrize(("text", "expected"), [
    ("枣庄市委副书记、市长张宏伟表示，全市上下要锚定项目不放松。", [("枣庄市", PLACE), ("张宏伟", PERSON)]),
    ("银川市湿地保护中心副主任吕金虎告诉记者，湿地保护增加了生物多样性。", [("银川市", PLACE), ("吕金虎", PERSON)]),
    ("薛城区区长樊猛表示，将进一步健全完善项目帮包机制。", [("薛城区", PLACE), ("樊猛", PERSON)]),
    ("巴西总统博索纳罗25日在他的个人社交媒体账号上宣布。", [("巴西", PLACE)]),  # 博索纳罗: not by pinyin
    ("受强降雨影响，江津区驴子溪、涪陵区油江河出现超警戒水位洪水。", [("江津区", PLACE), ("驴子溪", PLACE), ("涪陵区", PLACE),
                                                   ("油江河", PLACE)]),
])
def test_find_names(text, expected):
    assert [(f.zh, f.kind) for f in find_names(text)] == expected


def test_transliterated_names_are_not_romanised_by_pinyin():
    assert looks_transliterated("博索纳罗")
    assert looks_transliterated("卡洛斯·隆")
    assert not looks_transliterated("张环泽")


@pytest.mark.parametrize(("en", "forms", "has"), [
    ("Reporter Zhang Huanze reports", ["Zhang Huanze"], True),
    ("ZHANG Huan-ze said", ["Zhang Huanze"], True),
    ("Zhang Huan said", ["Zhang Huanze"], False),
    ("Peking University", ["Beijing", "Peking"], True),
])
def test_english_has_compares_letters_only(en, forms, has):
    assert english_has(en, forms) is has
