"""The command line as a user meets it: help everywhere, clear one-line errors, real outputs."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from conftest import ROOT, SEED
from pipeline.cli import app

runner = CliRunner()

COMMANDS = [[], ["run"], ["inspect"], ["split"], ["summarize"], ["model"], ["model", "pull"], ["model", "make-test-model"],
            ["export"]]


@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: " ".join(c) or "pipeline")
def test_every_command_has_help_with_an_example(cmd):
    result = runner.invoke(app, [*cmd, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output


def _cli(*args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], input=stdin, capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, **(env or {})}, timeout=300)


def test_run_without_a_local_model_says_how_to_get_one(tmp_path):
    proc = _cli("run", str(SEED), "--out", str(tmp_path), "--models-dir", str(tmp_path),
                env={"HF_HUB_CACHE": str(tmp_path / "cache")})
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "pipeline model pull" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_model_pull_offline_is_one_clear_line(tmp_path):
    proc = _cli("model", "pull", "--dir", str(tmp_path), env={"HF_ENDPOINT": "http://127.0.0.1:9"})
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: Could not download Helsinki-NLP/opus-mt-zh-en")
    assert proc.stderr.count("\n") == 1


def test_run_with_the_tiny_model_writes_every_article(tmp_path, memorizing_model):
    proc = _cli("run", str(SEED), "--out", str(tmp_path), "--model", str(memorizing_model), "--device", "cpu")
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / SEED.stem
    assert sorted(p.name for p in out.glob("article-*.json")) == [f"article-{n:02d}.json" for n in range(1, 11)]
    assert "10 items" in proc.stderr


def test_bad_input_fails_alone(tmp_path, memorizing_model):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    english = tmp_path / "english.txt"
    english.write_text("Just an English page.\n")
    proc = _cli("run", str(empty), str(SEED), str(english), "--out", str(tmp_path / "out"),
                "--model", str(memorizing_model))
    assert proc.returncode == 1
    assert "empty.txt: the file is empty" in proc.stderr
    assert "english.txt: contains no Chinese" in proc.stderr
    assert (tmp_path / "out" / SEED.stem / "index.html").is_file()


def test_inspect_json_is_index_items_with_articles_inline_and_no_english():
    proc = _cli("inspect", str(SEED), "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    items = doc["items"]
    assert items[0] == {"kind": "other", "id": "o01", "zh": "大众日报 客户端", "lang": "zh", "flags": [],
                        "span": items[0]["span"], "confidence": items[0]["confidence"]}
    assert 0 < items[0]["confidence"] <= 1
    art = items[2]["article"]
    assert art["headlines"][1]["zh"] == "枣庄50个重点项目集中开工"
    assert '"en"' not in proc.stdout


def test_split_reads_stdin():
    proc = _cli("split", "-", stdin="他说：“我们走吧。”然后走了。今年1-9月份,投资379.78亿元!\n")
    assert proc.stdout.splitlines() == ["他说：“我们走吧。”", "然后走了。", "今年1-9月份,投资379.78亿元!"]


def test_summarize_reads_a_file_and_respects_the_budget(tmp_path):
    text = tmp_path / "a.txt"
    text.write_text("枣庄市举行重点项目集中开工活动,共有50个项目开工。项目涉及新能源、新材料等领域。\n"
                    "锂电池新能源是枣庄首位发展的产业。当地致力于打造北方锂电之都。\n", encoding="utf-8")
    proc = _cli("summarize", str(text), "--max-sentences", "1", "--json")
    doc = json.loads(proc.stdout)
    assert len(doc["sentences"]) == 1 and doc["sentences"][0] in text.read_text(encoding="utf-8")


def test_make_test_model_random(tmp_path):
    proc = _cli("model", "make-test-model", str(tmp_path / "m"), "--random")
    assert proc.returncode == 0, proc.stderr
    for name in ("config.json", "source.spm", "target.spm", "vocab.json", "model.safetensors"):
        assert (tmp_path / "m" / name).is_file(), name
