"""`pipeline export`: the aligned sentence pairs as TMX 1.4, TSV and JSONL, from real run output."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.errors import InputError, UsageError
from pipeline.export import Pair, collect_pairs, export, to_jsonl, to_tmx, to_tsv
from pipeline.run import write_outputs
from test_render import MODEL, rich_page, seed_output

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
runner = CliRunner()


@pytest.fixture(scope="module")
def seed_dir(tmp_path_factory, memorizing_translator) -> Path:
    return seed_output(tmp_path_factory, memorizing_translator)


@pytest.fixture(scope="module")
def seed_sentences(seed_dir) -> list[dict]:
    """Every sentence of the seed page's article JSON, in page order."""
    index = json.loads((seed_dir / "index.json").read_text(encoding="utf-8"))
    out = []
    for item in index["items"]:
        if item["kind"] != "other":
            doc = json.loads((seed_dir / item["json"]).read_text(encoding="utf-8"))
            out += [s for p in doc["paragraphs"] for s in p["sentences"]]
    return out


def test_tmx_is_version_1_4_from_zh_cn_with_one_tu_per_sentence(seed_dir, seed_sentences):
    root = ET.fromstring(export(seed_dir, "tmx"))
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert header.get("srclang") == "zh-CN"
    for attr in ("creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang", "datatype"):
        assert header.get(attr), attr
    tus = root.findall("body/tu")
    assert len(tus) == len(seed_sentences) > 100
    page = seed_dir.name
    for tu, s in zip(tus, seed_sentences):
        assert tu.get("tuid") == f"{page}/{s['id']}"
        tuvs = tu.findall("tuv")
        assert [t.get(XML_LANG) for t in tuvs] == ["zh-CN", "en"]
        assert [t.find("seg").text or "" for t in tuvs] == [s["zh"], s["en"]]
        flags = tu.find("prop[@type='x-flags']")
        assert (flags.text.split() if flags is not None else []) == s["flags"]
    assert len({tu.get("tuid") for tu in tus}) == len(tus)


def test_tmx_starts_with_the_declaration_and_doctype(seed_dir):
    text = export(seed_dir, "tmx")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx ')


def test_tsv_has_a_header_and_one_line_of_four_fields_per_sentence(seed_dir, seed_sentences):
    lines = export(seed_dir, "tsv").split("\n")
    assert lines[0] == "id\tzh\ten\tflags" and lines[-1] == ""
    rows = [line.split("\t") for line in lines[1:-1]]
    assert len(rows) == len(seed_sentences)
    for row, s in zip(rows, seed_sentences):
        assert row == [f"{seed_dir.name}/{s['id']}", s["zh"], s["en"], ",".join(s["flags"])]


def test_jsonl_is_one_object_per_sentence(seed_dir, seed_sentences):
    lines = export(seed_dir, "jsonl").splitlines()
    assert len(lines) == len(seed_sentences)
    for line, s in zip(lines, seed_sentences):
        assert json.loads(line) == {"page": seed_dir.name, "id": s["id"], "zh": s["zh"], "en": s["en"],
                                    "flags": s["flags"]}


def test_an_output_root_exports_every_page_with_unique_ids(tmp_path, seed_dir):
    page = rich_page()
    write_outputs(page, tmp_path / "b-rich", MODEL)
    write_outputs(page, tmp_path / "a-rich" / "part-001", MODEL)
    pairs = collect_pairs(tmp_path)
    assert [p.page for p in pairs[:1]] == ["a-rich/part-001"] and pairs[-1].page == "b-rich"
    assert len(pairs) == 2 * 7
    root = ET.fromstring(to_tmx(pairs))
    assert len({tu.get("tuid") for tu in root.iter("tu")}) == 14
    assert [p.flags for p in pairs[:2]] == [("number_mismatch", "split_for_translation"), ()]


@pytest.mark.parametrize("fmt, check", [
    ("tmx", lambda out: ET.fromstring(out).find("body/tu").get("tuid").endswith("/a01-p01-s01")),
    ("tsv", lambda out: out.startswith("id\tzh\ten\tflags\n")),
    ("jsonl", lambda out: json.loads(out.splitlines()[0])["id"] == "a01-p01-s01"),
])
def test_the_cli_writes_each_format_to_stdout_or_a_file(tmp_path, seed_dir, fmt, check):
    result = runner.invoke(app, ["export", str(seed_dir), "--format", fmt])
    assert result.exit_code == 0, result.output
    assert check(result.stdout)
    target = tmp_path / f"pairs.{fmt}"
    result = runner.invoke(app, ["export", str(seed_dir), "-f", fmt, "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert check(target.read_text(encoding="utf-8"))
    assert "sentence pairs to" in result.stderr


@pytest.mark.parametrize("setup, args, error, message", [
    (lambda d: None, ["missing"], InputError, "no such folder"),
    (lambda d: (d / "empty").mkdir(), ["empty"], InputError, "holds no index.json"),
    (lambda d: (d / "bad").mkdir() or (d / "bad" / "index.json").write_text("{not json"), ["bad"], InputError,
     "not a readable pipeline index file"),
    (lambda d: (d / "old").mkdir() or (d / "old" / "index.json").write_text('{"schema_version": 9}'), ["old"],
     InputError, "run `pipeline run` again"),
    (lambda d: (d / "x").mkdir(), ["x", "xml"], UsageError, "use one of: tmx, tsv, jsonl"),
])
def test_bad_folders_and_formats_are_one_clear_error(tmp_path, setup, args, error, message):
    setup(tmp_path)
    with pytest.raises(error, match=re.escape(message)):
        export(tmp_path / args[0], args[1] if len(args) > 1 else "tmx")


def test_the_cli_reports_a_missing_folder_in_one_line(tmp_path):
    import subprocess
    import sys

    from conftest import ROOT

    proc = subprocess.run([sys.executable, "-m", "pipeline", "export", str(tmp_path / "nope")], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: ") and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


# Whatever the text, every format keeps the pair intact (XML drops only the control characters it cannot carry).
_TEXT = st.text(st.characters(blacklist_categories=("Cs",)))


@settings(max_examples=80, deadline=None)
@given(zh=_TEXT, en=_TEXT)
def test_any_text_survives_every_format(zh, en):
    pair = Pair("p", "a01-p01-s01", zh, en, ("number_mismatch",))
    seg = ET.fromstring(to_tmx([pair])).findall("body/tu/tuv/seg")
    not_xml = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
    # XML parsers normalise a bare \r to \n.
    assert [s.text or "" for s in seg] == [not_xml.sub("", t).replace("\r\n", "\n").replace("\r", "\n")
                                           for t in (zh, en)]
    fields = to_tsv([pair]).split("\n")[1].split("\t")
    assert len(fields) == 4 and fields[1] == re.sub(r"[\t\r\n]+", " ", zh)
    assert json.loads(to_jsonl([pair]))["en"] == en
    assert to_jsonl([pair]).count("\n") == 1
