"""Shared fixtures: the sample page and the tiny Marian models (built once per test session)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "input" / "dazhong-2022-10-zaozhuang.txt"
SHARED = ROOT.parent / "shared"

warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def memorizing_model(tmp_path_factory) -> Path:
    """The tiny model trained until it reproduces pipeline/data/memorize.tsv exactly (~20 s on 2 cores)."""
    from pipeline.testmodel import make_test_model

    return make_test_model(tmp_path_factory.mktemp("models") / "tiny-memorizing")


@pytest.fixture(scope="session")
def random_model(tmp_path_factory) -> Path:
    from pipeline.testmodel import make_test_model

    return make_test_model(tmp_path_factory.mktemp("models") / "tiny-random", memorize=False)


@pytest.fixture(scope="session")
def memorizing_translator(memorizing_model):
    from pipeline.translate.marian import TransformersTranslator

    return TransformersTranslator(memorizing_model, model_id="tiny-memorizing", device="cpu")
