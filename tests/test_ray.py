"""The Ray engine (`--engine ray`): the local engine's JSON byte for byte, a killed translator replaced, bad inputs
failing alone, and one clear line without Ray. One local Ray instance (2 CPUs) serves the whole module."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.translate.cache import TranslationMemory

from conftest import ROOT, SEED

if os.environ.get("PIPELINE_REQUIRE_RAY") != "1":
    pytest.importorskip("ray", reason="Ray is not installed: pip install -e '.[ray]' (CI sets PIPELINE_REQUIRE_RAY)")

SAMPLES = sorted((ROOT / "input" / "samples").glob("*.txt"))
# Greedy decoding: the tests compare engines, not decoding settings, and beams cost time.
BEAMS = 1
# How long the fault test waits for a translator actor to show up or for the first page to be written.
WAIT_S = 120


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[str]:
    """Short pages: the five samples, the seed, and one input of two pages joined by a form feed (done in parts)."""
    folder = tmp_path_factory.mktemp("corpus")
    paths = []
    for src in [*SAMPLES, SEED]:
        shutil.copy(src, folder / src.name)
        paths.append(folder / src.name)
    two = folder / "two-pages.txt"
    two.write_text(SAMPLES[0].read_text(encoding="utf-8") + "\f" + SAMPLES[1].read_text(encoding="utf-8"),
                   encoding="utf-8")
    paths.append(two)
    return [str(p) for p in paths]


@pytest.fixture(scope="module")
def ray_session():
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, object_store_memory=256 * 2**20)
    yield ray
    ray.shutdown()


def _options(model: Path):
    from pipeline.engine_ray import TranslatorOptions

    return TranslatorOptions(model=str(model), device="cpu", beams=BEAMS, cache=None)


@pytest.fixture(scope="module")
def local_out(tmp_path_factory, corpus, memorizing_model) -> Path:
    from pipeline.run import run_inputs
    from pipeline.translate import load_translator

    out = tmp_path_factory.mktemp("local")
    batch = run_inputs(corpus, out, lambda: load_translator(str(memorizing_model), device="cpu", beams=BEAMS))
    assert batch.exit_code == 0, [r.error for r in batch.results]
    return out


@pytest.fixture(scope="module")
def ray_out(tmp_path_factory, corpus, memorizing_model, ray_session) -> tuple[Path, object]:
    from pipeline.engine_ray import run_inputs_ray

    out = tmp_path_factory.mktemp("ray")
    batch = run_inputs_ray(corpus, str(out), _options(memorizing_model), translators=1, quiet=True)
    return out, batch


def _strip_timing(text: str) -> str:
    stripped = re.sub(r',\n  "timing": \{.*?\n  \}', "", text, flags=re.S)
    assert "timing" not in stripped
    return stripped


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def assert_same_outputs(local: Path, other: Path, stems: list[str]) -> int:
    """Every file of each input's folder identical (index.json's timing aside); returns how many JSON files."""
    compared = 0
    for stem in stems:
        a, b = local / stem, other / stem
        assert _files(a) == _files(b), stem
        assert any(name.endswith("index.json") for name in _files(a)), stem
        for name in _files(a):
            x, y = (a / name).read_text(encoding="utf-8"), (b / name).read_text(encoding="utf-8")
            if name.endswith("index.json") and '"kind": "parts"' not in x:  # a page's index, not the overview
                assert '"timing"' in x and '"timing"' in y
                x, y = _strip_timing(x), _strip_timing(y)
            assert x == y, f"{stem}/{name} differs"
            compared += name.endswith(".json")
    return compared


def test_ray_engine_writes_the_local_engines_files_byte_for_byte(corpus, local_out, ray_out):
    out, batch = ray_out
    assert batch.exit_code == 0, [r.error for r in batch.results]
    stems = [Path(p).stem for p in corpus]
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == sorted(stems)
    compared = assert_same_outputs(local_out, out, stems)
    # 7 inputs, 34 articles on the sample pages and 10 on the seed, plus the two-page input's parts.
    assert compared > 50
    two = out / "two-pages"
    assert _files(two) == _files(local_out / "two-pages") and (two / "part-002" / "index.json").is_file()
    assert json.loads((two / "part-002" / "index.json").read_text(encoding="utf-8"))["source"]["part"]["number"] == 2
    # The manifest (hidden file) is compared above too: complete, with the same settings, so a later local run
    # would find these outputs finished.
    manifest = json.loads((two / ".pipeline-run.json").read_text(encoding="utf-8"))
    dirs = [p["dir"] for p in manifest["parts"]]
    assert manifest["complete"] is True and len(dirs) >= 2
    assert dirs == [f"part-{n:03d}" for n in range(1, len(dirs) + 1)]
    assert manifest["settings"]["model"]["decoding"]["beams"] == BEAMS
    # The same results as the local engine reports them.
    by_name = {Path(r.name).stem: r for r in batch.results}
    assert by_name["two-pages"].parts == len(dirs) and by_name["dazhong-2022-10-zaozhuang"].articles == 10
    assert all(r.status == "done" and r.sentences > 0 for r in batch.results)


def test_a_later_local_run_finds_the_ray_outputs_finished(corpus, ray_out, memorizing_model):
    from pipeline.run import run_inputs
    from pipeline.translate import load_translator

    out, _ = ray_out
    batch = run_inputs(corpus[:2], out, lambda: load_translator(str(memorizing_model), device="cpu", beams=BEAMS))
    assert [r.status for r in batch.results] == ["skipped", "skipped"]


def test_a_second_ray_run_skips_what_the_first_finished_and_resumes_a_part(corpus, ray_out, memorizing_model):
    """The Ray engine resumes as the local one does: finished inputs are skipped, and of an input whose run was
    cut short only the missing part is redone."""
    from pipeline.engine_ray import run_inputs_ray

    out, _ = ray_out
    two = out / "two-pages"
    manifest = json.loads((two / ".pipeline-run.json").read_text(encoding="utf-8"))
    # As a run killed before its last part leaves it: the manifest lists the first part only, not complete.
    first, rest = manifest["parts"][0], manifest["parts"][1:]
    kept = {f: (two / f).read_bytes() for f in first["files"]}
    for part in rest:
        for f in part["files"]:
            (two / f).unlink()
    manifest.update(complete=False, parts=[first], files=list(first["files"]))
    (two / ".pipeline-run.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    batch = run_inputs_ray(corpus, str(out), _options(memorizing_model), translators=1, quiet=True)
    by_name = {Path(r.name).stem: r for r in batch.results}
    assert by_name["two-pages"].status == "done" and by_name["two-pages"].parts_reused == 1
    assert all(r.status == "skipped" for name, r in by_name.items() if name != "two-pages")
    assert {f: (two / f).read_bytes() for f in first["files"]} == kept
    assert json.loads((two / ".pipeline-run.json").read_text(encoding="utf-8"))["complete"] is True
    assert all((two / f).is_file() for part in rest for f in part["files"])


def _translator_actors(ray) -> dict[str, dict]:
    from ray._private import state

    return {aid: a for aid, a in state.actors().items() if "TranslatorActor" in a["ActorClassName"]}


def test_a_killed_translator_is_replaced_and_its_page_redone(tmp_path, corpus, local_out, memorizing_model,
                                                              ray_session):
    from pipeline.engine_ray import run_inputs_ray

    out = tmp_path / "out"
    killed: dict = {}

    def kill_one_translator_mid_run() -> None:
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline and not list(out.rglob("index.json")):
            time.sleep(0.02)
        while time.monotonic() < deadline:
            alive = {aid: a for aid, a in _translator_actors(ray_session).items()
                     if a["State"] == "ALIVE" and a["Pid"]}
            if alive:
                aid, actor = sorted(alive.items())[0]
                os.kill(actor["Pid"], signal.SIGKILL)
                killed.update(id=aid, pid=actor["Pid"], written=len(list(out.rglob("index.json"))))
                return
            time.sleep(0.02)

    killer = threading.Thread(target=kill_one_translator_mid_run, daemon=True)
    killer.start()
    batch = run_inputs_ray(corpus, str(out), _options(memorizing_model), translators=2, quiet=True)
    killer.join(timeout=5)
    assert killed, "no translator actor was found to kill"
    total_pages = sum(r.parts for r in batch.results)
    assert killed["written"] < total_pages, "the run was over before the kill; it tested nothing"
    actor = _translator_actors(ray_session)[killed["id"]]
    assert actor["NumRestarts"] >= 1 and actor["Pid"] != killed["pid"]
    assert batch.exit_code == 0, [r.error for r in batch.results]
    stems = [Path(p).stem for p in corpus]
    assert_same_outputs(local_out, out, stems)
    # No half-written file (temp files) and nothing twice: each manifest lists exactly the files on disk.
    assert not list(out.rglob("*.tmp"))
    for stem in stems:
        manifest = json.loads((out / stem / ".pipeline-run.json").read_text(encoding="utf-8"))
        assert sorted(manifest["files"]) == sorted(f for f in _files(out / stem) if not f.startswith("."))
        assert len(manifest["files"]) == len(set(manifest["files"]))


def test_a_bad_input_fails_alone_and_outputs_go_to_a_uri(tmp_path, corpus, local_out, memorizing_model, ray_session):
    from pipeline.cli import app

    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    out = tmp_path / "out"
    args = ["run", corpus[0], str(empty), str(binary), corpus[1], "--engine", "ray", "--out", f"file://{out}",
            "--model", str(memorizing_model), "--device", "cpu", "--beams", str(BEAMS),
            "--cache", str(tmp_path / "tm.sqlite3")]  # as users run it: with a translation memory
    result = CliRunner().invoke(app, args)
    text = result.output
    assert result.exit_code == 1, text
    errors = [line for line in text.splitlines() if line.startswith("error:")]
    assert len(errors) == 2, text
    assert sorted(errors) == sorted([f"error: {empty}: the file is empty (0 bytes); give a text dump of a newspaper "
                                     "page.", f"error: {binary}: this is a PNG image, not a text file."]), text
    assert "2 of 4 ok" in text  # the summary table's total row
    stems = [Path(corpus[0]).stem, Path(corpus[1]).stem]
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == sorted(stems)
    assert_same_outputs(local_out, out, stems)
    # The translator actor filled the memory (it opens it in one thread and translates in another).
    memory = TranslationMemory(tmp_path / "tm.sqlite3")
    assert len(memory) > 0
    memory.close()


def test_a_ray_run_prints_nothing_of_rays_own_unless_verbose(tmp_path, memorizing_model):
    """Issue #17, item 7: a normal Ray run printed Ray's token-auth WARNING and an error-level core_worker.cc line.
    Without -v, a run's stderr holds the pipeline's own lines only: with -q, nothing at all."""
    import subprocess
    import sys

    page = tmp_path / "page.txt"
    page.write_text(SEED.read_text(encoding="utf-8")[:400], encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "pipeline", "run", str(page), "--engine", "ray", "--out",
                           str(tmp_path / "out"), "--model", str(memorizing_model), "--device", "cpu", "--beams", "1",
                           "--no-cache", "-q"], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "", proc.stderr
    assert (tmp_path / "out" / "page" / "index.json").is_file()


def test_ray_options_need_the_ray_engine(tmp_path):
    from pipeline.cli import app

    from pipeline.errors import UsageError

    result = CliRunner().invoke(app, ["run", str(SEED), "--out", str(tmp_path), "--translators", "2"])
    # The CLI's error handler (main) turns this into one `error:` line and exit code 2.
    assert isinstance(result.exception, UsageError) and result.exception.exit_code == 2
    assert "--engine ray" in str(result.exception) and not list(tmp_path.iterdir())


def test_without_ray_one_line_says_how_to_install_it_and_help_never_imports_it(tmp_path):
    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from pipeline.cli import app, main\n"
        "assert CliRunner().invoke(app, ['run', '--help']).exit_code == 0\n"
        "assert 'ray' not in sys.modules, 'run --help imported ray'\n"
        "sys.modules['ray'] = None  # what `import ray` meets on a core install\n"
        f"sys.argv = ['pipeline', 'run', {str(SEED)!r}, '--engine', 'ray', '--out', {str(tmp_path / 'out')!r}]\n"
        "main()\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("error: --engine ray needs Ray"), proc.stderr
    assert "pip install -e '.[ray]'" in proc.stderr
    assert not (tmp_path / "out").exists()
