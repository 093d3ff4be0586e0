"""The CTranslate2 backend: offline conversion of the tiny models, same output as transformers, backend choice."""

from __future__ import annotations

import json
import logging
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("ctranslate2")

from pipeline.errors import UsageError  # noqa: E402
from pipeline.testmodel import parallel_set  # noqa: E402
from pipeline.translate import convert, load_translator  # noqa: E402
from pipeline.translate.base import Decoding, cpu_workers  # noqa: E402
from pipeline.translate.ct2 import CONVERSION_INFO, CTranslate2Translator, convert_model  # noqa: E402
from pipeline.translate.marian import TransformersTranslator, decoding_batches  # noqa: E402
from pipeline.translate.models import model_fingerprint  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "input" / "dazhong-2022-10-zaozhuang.txt"


@pytest.fixture(scope="module")
def ct2_memorizing(memorizing_model, tmp_path_factory) -> Path:
    return convert_model(memorizing_model, tmp_path_factory.mktemp("ct2") / "tiny-memorizing-ct2-int8")


def test_conversion_writes_a_self_contained_folder(ct2_memorizing, memorizing_model):
    names = {p.name for p in ct2_memorizing.iterdir()}
    assert {"model.bin", "config.json", "source.spm", "target.spm", "vocab.json", "generation_config.json",
            CONVERSION_INFO} <= names
    info = json.loads((ct2_memorizing / CONVERSION_INFO).read_text())
    assert info["quantization"] == "int8"
    assert info["source_fingerprint"] == model_fingerprint(memorizing_model)
    assert not ct2_memorizing.with_name(ct2_memorizing.name + ".partial").exists()


@pytest.mark.parametrize("beams", [None, 1])
def test_both_backends_give_the_memorized_english(ct2_memorizing, memorizing_model, beams):
    pairs = parallel_set()
    sources = [zh for zh, _ in pairs]
    hf = TransformersTranslator(memorizing_model, device="cpu", beams=beams)
    ct = CTranslate2Translator(ct2_memorizing, device="cpu", beams=beams)
    assert ct.decoding == hf.decoding
    hf_out, ct_out = hf.translate(sources), ct.translate(sources)
    assert [r.text for r in ct_out] == [en for _, en in pairs]
    assert [r.text for r in ct_out] == [r.text for r in hf_out]
    assert [r.target_tokens for r in ct_out] == [r.target_tokens for r in hf_out]
    assert [r.source_tokens for r in ct_out] == [r.source_tokens for r in hf_out]


def test_batches_in_flight_on_every_core_come_back_to_their_own_sentences(ct2_memorizing):
    """Many small batches queued at once on one worker per core: each sentence still gets its own English."""
    pairs = parallel_set()
    random.Random(11).shuffle(pairs)
    ct = CTranslate2Translator(ct2_memorizing, device="cpu", max_batch_tokens=40)
    assert ct.workers == cpu_workers()[0]
    assert ct.model.num_translators == ct.workers
    lengths = [len(ct.tokenizer(zh).input_ids) for zh, _ in pairs]
    assert len(decoding_batches(lengths, 40, ct.decoding.beams, ct.max_batch_sentences)) >= 4
    assert [r.text for r in ct.translate([zh for zh, _ in pairs])] == [en for _, en in pairs]
    assert ct.model_inputs == len(pairs)
    one = CTranslate2Translator(ct2_memorizing, device="cpu", cores=1)
    assert (one.workers, one.model.num_translators) == (1, 1)


def test_forced_lengths_give_both_backends_the_same_work(ct2_memorizing, memorizing_model):
    forced = Decoding(beams=2, min_new_tokens=12, max_new_tokens=12)
    sources = [zh for zh, _ in parallel_set()[:5]]
    for tr in (TransformersTranslator(memorizing_model, device="cpu"),
               CTranslate2Translator(ct2_memorizing, device="cpu")):
        assert [r.target_tokens for r in tr.translate(sources, forced)] == [12] * 5


def test_auto_uses_an_up_to_date_converted_copy(memorizing_model, ct2_memorizing, tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    assert load_translator(str(memorizing_model), device="cpu", models_dir=models).backend == "transformers"
    (models / "tiny-memorizing-ct2-int8").symlink_to(ct2_memorizing, target_is_directory=True)
    assert load_translator(str(memorizing_model), device="cpu", models_dir=models).backend == "ctranslate2"
    assert load_translator(str(memorizing_model), device="cpu", models_dir=models,
                           backend="transformers").backend == "transformers"
    direct = load_translator(str(ct2_memorizing), device="cpu", models_dir=tmp_path / "none")
    assert direct.backend == "ctranslate2"
    with pytest.raises(UsageError, match="CTranslate2 model"):
        load_translator(str(ct2_memorizing), device="cpu", backend="transformers")


def test_a_stale_conversion_is_not_used(random_model, ct2_memorizing, tmp_path, caplog):
    # A converted copy whose source was another model (here: the memorizing one under the random one's name).
    models = tmp_path / "models"
    models.mkdir()
    (models / f"{random_model.name}-ct2-int8").symlink_to(ct2_memorizing, target_is_directory=True)
    logger = logging.getLogger("pipeline.translate")
    logger.addHandler(caplog.handler)  # directly: the CLI's logging setup may stop propagation to the root
    try:
        tr = load_translator(str(random_model), device="cpu", models_dir=models)
    finally:
        logger.removeHandler(caplog.handler)
    assert tr.backend == "transformers"
    assert "converted from a different copy" in caplog.text


def test_ctranslate2_without_a_conversion_says_how_to_make_one(random_model, tmp_path):
    with pytest.raises(UsageError, match="pipeline model convert"):
        load_translator(str(random_model), device="cpu", models_dir=tmp_path, backend="ctranslate2")


def test_convert_refuses_to_overwrite_and_unknown_quantizations(memorizing_model, ct2_memorizing, tmp_path):
    with pytest.raises(UsageError, match="--force"):
        convert_model(memorizing_model, ct2_memorizing)
    with pytest.raises(UsageError, match="quantization"):
        convert(str(memorizing_model), "int3", models_dir=tmp_path)


def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **(env or {})}, timeout=600)


def test_cli_convert_then_run_picks_ctranslate2_and_fills_the_cache(memorizing_model, tmp_path):
    models = tmp_path / "models"
    proc = _cli("model", "convert", str(memorizing_model), "--models-dir", str(models))
    assert proc.returncode == 0, proc.stderr
    assert (models / "tiny-memorizing-ct2-int8" / "model.bin").is_file()
    cache = tmp_path / "tm.sqlite3"
    proc = _cli("run", str(SEED), "--model", str(memorizing_model), "--models-dir", str(models),
                "--out", str(tmp_path / "out"), "--cache", str(cache), "--device", "cpu")
    assert proc.returncode == 0, proc.stderr
    index = json.loads((tmp_path / "out" / SEED.stem / "index.json").read_text())
    assert index["model"]["backend"] == "ctranslate2"
    doc = json.loads((tmp_path / "out" / SEED.stem / "article-01.json").read_text())
    assert doc["headlines"][1]["en"] == "Zaozhuang starts construction of 50 key projects"
    assert cache.is_file() and cache.stat().st_size > 0
    # --no-cache reads and writes no cache, not even the default one.
    default = tmp_path / "default.sqlite3"
    proc = _cli("run", str(SEED), "--model", str(memorizing_model), "--models-dir", str(models), "--no-cache",
                "--out", str(tmp_path / "out2"), "--backend", "ctranslate2",
                env={"ZH_NEWS_PIPELINE_CACHE": str(default)})
    assert proc.returncode == 0, proc.stderr
    assert not default.exists()


def test_convert_and_the_run_options_have_help_with_an_example():
    from typer.testing import CliRunner

    from pipeline.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["model", "convert", "--help"])
    assert result.exit_code == 0 and "Example" in result.output and "--quantization" in result.output
    result = runner.invoke(app, ["run", "--help"])
    assert all(opt in result.output for opt in ("--backend", "--cache", "--no-cache"))
