"""The README's two commands are the project's contract with a newcomer and with CI."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT


def _command(marker: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(rf"<!-- {marker} -->\s*```sh\n(.+?)\n```", readme, re.DOTALL)
    assert m, f"README has no {marker} block"
    return m.group(1).strip()


def test_ci_runs_the_readme_test_command_verbatim():
    ci_lines = [ln.strip() for ln in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert _command("test-command") in ci_lines


def test_main_command_installs_pulls_and_runs_the_sample():
    cmd = _command("main-command")
    assert "pip install torch==2.13.0" in cmd
    assert "pipeline model pull" in cmd
    assert "pipeline run input/dazhong-2022-10-zaozhuang.txt" in cmd
    assert (ROOT / "input" / "dazhong-2022-10-zaozhuang.txt").is_file()


def test_sample_input_is_a_byte_identical_copy_of_the_seed():
    seed = ROOT.parent / "shared" / "seeds" / "000_18e9e898a0db2f5c.txt"
    if not seed.exists():
        import pytest

        pytest.skip("shared/ seeds not present")
    assert (ROOT / "input" / "dazhong-2022-10-zaozhuang.txt").read_bytes() == seed.read_bytes()
    assert (ROOT / "pipeline" / "data" / "seed-page.txt").read_bytes() == seed.read_bytes()


def test_the_backend_promise_is_what_test_ct2_checks():
    """Issue 17.3: the README said both backends `give the same English on the test model`, which holds only for
    the sentences it knows by heart (tests/test_ct2.py::test_both_backends_give_the_memorized_english)."""
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    engine = readme[readme.index("**Translation engine.**"):]
    engine = engine[: engine.index("Decoding follows")]
    assert "give the same English on the test model" not in readme
    promises = ("the same tokens in", "the same decoding settings", "the same English wherever the model is confident",
                "the 29 sentences the test model knows by heart", "a float32 copy gives all of them",
                "an int8 copy, greedy, gives every one on which it stays confident",
                "Elsewhere the English may differ between backends")
    for promise in promises:
        assert promise in engine, promise


# How each `.venv/bin/…` step of the README's commands runs in the fresh clone below.
_STEP = re.compile(r"\.venv/bin/(\S+)\s*([^&;|()]*)")


def _steps(command: str) -> list[tuple[str, list[str]]]:
    return [(tool, shlex.split(args)) for tool, args in _STEP.findall(command)]


def test_the_readme_commands_work_in_a_fresh_clone(tmp_path, memorizing_model):
    """The README's two commands, run in a `git clone` of this repository, as a new user would.

    Replaced, and why:
    - `python3 -m venv .venv` and the `pip install` steps: the clone runs on the interpreter running these tests
      (its venv has every dependency the install would bring) with PYTHONPATH pointing at the clone, so the
      clone's own code runs. A fresh venv means downloading torch: minutes, and no network here. The test checks
      that every extra the steps install exists in pyproject.toml, and that the clone's package is the one imported.
    - The download in `pipeline model pull` (opus-mt-zh-en, 300 MB; weights cannot be downloaded here): the demo
      model (`pipeline model make-test-model`, copied from this session's build) is put in `models/opus-mt-zh-en`,
      where `pull` keeps its download. `pull` then runs for real: it finds the model and converts it to
      CTranslate2 int8, and `pipeline run input/…` runs verbatim, with the default model.
    - `python -m pytest` (the whole suite) would run inside one of its own tests: it is collected instead
      (`--collect-only`), which imports every test module of the clone. Checkers the test command runs first
      (ruff, mypy) are only checked to be installed: CI runs the command itself, and with it those checkers.
    """
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: nothing to clone")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, capture_output=True, timeout=120)
    env = {**os.environ, "PYTHONPATH": str(clone)}

    def run(*args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run([sys.executable, *args], check=False, cwd=clone, env=env, capture_output=True,
                              text=True, timeout=timeout)
        assert proc.returncode == 0, (args, proc.stdout[-2000:], proc.stderr[-2000:])
        return proc

    extras = re.search(r"\[project\.optional-dependencies\](.*?)\n\[", (clone / "pyproject.toml").read_text(), re.DOTALL)
    assert extras
    imported = run("-c", "import pipeline; print(pipeline.__file__)").stdout.strip()
    assert Path(imported).parent == clone / "pipeline"

    main = _steps(_command("main-command"))
    assert [tool for tool, _ in main] == ["pip", "pip", "pipeline", "pipeline"], main
    for tool, args in main:
        if tool == "pip":
            _check_install(args, extras.group(1))
            continue
        if args[:2] == ["model", "pull"]:
            shutil.copytree(memorizing_model, clone / "models" / "opus-mt-zh-en")  # the demo model, not a download
        run("-m", "pipeline", *args)
    out = clone / "output" / "dazhong-2022-10-zaozhuang"
    assert (out / "index.html").is_file()
    model = json.loads((out / "index.json").read_text(encoding="utf-8"))["model"]
    assert model["id"] == "Helsinki-NLP/opus-mt-zh-en" and model["backend"] == "ctranslate2"
    assert model["converted"]["path"] == str(clone / "models" / "opus-mt-zh-en-ct2-int8")
    assert model["converted"]["quantization"] == "int8"
    article = json.loads((out / "article-01.json").read_text(encoding="utf-8"))
    assert article["headlines"][1]["en"] == "Zaozhuang starts construction of 50 key projects"

    test = _steps(_command("test-command"))
    assert test and test[-1][0] == "python" and test[-1][1][:2] == ["-m", "pytest"], test
    for tool, args in test[:-1]:
        if tool == "pip":
            _check_install(args, extras.group(1))
        else:  # checkers before the tests (ruff, mypy): CI runs them for real; here only that they are installed
            assert (Path(sys.executable).parent / tool).is_file(), f"README runs .venv/bin/{tool}: not installed"
    collected = run(*test[-1][1], "--collect-only", "-q", "-p", "no:cacheprovider")
    assert re.search(r"^\d+ tests collected", collected.stdout, re.MULTILINE), collected.stdout[-500:]


def _check_install(args: list[str], extras: str) -> None:
    """A README `pip install` step installs torch or this package, with extras that pyproject.toml defines."""
    assert args[0] == "install", args
    target = args[-1]
    if target.startswith("torch"):
        return
    assert args[-2:-1] == ["-e"] and target.startswith("."), args
    for extra in re.findall(r"\w+", target.partition("[")[2]):
        assert re.search(rf"^{extra}\s*=", extras, re.MULTILINE), f"pip install {target}: no extra {extra!r}"

def test_the_test_command_lints_and_type_checks_before_the_tests():
    """ruff and mypy (strict on pipeline/, configured in pyproject.toml) run before pytest, and stop it on failure."""
    cmd = _command("test-command")
    assert re.search(r"&& \.venv/bin/ruff check && \.venv/bin/mypy && \.venv/bin/python -m pytest$", cmd), cmd
    mypy = (ROOT / "pyproject.toml").read_text(encoding="utf-8").split("[tool.mypy]", 1)[1].split("\n[", 1)[0]
    assert "strict = true" in mypy and 'packages = ["pipeline"]' in mypy
