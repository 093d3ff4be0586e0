"""The user glossary: TSV and TBX files, protected model input and term checks (pipeline/glossary.py)."""

from __future__ import annotations

import pytest

from pipeline.errors import UsageError
from pipeline.glossary import load_glossary
from pipeline.names import PERSON, PLACE

TBX = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
<text><body>
<conceptEntry id="c1">
  <langSec xml:lang="en"><termSec><term>ignored: not a langSet</term></termSec></langSec>
  <langSet xml:lang="zh-CN"><tig><term>欣旺达</term></tig></langSet>
  <langSet xml:lang="en-US"><tig><term>Sunwoda</term></tig></langSet>
</conceptEntry>
<termEntry id="c2">
  <langSet xml:lang="zh"><ntig><termGrp><term>锂电池</term></termGrp></ntig></langSet>
  <langSet xml:lang="en"><ntig><termGrp><term>lithium battery</term></termGrp></ntig></langSet>
</termEntry>
</body></text></tbx>
"""


def test_tsv(tmp_path):
    p = tmp_path / "g.tsv"
    p.write_text("# terms\n欣旺达\tSunwoda\n欣旺达滕州\tSunwoda Tengzhou\n张环泽\tZhang Huan-tse\n\n", encoding="utf-8")
    g = load_glossary(p)
    assert g.terms[0] == ("欣旺达滕州", "Sunwoda Tengzhou")  # longest first
    known = g.known()
    assert known["张环泽"].kind == PERSON and known["张环泽"].en == "Zhang Huan-tse"
    assert g.exact(" 欣旺达 ") == "Sunwoda" and g.exact("欣旺达公司") is None


def test_tbx(tmp_path):
    p = tmp_path / "g.tbx"
    p.write_text(TBX, encoding="utf-8")
    assert dict(load_glossary(p).terms) == {"欣旺达": "Sunwoda", "锂电池": "lithium battery"}


@pytest.mark.parametrize(("content", "message"), [
    ("欣旺达 Sunwoda\n", "Chinese<TAB>English"),
    ("# nothing\n", "no terms"),
    ("<tbx><text>", "not well-formed"),
])
def test_bad_glossaries_say_how_to_fix_them(tmp_path, content, message):
    p = tmp_path / ("g.tbx" if content.startswith("<") else "g.tsv")
    p.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        load_glossary(p)


def test_a_missing_file_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="no such glossary"):
        load_glossary(tmp_path / "nope.tsv")


def test_protected_input_and_missing_terms(tmp_path):
    p = tmp_path / "g.tsv"
    p.write_text("欣旺达\tSunwoda\n欣旺达滕州\tSunwoda Tengzhou\n枣庄\tZaozhuang\n", encoding="utf-8")
    g = load_glossary(p, protect=True)
    assert g.protect
    assert g.protected("其中欣旺达滕州源网荷储项目在枣庄。") == "其中 Sunwoda Tengzhou 源网荷储项目在 Zaozhuang 。"
    assert g.missing("欣旺达滕州项目", "The Sunwoda Tengzhou project") == []
    assert g.missing("欣旺达滕州项目", "The Xinwangda project") == ["欣旺达滕州 → Sunwoda Tengzhou"]
    assert g.missing("枣庄", "ZAOZHUANG --") == []
    assert g.known()["枣庄"].kind == PLACE
