"""A run killed at any moment (Ctrl-C, SIGKILL) leaves only complete files, old or new, and a re-run resumes."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, SEED
from pipeline.run import MANIFEST

SEED_TEXT = SEED.read_text(encoding="utf-8")
# The first article of the sample page: a part costs about a second of model time.
FIRST_ARTICLE = SEED_TEXT[: SEED_TEXT.index("薛城经济开发区 党建引领产业发展")]
PARTS = 3
# Seconds every part after the first waits before translating, in the runs a test interrupts: a window in which
# the signal surely lands between the first part and the last, however busy the machine (under load, a run without
# the pause sometimes finished every part before the watching test got a turn).
PAUSE_S = 8
# The real command line (`python -m pipeline …`), with the pause added around the real translate stage.
PAUSED_CLI = f"""
import sys, time
import pipeline.stages as stages
real, parts = stages.translate_page, []
def paused(*args, **kwargs):
    parts.append(1)
    if len(parts) > 1:
        time.sleep({PAUSE_S})
    return real(*args, **kwargs)
stages.translate_page = paused
from pipeline.cli import main
sys.argv[0] = "pipeline"
main()
"""


def _write_pages(path: Path, tag: str) -> None:
    """A multi-page input: PARTS pages, each under its own page-header line (so each is one part)."""
    path.write_text("".join(f"\n大众日报 2022年10月{n}日 第{n:02d}版 {tag}\n\n{FIRST_ARTICLE}" for n in range(1, PARTS + 1)),
                    encoding="utf-8")


def _args(big: Path, out: Path, model: Path) -> list[str]:
    # No translation memory: every part costs model time, so there is a moment to interrupt.
    return [sys.executable, "-m", "pipeline", "run", str(big), "--out", str(out), "--model", str(model), "--no-cache",
            "--device", "cpu", "--beams", "1"]


def _manifest(folder: Path) -> dict:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def _interrupt_after_first_part(cmd: list[str], folder: Path, sha: str, sig: int) -> subprocess.CompletedProcess:
    """Start a run (pausing before each part after the first) and send `sig` once its manifest records a part."""
    assert cmd[1:3] == ["-m", "pipeline"]
    paused = [cmd[0], "-c", PAUSED_CLI, *cmd[3:]]
    # A run started from a script in the background inherits an ignored SIGINT; a user's run at a shell does not.
    proc = subprocess.Popen(paused, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        manifest = _manifest(folder)  # written atomically, so always whole
        if manifest.get("source", {}).get("sha256") == sha and manifest["parts"]:
            break
        if proc.poll() is not None:
            pytest.fail(f"the run ended before it could be interrupted: {proc.stderr.read()}")
        time.sleep(0.05)
    proc.send_signal(sig)
    stdout, stderr = proc.communicate(timeout=120)
    return subprocess.CompletedProcess(paused, proc.returncode, stdout, stderr)


def _visible_files_are_complete(folder: Path) -> list[Path]:
    """Every output a reader can see parses whole; returns the index.json files."""
    indexes = []
    for path in sorted(folder.rglob("*")):
        if path.is_dir() or path.name.startswith("."):
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".json":
            json.loads(text)
            if path.name == "index.json":
                indexes.append(path)
        else:
            assert path.suffix == ".html" and text.rstrip().endswith("</html>"), path
    json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    return indexes


def _sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def _temp_files(folder: Path) -> list[Path]:
    return list(folder.rglob("*.tmp"))


def test_ctrl_c_stops_cleanly_and_a_rerun_resumes(tmp_path, memorizing_model):
    big, out = tmp_path / "big.txt", tmp_path / "out"
    _write_pages(big, "A")
    folder = out / "big"
    cmd = _args(big, out, memorizing_model)
    stopped = _interrupt_after_first_part(cmd, folder, _sha(big), signal.SIGINT)
    assert stopped.returncode == 130, stopped.stderr
    assert "Traceback" not in stopped.stderr
    assert "interrupted:" in stopped.stderr and "run the same command again to resume" in stopped.stderr
    _visible_files_are_complete(folder)
    assert _temp_files(folder) == []  # Ctrl-C removes the temp file of the write it stopped
    manifest = _manifest(folder)
    assert manifest["complete"] is False and 1 <= len(manifest["parts"]) < PARTS
    done = len(manifest["parts"])

    resumed = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{PARTS} parts ({done} kept from an earlier run)" in resumed.stderr
    manifest = _manifest(folder)
    assert manifest["complete"] is True and len(manifest["parts"]) == PARTS
    on_disk = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()
                     and not p.name.startswith("."))
    assert on_disk == sorted(manifest["files"])


def test_sigkill_leaves_old_or_new_files_never_half_written(tmp_path, memorizing_model):
    big, out = tmp_path / "big.txt", tmp_path / "out"
    folder = out / "big"
    cmd = _args(big, out, memorizing_model)
    _write_pages(big, "A")
    old_sha = _sha(big)
    first = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr

    _write_pages(big, "B")  # every part changes, so the next run rewrites every file
    new_sha = _sha(big)
    killed = _interrupt_after_first_part(cmd, folder, new_sha, signal.SIGKILL)
    assert killed.returncode == -signal.SIGKILL
    # The parts' pages (the top-level index.json is the overview of the parts, written last).
    indexes = [p for p in _visible_files_are_complete(folder) if p.parent != folder]
    assert len(indexes) == PARTS
    shas = [json.loads(p.read_text(encoding="utf-8"))["source"]["sha256"] for p in indexes]
    assert set(shas) <= {old_sha, new_sha}
    assert shas[0] == new_sha and shas[-1] == old_sha  # killed mid-way: new first part, old last part
    for path in _temp_files(folder):
        assert path.name.startswith(".")  # a write cut short stays a hidden temp file, never an output

    resumed = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    assert "kept from an earlier run" in resumed.stderr
    indexes = [p for p in _visible_files_are_complete(folder) if p.parent != folder]  # the parts', not the overview
    assert [json.loads(p.read_text(encoding="utf-8"))["source"]["sha256"] for p in indexes] == [new_sha] * PARTS
    assert _temp_files(folder) == []  # the dead run's temp files are cleaned up
    assert _manifest(folder)["complete"] is True


# The real command line, with the first translation held back long enough for a second run to start.
SLOW_CLI = """
import sys, time
import pipeline.stages as stages
real, delay = stages.translate_page, float(sys.argv.pop())
def slow(*args, **kwargs):
    time.sleep(delay)
    return real(*args, **kwargs)
stages.translate_page = slow
from pipeline.cli import main
sys.argv[0] = "pipeline"
main()
"""


def test_a_second_run_into_the_same_folder_stops_with_one_line_naming_the_first(tmp_path, memorizing_model):
    from pipeline.storage import LOCK_INFO

    page = tmp_path / "page.txt"
    page.write_text(FIRST_ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    args = ["run", str(page), "--out", str(out), "--model", str(memorizing_model), "--no-cache", "--beams", "1", "-q"]
    first = subprocess.Popen([sys.executable, "-c", SLOW_CLI, *args, "20"], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not (out / LOCK_INFO).exists():
            assert first.poll() is None and time.monotonic() < deadline, first.communicate()
            time.sleep(0.2)
        second = subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, capture_output=True, text=True,
                                timeout=300)
        assert first.poll() is None  # the first run still holds the folder
    finally:
        stdout, stderr = first.communicate(timeout=600)
    assert second.returncode == 1
    assert second.stderr.count("\n") == 1, second.stderr
    assert second.stderr.startswith(f"error: {out}: another run is writing into this folder (pid {first.pid}, ")
    assert first.returncode == 0, stderr
    assert (out / "page" / "index.json").is_file() and not (out / LOCK_INFO).exists()
