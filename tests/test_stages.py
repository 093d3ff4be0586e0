"""The structure of issue #16: one stage order, engines that only schedule, one OutputStore for every location."""

from __future__ import annotations

import ast
from collections import defaultdict

import pytest

from conftest import ROOT
from pipeline.errors import ExitStatus, PipelineError, UsageError
from pipeline.storage import MANIFEST, Manifest, OutputStore, PartRecord

PIPELINE = ROOT / "pipeline"


def test_the_ray_engine_imports_nothing_private():
    tree = ast.parse((PIPELINE / "engine_ray.py").read_text(encoding="utf-8"))
    private = [f"{node.module}.{alias.name}" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
               and node.level > 0 for alias in node.names if alias.name.startswith("_")]
    assert private == []


def test_no_run_of_six_identical_code_lines_is_repeated_in_the_package():
    seen: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for path in sorted(PIPELINE.rglob("*.py")):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        for i in range(len(lines) - 5):
            window = tuple(lines[i : i + 6])
            if all(line and not line.startswith("#") for line in window):
                seen[window].append(f"{path.relative_to(ROOT)}:{i + 1}")
    assert [places for places in seen.values() if len(places) > 1] == []


def test_the_stage_order_is_written_in_one_place():
    from pipeline.stages import STAGES

    assert STAGES == ("read", "layout", "sentences", "translate", "summarize", "render", "write")
    for engine in ("run.py", "engine_ray.py"):
        source = (PIPELINE / engine).read_text(encoding="utf-8")
        # The engines call the stages' functions; none calls a stage's own module.
        for module_call in ("recover_layout(", "segment_page(", "translate_page(", "summarize_article(",
                            "article_html(", "index_json("):
            assert module_call not in source, (engine, module_call)


@pytest.mark.parametrize("spec", ["local", "file", "memory"])
def test_an_output_store_writes_claims_and_cleans_alike_everywhere(spec, tmp_path):
    uri = {"local": str(tmp_path / "out"), "file": f"file://{tmp_path / 'out'}",
           "memory": f"memory://{tmp_path.name}/out"}[spec]
    store = OutputStore(uri)
    assert store.claim("page", "/in/page.txt", set()) == "page"
    manifest = Manifest({"path": "in/page.txt", "key": "/in/page.txt", "sha256": "x"}, {"model": "m"}, "k")
    manifest.add(PartRecord(".", [0, 5], 1, 2, 3, {"copied": 1}, ["index.json", "old.json"]))
    store.write_manifest("page", manifest)
    store.write("page/index.json", "{}\n")
    store.write("page/old.json", "{}\n")
    assert store.manifest("page") == manifest and store.read_text(f"page/{MANIFEST}") == manifest.to_json()
    # The folder belongs to its input: another input with the same stem gets page-2; the same input keeps it.
    assert store.claim("page", "/elsewhere/page.txt", set()) == "page-2"
    assert store.claim("page", "/in/page.txt", set()) == "page"
    assert store.claim("page", "/in/page.txt", {"page"}) == "page-2"
    store.remove_stale("page", ["index.json", "old.json", "../escape.json"], ["index.json"])
    assert store.is_file("page/index.json") and not store.exists("page/old.json")
    # A folder of someone else's files is never written into.
    store.write("mine/notes.txt", "x")
    assert store.claim("mine", "/in/mine.txt", set()) == "mine-2"
    if store.local:
        assert not list((tmp_path / "out").rglob("*.tmp"))


def test_a_second_run_cannot_lock_a_folder_that_a_first_one_holds(tmp_path):
    from pipeline.errors import OutputBusyError

    store = OutputStore(str(tmp_path))
    with store.locked():
        with pytest.raises(OutputBusyError, match=r"another run is writing into this folder \(pid \d+, started"):
            with OutputStore(str(tmp_path)).locked():
                pass
    with store.locked():  # released
        pass


def test_errors_carry_their_input_and_option_and_the_cli_names_the_flag():
    from pipeline.cli import error_line
    from pipeline.translate.base import resolve_device

    with pytest.raises(UsageError) as info:
        resolve_device("cuda", lambda: False, "torch")
    assert "--" not in str(info.value) and info.value.option == "device"
    assert error_line(info.value) == "error: --device cuda was asked for but torch sees no CUDA GPU; use cpu or auto."
    assert info.value.exit_code == ExitStatus.USAGE == 2
    assert PipelineError("x", input="a.txt").input == "a.txt"
