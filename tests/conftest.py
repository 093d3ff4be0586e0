"""Shared fixtures: the sample page and the tiny Marian models (built once per test session).

Tests never touch the user's home or caches. Before anything is imported, `pytest_configure` points every cache a
test could reach (the translation memory, Hugging Face, torch, XDG) at a throw-away folder, and each test gets a
translation memory of its own (`ZH_NEWS_PIPELINE_CACHE`, inherited by the CLI subprocesses that tests start).
tests/test_cli.py checks that a CLI run without --cache writes only there; the user's own translation-memory
folder is also recorded at the start and compared at the end (`pytest_sessionfinish` warns when it changed).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "input" / "dazhong-2022-10-zaozhuang.txt"
SHARED = ROOT.parent / "shared"

warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")

# Every variable through which a library could write under the user's home (or read a model from it).
ISOLATED_ENV = {
    "XDG_CACHE_HOME": "xdg-cache",
    "HF_HOME": "hf-home",
    "HF_HUB_CACHE": "hf-home/hub",
    "HF_XET_CACHE": "hf-home/xet",
    "TORCH_HOME": "torch",
    "ZH_NEWS_PIPELINE_CACHE": "tm/tm.sqlite3",
}


def user_cache_dirs(environ: dict[str, str]) -> list[Path]:
    """Where the pipeline keeps the translation memory for this environment (pipeline.translate.cache's rule)."""
    dirs = [Path(environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "zh-news-pipeline",
            Path.home() / ".cache" / "zh-news-pipeline"]
    if environ.get("ZH_NEWS_PIPELINE_CACHE"):
        dirs.append(Path(environ["ZH_NEWS_PIPELINE_CACHE"]).expanduser().parent)
    return list(dict.fromkeys(dirs))


def snapshot(dirs: list[Path]) -> dict[str, tuple[int, int]]:
    """(size, mtime) of every file in `dirs`; a missing folder is an empty snapshot."""
    state = {}
    for d in dirs:
        if d.is_dir():
            for p in sorted(d.rglob("*")):
                if p.is_file():
                    st = p.stat()
                    state[str(p)] = (st.st_size, st.st_mtime_ns)
    return state


# Filled by pytest_configure: the user's cache folders and what they held before any test ran.
USER_CACHE: dict[str, object] = {}


def pytest_configure(config: pytest.Config) -> None:
    dirs = user_cache_dirs(dict(os.environ))
    USER_CACHE.update(dirs=dirs, before=snapshot(dirs))
    scratch = Path(tempfile.mkdtemp(prefix="zh-news-pipeline-tests-"))
    USER_CACHE["scratch"] = scratch
    for name, rel in ISOLATED_ENV.items():
        os.environ[name] = str(scratch / rel)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    dirs = USER_CACHE.get("dirs")
    if not isinstance(dirs, list):
        return
    before, after = USER_CACHE["before"], snapshot(dirs)
    if after != before:
        # A warning, not a failure: another program (another checkout's tests, a real run) may use the cache at the
        # same time. tests/test_cli.py's run without --cache is the test that fails when the isolation breaks.
        assert isinstance(before, dict)
        changed = sorted({p for p, _ in set(before.items()) ^ set(after.items())})
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"warning: the user's translation memory changed during the test run ({', '.join(changed)});"
                                " if nothing else used it, a test escaped the isolation of tests/conftest.py")


def pytest_unconfigure(config: pytest.Config) -> None:
    scratch = USER_CACHE.get("scratch")
    if isinstance(scratch, Path):
        shutil.rmtree(scratch, ignore_errors=True)


@pytest.fixture(autouse=True)
def isolated_translation_memory(tmp_path_factory: pytest.TempPathFactory,
                                monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test's own translation memory file (not created until a run writes it)."""
    path = tmp_path_factory.mktemp("tm") / "tm.sqlite3"
    monkeypatch.setenv("ZH_NEWS_PIPELINE_CACHE", str(path))
    return path


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
