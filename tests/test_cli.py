"""The command line as a user meets it: help everywhere, clear one-line errors, real outputs."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ISOLATED_ENV, ROOT, SEED
from typer.testing import CliRunner

from pipeline.cli import app

runner = CliRunner()

COMMANDS = [[], ["run"], ["inspect"], ["split"], ["summarize"], ["model"], ["model", "pull"], ["model", "make-test-model"],
            ["model", "convert"], ["export"], ["doctor"]]


@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: " ".join(c) or "pipeline")
def test_every_command_has_help_with_an_example(cmd):
    result = runner.invoke(app, [*cmd, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output


@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: " ".join(c) or "pipeline")
def test_help_shows_a_type_only_after_options_that_take_a_value(cmd):
    result = runner.invoke(app, [*cmd, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.output  # --force, --quiet, --no-cache, --json, --raw, --random take no value
    assert not re.search(r"-v\s+<int>", result.output)  # -v counts: -v, -vv
    if cmd == ["run"]:
        assert re.search(r"--out\s+-o\s+<str>", result.output)  # options that take a value still show its type
        assert re.search(r"--verbose\s+-v\s+Log what happens", result.output)


def _cli(*args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], check=False, input=stdin, capture_output=True,
                          text=True,
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


def test_run_with_the_tiny_model_writes_every_article(tmp_path, memorizing_model, isolated_translation_memory):
    # No --cache and no --no-cache, as a user runs it (issue 17.1): the translation memory must land in the test's
    # own file (conftest sets ZH_NEWS_PIPELINE_CACHE), never under the user's home. HOME is a stand-in here, so
    # that a broken isolation shows up as a file under it rather than as a write to the real ~/.cache.
    home = tmp_path / "home"
    home.mkdir()
    proc = _cli("run", str(SEED), "--out", str(tmp_path / "out"), "--model", str(memorizing_model), "--device", "cpu",
                env={"HOME": str(home)})
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "out" / SEED.stem
    assert sorted(p.name for p in out.glob("article-*.json")) == [f"article-{n:02d}.json" for n in range(1, 11)]
    assert "9 articles, 1 photo" in proc.stderr
    assert isolated_translation_memory.is_file() and isolated_translation_memory.stat().st_size > 0
    assert list(home.rglob("*")) == []


def test_the_isolation_covers_every_cache_a_library_could_write_under_home():
    home = Path.home().resolve()
    for name in ISOLATED_ENV:
        assert home not in Path(os.environ[name]).resolve().parents, name
    from pipeline.translate.cache import default_cache_path

    assert home not in default_cache_path().resolve().parents


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


def test_split_reads_a_page_as_run_does_and_raw_reads_plain_text():
    """Issue 17.5: `split FILE` printed `…总投资` and `756亿元。` apart, where `inspect` and `run` join them."""
    sentence = "去年以来,全国知名锂电企业欣旺达先后在枣庄布局动力、储能电池等5个项目,总投资756亿元。"
    proc = _cli("split", str(SEED))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert sentence in lines and "756亿元。" not in lines
    assert lines[:4] == ["大众日报 客户端", "大众日报 微信", "争取将秋季项目施工黄金季拼成丰收季", "枣庄50个重点项目集中开工"]
    # Nothing is lost: every non-space character of the page, in order.
    assert re.sub(r"\s", "", "".join(lines)) == re.sub(r"\s", "", SEED.read_text(encoding="utf-8"))
    raw = _cli("split", "--raw", str(SEED)).stdout.splitlines()
    assert sentence not in raw and "756亿元。" in raw


def test_a_missing_model_folder_is_named_as_such(tmp_path):
    """Issue 17.8: `--model models/nope` is a folder that does not exist, not a model to pull."""
    assert (ROOT / "models").is_dir()
    proc = _cli("run", str(SEED), "--out", str(tmp_path), "--model", "models/nope")
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: The model folder models/nope does not exist")
    assert proc.stderr.count("\n") == 1 and "pipeline model pull models/nope" not in proc.stderr


def test_model_pull_also_makes_the_ctranslate2_copy(memorizing_model, tmp_path):
    """Issue 17.11: after `pipeline model pull`, `run` decodes with CTranslate2 int8, not with transformers.

    No download can happen here, so the model is put where `pull` keeps it first (the tiny model under the
    default model's name); `pull` then takes its real path: it finds the snapshot there, and converts it."""
    from pipeline.translate import load_translator

    models = tmp_path / "models"
    shutil.copytree(memorizing_model, models / "opus-mt-zh-en")
    offline = {"HF_ENDPOINT": "http://127.0.0.1:9"}
    proc = _cli("model", "pull", "--dir", str(models), env=offline)
    assert proc.returncode == 0, proc.stderr
    copy = models / "opus-mt-zh-en-ct2-int8"
    assert proc.stderr.splitlines() == [f"Helsinki-NLP/opus-mt-zh-en is in {models / 'opus-mt-zh-en'}",
                                        f"converted it to CTranslate2 (int8) in {copy}; `run` uses that copy"]
    assert (copy / "model.bin").is_file()
    again = _cli("model", "pull", "--dir", str(models), env=offline)
    assert again.returncode == 0 and f"its CTranslate2 copy (int8) is in {copy}" in again.stderr
    auto = load_translator(models_dir=models, device="cpu")
    assert (auto.backend, auto.converted["path"]) == ("ctranslate2", str(copy))  # type: ignore[attr-defined]
    assert load_translator(models_dir=models, device="cpu", backend="transformers").backend == "transformers"
    plain = tmp_path / "plain"
    shutil.copytree(memorizing_model, plain / "opus-mt-zh-en")
    proc = _cli("model", "pull", "--dir", str(plain), "--no-convert", env=offline)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in plain.iterdir()) == ["opus-mt-zh-en"]


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
