"""The README's two commands are the project's contract with a newcomer and with CI."""

from __future__ import annotations

import re

from conftest import ROOT


def _command(marker: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(rf"<!-- {marker} -->\s*```sh\n(.+?)\n```", readme, re.S)
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


def test_the_test_command_lints_and_type_checks_before_the_tests():
    """ruff and mypy (strict on pipeline/, configured in pyproject.toml) run before pytest, and stop it on failure."""
    cmd = _command("test-command")
    assert re.search(r"&& \.venv/bin/ruff check && \.venv/bin/mypy && \.venv/bin/python -m pytest$", cmd), cmd
    mypy = (ROOT / "pyproject.toml").read_text(encoding="utf-8").split("[tool.mypy]", 1)[1].split("\n[", 1)[0]
    assert "strict = true" in mypy and 'packages = ["pipeline"]' in mypy
