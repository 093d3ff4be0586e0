"""The engine's outputs, byte for byte, against goldens made before the refactor of issue #16.

Every sample page and the seed in one run, and a mixed batch (an input of two pages, an input with no Chinese, a
missing file, a sample page), with the tiny memorizing model and no translation memory. Every JSON and HTML file
must equal its golden, the `timing` block of index.json aside; so must the exit code and a quiet run's error lines.

Regenerate deliberately, after checking the change: UPDATE_GOLDEN=1 pytest tests/test_golden_engine.py
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SEED

GOLDEN = ROOT / "tests" / "golden" / "engine"
INPUTS = GOLDEN / "inputs"
SAMPLES = sorted((ROOT / "input" / "samples").glob("*.txt"))
RUNS = {
    "pages": [*SAMPLES, SEED],
    "batch": [INPUTS / "two-pages.txt", INPUTS / "no-chinese.txt", INPUTS / "missing.txt",
              ROOT / "input" / "samples" / "renmin-2022-10-10-p02.txt"],
}
# index.json's last member: `"timing": {…}` (render.index_json puts it last).
TIMING = re.compile(r',\n\s*"timing": \{[^{}]*\}(?=\n\}\n?$)')
EXIT = "exit-status.txt"


def run_cli(args: list[Path], out: Path, model: Path, cache_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ZH_NEWS_PIPELINE_CACHE": str(cache_dir / "tm.sqlite3")}
    cmd = [sys.executable, "-m", "pipeline", "run", *(str(p.relative_to(ROOT)) for p in args), "--out", str(out),
           "--models-dir", str(model.parent), "--model", model.name, "--no-cache", "-q"]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)


def outputs(folder: Path) -> dict[str, str]:
    """Every output file (hidden ones, such as the manifest, aside) by relative path, timing removed."""
    found = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and not any(part.startswith(".") for part in rel.split("/")):
            text = path.read_text(encoding="utf-8")
            found[rel] = TIMING.sub("", text) if path.name == "index.json" else text
    return found


@pytest.mark.parametrize("run", sorted(RUNS))
def test_outputs_equal_the_goldens(run, memorizing_model, tmp_path):
    out = tmp_path / "out"
    proc = run_cli(RUNS[run], out, memorizing_model, tmp_path)
    got = outputs(out) if out.is_dir() else {}
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error")]
    got[EXIT] = f"exit {proc.returncode}\n" + "".join(f"{line}\n" for line in errors)
    golden = GOLDEN / run
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(golden, ignore_errors=True)
        for rel, text in got.items():
            (golden / rel).parent.mkdir(parents=True, exist_ok=True)
            (golden / rel).write_text(text, encoding="utf-8")
    expected = outputs(golden)
    assert expected, f"no goldens in {golden}; create them with UPDATE_GOLDEN=1"
    assert sorted(got) == sorted(expected), proc.stderr[-3000:]
    for rel in expected:
        assert got[rel] == expected[rel], f"{run}/{rel} differs from its golden"
