"""The Ray engine (`pipeline run --engine ray`): the stages of `pipeline.stages` scheduled as a Ray Data dataflow.

    inputs ─ read, claim (open_input: skip or resume), layout, sentences (CPU actors, one row per part)
           ─ process: translate, summarize (map_batches over an actor pool: each actor loads the model once; GPU
             actors on a GPU cluster)
           ─ render, write (CPU actors; every file to a temp name, then renamed)
           ─ the driver records each part in the input's manifest as it comes in, and finishes the input when its
             last part is in

Every stage calls the functions the local engine calls (`pipeline.stages`), so the JSON is byte-identical to a
local run's, the `timing` block aside, and a re-run skips finished inputs and resumes interrupted ones as the local
engine does. Outputs go to a local folder or to any fsspec URI (`s3://…`, `gs://…`, `file://…`), one folder per
input (`pipeline.storage.OutputStore`).

A translator actor that dies is restarted by Ray (it reloads the model) and the pages it held are redone; a page's
files are written only after it is translated, each atomically, so a redone page rewrites identical files. A bad
input becomes an error row that passes through the later stages untouched and fails alone.

Ray is an optional extra (`pip install -e '.[ray]'`): nothing imports this module unless `--engine ray` is asked
for, and `ray` itself is imported only inside the functions that need it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import pickle
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from .errors import EngineError, PipelineError, RayMissingError, UsageError
from .inputs import page_spans
from .run import resolve_inputs
from .stages import (BatchResult, FileResult, OpenInput, PageResult, Reporter, Source, add_hits, build_page,
                     failed_result, failure_message, file_result, finish_input, model_info, open_input, part_place,
                     process, record_part, run_settings, write_part)
from .storage import Manifest, OutputStore, PartRecord
from .translate import Translator

log = logging.getLogger(__name__)

RAY_EXTRA = "pip install -e '.[ray]'"
# Pages per translate call: one, so that each page is translated exactly as the local engine does it (same slices,
# so same model batches and byte-identical English), and a killed actor costs one page to redo. A Ray task's
# overhead (milliseconds) is small against a page's translation (seconds).
PAGES_PER_BATCH = 1
# The CPU stages (decode, layout, sentences; summarise, render, write) take milliseconds per page against the
# translator's seconds; they reserve no CPU, so that they run beside translator actors that hold every core instead
# of waiting for one. Each is a pool of 1 to (cluster CPUs) actors instead.
CPU_STAGE_CPUS = 0
# A translator on a GPU needs one CPU core to feed it.
GPU_TRANSLATOR_CPUS = 1
# How long a translator may be queued per actor: enough to keep an actor busy while the previous page's results are
# handed on, few enough that a killed actor's redone pages are few.
MAX_TASKS_IN_FLIGHT_PER_ACTOR = 2
NO_HITS = -1  # the cache_hits column when the translator has no translation memory


def import_ray() -> Any:
    """The `ray` module, or a RayMissingError saying how to install the extra."""
    try:
        import ray
        import ray.data  # noqa: F401 - ray without its data extra cannot run the dataflow
    except ImportError as exc:
        raise RayMissingError(f"engine ray needs Ray, which is not installed ({exc}); install the extra with "
                              f"`{RAY_EXTRA}` (or `pip install 'ray[data]>=2.9'`), or use the local engine.",
                              option="engine") from None
    return ray


@dataclass(frozen=True)
class TranslatorOptions:
    """What each translator actor passes to `load_translator` (paths absolute, so any worker can find them)."""

    model: str
    device: str = "auto"
    beams: int | None = None
    models_dir: str = "models"
    backend: str = "auto"
    cache: str | None = None  # translation memory file; None: no cache
    cores: int = 0  # CPU cores for this actor's translator (0: all the node's)
    glossary: str | None = None  # --glossary file (absolute); None: no glossary
    protect_terms: bool = False  # --protect-terms
    # Decoding fields to override after loading (bench/ray_scaling.py forces equal output lengths with them, as the
    # local engine's benchmark does); the run's settings and manifest record the result.
    decoding: tuple[tuple[str, Any], ...] = ()


# ------------------------------------------------------------------------------------------------ stages

Row = dict[str, Any]


def _in_driver_folder(cwd: str) -> None:
    """Relative input and model paths mean what they meant on the driver (on a machine that has its folder)."""
    if os.getcwd() != cwd and os.path.isdir(cwd):
        os.chdir(cwd)


def _row(row: Row, **values: Any) -> Row:
    """A row of the dataflow: every column, defaults first (Ray Data wants the same columns in every row)."""
    base: Row = {"input": row["input"], "out": row["out"], "part": 1, "of": 1, "dir": ".", "part_info": "",
                 "start": 0, "end": 0, "error": "", "status": "done", "manifest": "", "record": "", "page": b"",
                 "started": row.get("started", 0.0)}
    base.update(values)
    return base


def _load_translator(options: TranslatorOptions) -> Translator:
    from .glossary import load_glossary
    from .translate import load_translator

    translator = load_translator(options.model, device=options.device, beams=options.beams,
                                 models_dir=Path(options.models_dir), backend=options.backend,
                                 cache=Path(options.cache) if options.cache else None,
                                 cores=options.cores or None,  # this actor's share of the node's cores
                                 glossary=load_glossary(Path(options.glossary), options.protect_terms)
                                 if options.glossary else None)
    if options.decoding:
        translator.decoding = translator.decoding.with_(**dict(options.decoding))
    return translator


def run_settings_of(options: TranslatorOptions, cwd: str) -> str:
    """The run's settings (what decides the output besides the input), as a translator actor would report them;
    run once, on the cluster, before the dataflow, so that the first stage can skip and resume inputs."""
    _in_driver_folder(cwd)
    return json.dumps(run_settings(_load_translator(options)))


def build_parts(row: Row, out: OutputStore, cwd: str, settings: str, resume: bool) -> list[Row]:
    """First stage: read and decode one input, claim its folder (skip it when an earlier run finished it, keep
    the parts an interrupted run finished), build each remaining part (layout and sentences); one row per part."""
    _in_driver_folder(cwd)
    source = Source(row["arg"])
    started = time.time()
    try:
        decoded = source.read(row["data"] if source.is_stdin else None)
        opened = open_input(out, row["out"], source, decoded, json.loads(settings), resume)
        if opened.skip:
            return [_row(row, status="skipped", manifest=opened.manifest.to_json(), started=started)]
        spans = page_spans(decoded.text)
        rows = []
        for n, (start, end) in enumerate(spans, start=1):
            rel, part = part_place(n, spans)
            common = {"part": n, "of": len(spans), "dir": rel, "part_info": json.dumps(part) if part else "",
                      "start": start, "end": end, "manifest": opened.manifest.to_json(), "started": started}
            record = opened.reusable(out, rel, (start, end))
            if record is not None:
                rows.append(_row(row, status="reused", record=json.dumps(record.__dict__), **common))
                continue
            page = build_page(decoded.text[start:end], source.name, decoded.sha256, decoded.encoding)
            rows.append(_row(row, page=pickle.dumps(page), **common))
        return rows
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - one input's failure (or a bug on it) must not cost the batch
        return [_row(row, error=failure_message(source.name, exc), started=started)]


class TranslatorActor:
    """Model stage: one model per actor, loaded when the actor starts; `stages.process` on each page."""

    def __init__(self, options: TranslatorOptions, cwd: str) -> None:
        _in_driver_folder(cwd)
        self.translator = _load_translator(options)
        if hasattr(self.translator, "model"):
            self.translator.model  # noqa: B018 - load the weights now, once per actor, not inside the first page
        self.model = json.dumps(model_info(self.translator))

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        import numpy as np

        out: dict[str, list[Any]] = {k: list(v) for k, v in batch.items()}
        out.update(model=[], cache_hits=[])
        for i, error in enumerate(out["error"]):
            hits = NO_HITS
            if not error and out["status"][i] == "done":
                page = pickle.loads(out["page"][i])
                try:
                    result = process(page, self.translator, offset=int(out["start"][i]))
                except MemoryError:
                    raise
                except Exception as exc:  # noqa: BLE001 - as in build_parts
                    out["error"][i] = failure_message(page.path, exc)
                else:
                    hits = NO_HITS if result.translation.cache_hits is None else result.translation.cache_hits
                    out["page"][i] = pickle.dumps(result)
            out["model"].append(self.model)
            out["cache_hits"].append(hits)
        return {k: np.array(v, dtype=object) if isinstance(v[0], (str, bytes)) else np.array(v)
                for k, v in out.items()}


class CpuStage:
    """A CPU stage (`build_parts` or `write_stage`) in a long-lived worker: run as plain tasks, Ray started a fresh
    worker process for nearly every page (idle workers past its soft limit are killed within a second), seconds
    of start-up each; an actor keeps its process."""

    def __init__(self, fn: Callable[..., Any], out: OutputStore, cwd: str, **extra: Any) -> None:
        self.fn, self.out, self.cwd, self.extra = fn, out, cwd, extra

    def __call__(self, row: Row) -> Any:
        return self.fn(row, self.out, self.cwd, **self.extra)


def write_stage(row: Row, out: OutputStore, cwd: str) -> Row:
    """Last stage: render and write one processed part; the row keeps its manifest record, not its page."""
    _in_driver_folder(cwd)
    result = {k: v for k, v in row.items() if k not in ("page", "model")}
    if row["error"] or row["status"] != "done":
        return result
    page_result: PageResult = pickle.loads(row["page"])
    part = json.loads(row["part_info"]) if row["part_info"] else None
    try:
        record = write_part(out, row["out"], row["dir"], (int(row["start"]), int(row["end"])), page_result,
                            json.loads(row["model"]), part)
    except PipelineError as exc:
        result["error"] = str(exc)
        return result
    result["record"] = json.dumps(record.__dict__)
    return result


# ------------------------------------------------------------------------------------------------ driver


@dataclass
class _Pending:
    """An input whose parts are coming in."""

    source: Source
    rel: str
    old_files: list[str]
    records: dict[int, PartRecord] = field(default_factory=dict)
    reused: set[str] = field(default_factory=set)
    opened: OpenInput | None = None
    hits: int | None = None


@contextlib.contextmanager
def _ray_stderr(verbose: int) -> Iterator[None]:
    """Without -v, what Ray's C++ core writes straight to file descriptor 2 while it starts or stops (e.g. its
    `logging.cc` line announcing RAY_BACKEND_LOG_LEVEL, which Python's logging levels cannot reach) goes to the
    -vv log instead of the user's terminal."""
    if verbose:
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as caught:
        os.dup2(caught.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            caught.seek(0)
            text = caught.read().decode("utf-8", errors="replace").strip()
            if text:
                log.debug("Ray wrote to stderr: %s", text)


def _start_ray(ray: Any, address: str | None, verbose: int) -> bool:
    """Connect to `address`, or start Ray in this process; True when this call started it (and must stop it).
    Ray's own logs (its token-auth warning, core-worker lines, Ray Data's plan) show only with -v."""
    if ray.is_initialized():
        return False
    from .translate.base import cpu_cores

    if not verbose:
        # The C++ core worker and raylet log at this level (their `error`-level lines at shutdown are noise).
        os.environ.setdefault("RAY_BACKEND_LOG_LEVEL", "fatal")
        for name in ("ray", "ray.data", "ray._private", "ray.util"):
            logging.getLogger(name).setLevel(logging.ERROR)
    options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": verbose > 0,
                               "logging_level": logging.INFO if verbose else logging.ERROR}
    try:
        with _ray_stderr(verbose):
            if address:
                ray.init(address=address, **options)
            else:
                ray.init(num_cpus=cpu_cores(), **options)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        where = f"the Ray cluster at {address}" if address else "a local Ray instance"
        raise EngineError(f"cannot start or reach {where} ({exc}); check `ray status` on the cluster, or run Ray "
                          "locally (no address).", option="ray_address") from None
    if not verbose:
        for name in ("ray", "ray.data", "ray._private", "ray.util"):
            logging.getLogger(name).setLevel(logging.ERROR)
    return True


def _resources(ray: Any, device: str, translators: int | None, gpus_per_translator: float) -> tuple[int, dict[str, Any]]:
    """How many translator actors, and each one's Ray resources and CPU cores."""
    cluster = ray.cluster_resources()
    cpus = int(cluster.get("CPU", 1)) or 1
    gpus = float(cluster.get("GPU", 0)) if device != "cpu" else 0.0
    if device == "cuda" and not gpus:
        raise UsageError("device cuda was asked for but the Ray cluster has no GPU; use cpu or auto.",
                         option="device")
    if gpus:
        count = translators or max(1, int(gpus // gpus_per_translator))
        return count, {"num_gpus": gpus_per_translator, "num_cpus": GPU_TRANSLATOR_CPUS, "cores": 0}
    node_cpus = max((int(n["Resources"].get("CPU", 0)) for n in ray.nodes() if n.get("Alive")), default=cpus)
    count = translators or 1
    share = max(1, min(node_cpus, cpus // count))
    return count, {"num_gpus": 0, "num_cpus": share, "cores": share}


def run_inputs_ray(args: list[str], out: str, options: TranslatorOptions, *, glob: str = "*.txt",
                   address: str | None = None, translators: int | None = None, gpus_per_translator: float = 1.0,
                   reporter: Reporter | None = None, quiet: bool = False, verbose: int = 0,
                   resume: bool = True) -> BatchResult:
    """Run every input named by `args` on Ray; bad inputs fail alone. With `resume` (the default), inputs an
    earlier run finished are skipped and interrupted ones resumed, as by the local engine."""
    ray = import_ray()
    reporter = reporter or Reporter()
    if translators is not None and translators < 1:
        raise UsageError(f"translators {translators}: give at least 1.", option="translators")
    if gpus_per_translator <= 0:
        raise UsageError(f"gpus per translator {gpus_per_translator}: give a positive share of a GPU (e.g. 0.5).",
                         option="gpus_per_translator")
    t0 = time.perf_counter()
    root = OutputStore(out if "://" in out else os.path.abspath(out))
    shown = OutputStore(out)
    sources, errors = resolve_inputs(args, glob, exclude=Path(out) if root.local and "://" not in out else None)
    results: dict[int, FileResult] = {}
    reporter.batch_started(len(sources) + len(errors))
    for n, err in enumerate(errors):
        results[-1 - n] = failed_result(err.input or "?", str(err))
        reporter.file_finished(results[-1 - n])
    if not sources:
        return BatchResult(list(results.values()), time.perf_counter() - t0)
    if not address:
        from .translate import resolve_model

        resolve_model(options.model, Path(options.models_dir))  # no model, no run: one error, before Ray starts

    with root.locked():
        claimed: set[str] = set()
        pending: dict[int, _Pending] = {}
        rows = []
        for i, source in enumerate(sources):
            rel = root.claim(source.stem, source.key, claimed)
            old = root.manifest(rel)
            pending[i] = _Pending(source, rel, old.files if old is not None else [])
            data = _read_stdin() if source.is_stdin else b""
            rows.append({"input": i, "arg": source.arg, "data": data, "out": rel})

        started = _start_ray(ray, address, verbose)
        try:
            count, res = _resources(ray, options.device, translators, gpus_per_translator)
            options = TranslatorOptions(**{**options.__dict__, "cores": res["cores"]})
            settings = ray.get(ray.remote(num_cpus=0)(run_settings_of).remote(options, os.getcwd()))
            for row in _dataflow(ray, rows, root, options, count, res, quiet, settings, resume):
                i = int(row["input"])
                if i not in pending:
                    continue  # a later part of an input that already failed
                result = _collect(root, shown, pending[i], row)
                if result is not None:
                    del pending[i]
                    results[i] = result
                    reporter.file_finished(result)
        except PipelineError:
            raise
        except Exception as exc:  # a Ray failure (actor that cannot start, lost cluster): one error for the batch
            if isinstance(exc, (KeyboardInterrupt, MemoryError)):
                raise
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise EngineError(f"the Ray run failed ({type(exc).__name__}: {first}); finished inputs are written, run "
                              "with -v to see Ray's logs.") from exc
        finally:
            if started:
                with _ray_stderr(verbose):
                    ray.shutdown()
    ordered = [results[k] for k in sorted(results)]
    return BatchResult(ordered, time.perf_counter() - t0)


def _read_stdin() -> bytes:
    """Standard input, read on the driver: the workers have none of their own."""
    import sys

    from .inputs import MAX_INPUT_BYTES

    return sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)


def _dataflow(ray: Any, rows: list[Row], root: OutputStore, options: TranslatorOptions, count: int,
              res: dict[str, Any], quiet: bool, settings: str, resume: bool) -> Iterator[Row]:
    """The Ray Data pipeline; yields one finished-part row (or error row) at a time as they complete."""
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = not quiet
    cwd = os.getcwd()
    cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
    ds = ray.data.from_items(rows, override_num_blocks=len(rows))
    ds = ds.flat_map(CpuStage, fn_constructor_kwargs={"fn": build_parts, "out": root, "cwd": cwd,
                                                      "settings": settings, "resume": resume},
                     num_cpus=CPU_STAGE_CPUS, compute=ray.data.ActorPoolStrategy(min_size=1, max_size=cpus))
    ds = ds.map_batches(
        TranslatorActor, fn_constructor_kwargs={"options": options, "cwd": cwd}, batch_size=PAGES_PER_BATCH,
        batch_format="numpy", num_cpus=res["num_cpus"], num_gpus=res["num_gpus"] or None,
        # Ray Data's actor defaults (max_restarts=-1, max_task_retries=-1) are the fault tolerance: a dead actor is
        # restarted, reloading the model, and the calls it held are retried (tests/test_ray.py kills one).
        compute=ray.data.ActorPoolStrategy(size=count, max_tasks_in_flight_per_actor=MAX_TASKS_IN_FLIGHT_PER_ACTOR),
    )
    ds = ds.map(CpuStage, fn_constructor_kwargs={"fn": write_stage, "out": root, "cwd": cwd}, num_cpus=CPU_STAGE_CPUS,
                compute=ray.data.ActorPoolStrategy(min_size=1, max_size=cpus))
    yield from ds.iter_rows()


def _collect(root: OutputStore, shown: OutputStore, p: _Pending, row: Row) -> FileResult | None:
    """Record a finished part in the input's manifest (so an interrupted run resumes after it); the input's
    result when its last part is in (or at its first error)."""
    seconds = max(0.0, time.time() - float(row["started"]))  # wall time, from reading the input to this part
    if row["error"]:
        return failed_result(p.source.name, str(row["error"]))
    if row["status"] == "skipped":
        manifest = Manifest.from_json(str(row["manifest"]))
        assert manifest is not None
        return file_result(p.source, shown.display(p.rel), manifest, "skipped", seconds)
    if p.opened is None:
        manifest = Manifest.from_json(str(row["manifest"]))
        assert manifest is not None
        p.opened = OpenInput(p.rel, manifest, p.old_files)
    n = int(row["part"])
    if n in p.records:
        return None  # a retried part counts once
    record = PartRecord.from_dict(json.loads(row["record"]))
    p.records[n] = record
    if row["status"] == "reused":
        p.reused.add(record.dir)
    elif int(row["cache_hits"]) != NO_HITS:
        p.hits = add_hits(p.hits, int(row["cache_hits"]))
    try:
        record_part(root, p.opened, record)
        if len(p.records) < int(row["of"]):
            return None
        p.opened.manifest.parts = [p.records[k] for k in sorted(p.records)]
        p.opened.manifest.files = [f for r in p.opened.manifest.parts for f in r.files]
        finish_input(root, p.opened)
    except PipelineError as exc:
        return failed_result(p.source.name, str(exc))
    return file_result(p.source, shown.display(p.rel), p.opened.manifest, "done", seconds, p.reused, p.hits)
