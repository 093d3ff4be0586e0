"""The JSON contract: schemas valid and documented, every output valid, bytes identical across runs but for timing."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import jsonschema
import pytest

from conftest import ROOT
from pipeline.render import article_json, dumps, index_json
from pipeline.schemas import load_schema, validate
from test_render import MODEL, rich_page, seed_output


def _outputs(folder: Path, pattern: str) -> list[Path]:
    # The hidden run manifest (.pipeline-run.json) is bookkeeping, not output.
    return sorted(p for p in folder.glob(pattern) if not p.name.startswith("."))


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory, memorizing_translator) -> tuple[Path, Path]:
    return (seed_output(tmp_path_factory, memorizing_translator, "first"),
            seed_output(tmp_path_factory, memorizing_translator, "second"))


@pytest.mark.parametrize("name", ["article", "index"])
def test_schemas_are_valid_draft_2020_12_and_ship_in_the_package(name):
    schema = load_schema(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert (ROOT / "pipeline" / "schemas" / f"{name}.schema.json").is_file()


def _property_names(node) -> set[str]:
    names = set()
    if isinstance(node, dict):
        names |= set(node.get("properties", {}))
        for value in node.values():
            names |= _property_names(value)
    elif isinstance(node, list):
        for value in node:
            names |= _property_names(value)
    return names


def test_docs_explain_every_key_of_both_schemas_and_every_flag():
    docs = (ROOT / "docs" / "output.md").read_text(encoding="utf-8")
    for name in ("article", "index"):
        schema = load_schema(name)
        missing = [k for k in sorted(_property_names(schema)) if f"`{k}`" not in docs]
        assert not missing, f"docs/output.md does not mention {missing} of {name}.schema.json"
        for flag in schema["$defs"]["flag"]["enum"]:
            assert f"| `{flag}` |" in docs, flag
        assert f"{name}.schema.json" in docs


def test_every_output_file_validates(two_runs):
    for folder in two_runs:
        validate(json.loads((folder / "index.json").read_text(encoding="utf-8")), "index")
        articles = _outputs(folder, "article-*.json")
        assert len(articles) == 10
        for path in articles:
            validate(json.loads(path.read_text(encoding="utf-8")), "article")


def test_two_runs_give_identical_bytes_apart_from_timing(two_runs):
    first, second = two_runs
    names = [p.name for p in _outputs(first, "*.*")]
    assert names == [p.name for p in _outputs(second, "*.*")]
    assert "index.json" in names and "article-10.html" in names
    for name in names:
        a, b = (first / name).read_text(encoding="utf-8"), (second / name).read_text(encoding="utf-8")
        if name == "index.json":
            da, db = json.loads(a), json.loads(b)
            assert list(da)[-1] == "timing" and list(db)[-1] == "timing"
            # Removing the timing block textually must leave identical bytes.
            a, b = (re.sub(r',\n  "timing": \{.*?\n  \}', "", x, flags=re.S) for x in (a, b))
            assert "timing" not in a
        assert a == b, name


def test_files_are_formatted_as_documented(two_runs):
    text = (two_runs[0] / "article-01.json").read_text(encoding="utf-8")
    assert text.endswith("}\n") and text.startswith('{\n  "schema_version": 1,\n  "id": "a01",\n')
    assert "\\u" not in text and "枣庄" in text
    assert text == dumps(json.loads(text))


def test_the_rich_page_validates():
    page = rich_page('<script>"x"</script>')
    validate(index_json(page, MODEL, {"translate_s": 0.5}), "index")
    for article in page.articles:
        validate(article_json(article, page), "article")


def _seed_article() -> dict:
    page = rich_page()
    return article_json(page.articles[0], page)


# Each mutation breaks the contract in one way; the schema must say no.
BROKEN = [
    ("no schema_version", lambda d: d.pop("schema_version")),
    ("future schema_version", lambda d: d.update(schema_version=2)),
    ("bad article id", lambda d: d.update(id="article1")),
    ("unknown kind", lambda d: d.update(kind="advert")),
    ("unknown flag", lambda d: d["paragraphs"][0]["sentences"][0]["flags"].append("looks_odd")),
    ("repeated flag", lambda d: d["paragraphs"][0]["sentences"][0]["flags"].append("number_mismatch")),
    ("bad sentence id", lambda d: d["paragraphs"][0]["sentences"][0].update(id="s1")),
    ("span of three", lambda d: d["paragraphs"][0]["sentences"][0].update(span=[1, 2, 3])),
    ("negative span", lambda d: d["paragraphs"][0]["sentences"][0].update(span=[-1, 2])),
    ("unknown paragraph role", lambda d: d["paragraphs"][0].update(role="sidebar")),
    ("empty paragraph", lambda d: d["paragraphs"][0].update(sentences=[])),
    ("unknown headline role", lambda d: d["headlines"][0].update(role="banner")),
    ("byline without authors", lambda d: d["byline"].pop("authors")),
    ("summary without ids", lambda d: d["summary"].pop("sentence_ids")),
    ("truncated as text", lambda d: d.update(truncated="no")),
]


@pytest.mark.parametrize("what, mutate", BROKEN, ids=[b[0] for b in BROKEN])
def test_the_article_schema_rejects_broken_documents(what, mutate):
    doc = copy.deepcopy(_seed_article())
    validate(doc, "article")
    mutate(doc)
    with pytest.raises(jsonschema.ValidationError):
        validate(doc, "article")


@pytest.mark.parametrize("what, mutate", [
    ("bad sha256", lambda d: d["source"].update(sha256="abc")),
    ("no model backend", lambda d: d["model"].pop("backend")),
    ("article without its file", lambda d: d["items"][1].pop("json")),
    ("furniture without en", lambda d: d["items"][0].pop("en")),
    ("bad part", lambda d: d["source"].update(part={"number": 0, "of": 2, "span": [0, 5]})),
], ids=lambda x: x if isinstance(x, str) else "")
def test_the_index_schema_rejects_broken_documents(what, mutate):
    page = rich_page()
    doc = copy.deepcopy(index_json(page, MODEL))
    validate(doc, "index")
    mutate(doc)
    with pytest.raises(jsonschema.ValidationError):
        validate(doc, "index")
