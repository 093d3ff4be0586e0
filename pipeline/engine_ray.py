"""The Ray engine (`pipeline run --engine ray`): the local engine's stages as a Ray Data dataflow.

    inputs ─ read, decode, layout, sentences (CPU tasks, one row per part)
           ─ translate (map_batches over an actor pool: each actor loads the model once; GPU actors on a GPU cluster)
           ─ summarise, render, write (CPU tasks; every file to a temp name, then renamed)
           ─ the driver writes each input's manifest when its last part is in, and reports it

Every stage calls the functions the local engine calls (`pipeline.run`, `pipeline.translate.translate_page`), page
by page with the same slices, so the JSON is byte-identical to a local run's, the `timing` block aside. Outputs go
to a local folder or to any pyarrow filesystem URI (`s3://…`, `gs://…`, `file://…`), one folder per input.

A translator actor that dies is restarted by Ray (it reloads the model) and the pages it held are redone; a page's
files are written only after it is translated, each atomically, so a redone page rewrites identical files. A bad
input becomes an error row that passes through the later stages untouched and fails alone.

Ray is an optional extra (`pip install -e '.[ray]'`): nothing imports this module unless `--engine ray` is asked
for, and `ray` itself is imported only inside the functions that need it.
"""

from __future__ import annotations

import io
import json
import logging
import os
import pickle
import posixpath
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from .errors import EngineError, OutputError, PipelineError, RayMissingError, UsageError
from .inputs import Decoded, page_spans, read_input, read_stream
from .render import dumps
from .run import (MANIFEST, BatchResult, FileResult, Reporter, Source, _failed, _remove_stale_outputs, _result,
                  _Sliced, build_page, claim_out_dir, finish_part, model_info, new_manifest, part_counts,
                  part_place, read_manifest, remove_stale_temp_files, render_outputs, resolve_inputs,
                  run_settings, write_atomic)

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


def import_ray():
    """The `ray` module, or a RayMissingError saying how to install the extra."""
    try:
        import ray
        import ray.data  # noqa: F401 - ray without its data extra cannot run the dataflow
    except ImportError as exc:
        raise RayMissingError(f"--engine ray needs Ray, which is not installed ({exc}); install the extra with "
                              f"`{RAY_EXTRA}` (or `pip install 'ray[data]>=2.9'`), or use --engine local.") from None
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


# ------------------------------------------------------------------------------------------------ outputs


@dataclass(frozen=True)
class OutputRoot:
    """The `--out` of a run: a local folder, or a pyarrow filesystem URI; picklable, so each task re-opens it."""

    spec: str

    @property
    def is_uri(self) -> bool:
        return "://" in self.spec

    def _fs(self):
        from pyarrow import fs as pafs

        try:
            filesystem, base = pafs.FileSystem.from_uri(self.spec)
        except (ValueError, OSError) as exc:  # pyarrow raises ArrowInvalid (a ValueError) for unknown schemes
            raise UsageError(f"--out {self.spec}: not a filesystem pyarrow can open ({exc}); use a local folder or "
                             "a URI such as s3://bucket/prefix, gs://bucket/prefix or file:///abs/path.") from None
        return filesystem, base.rstrip("/")

    def display(self, rel: str) -> Path:
        """Where an input's folder is, for the lines and the summary."""
        return Path(self.spec) / rel if not self.is_uri else Path(f"{self.spec.rstrip('/')}/{rel}")

    def write(self, rel: str, text: str) -> None:
        """Write a file atomically: a temp file in the same folder, then a rename (a copy on object stores, where
        an object appears whole or not at all)."""
        if not self.is_uri:
            write_atomic(Path(self.spec) / rel, text)
            return
        filesystem, base = self._fs()
        path = posixpath.join(base, rel)
        folder, name = posixpath.split(path)
        filesystem.create_dir(folder, recursive=True)
        tmp = posixpath.join(folder, f".{name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        try:
            with filesystem.open_output_stream(tmp) as fh:
                fh.write(text.encode("utf-8"))
            filesystem.move(tmp, path)
        except BaseException:
            try:
                filesystem.delete_file(tmp)
            except OSError:
                pass
            raise

    def read(self, rel: str) -> str | None:
        """A file's text; None when there is none."""
        if not self.is_uri:
            path = Path(self.spec) / rel
            return path.read_text(encoding="utf-8") if path.is_file() else None
        filesystem, base = self._fs()
        try:
            with filesystem.open_input_stream(posixpath.join(base, rel)) as fh:
                return fh.read().decode("utf-8")
        except FileNotFoundError:
            return None

    def manifest(self, rel: str) -> dict:
        """An input folder's manifest; {} when there is none or it cannot be used."""
        if not self.is_uri:
            return read_manifest(Path(self.spec) / rel)
        try:
            doc = json.loads(self.read(f"{rel}/{MANIFEST}") or "{}")
        except ValueError:
            return {}
        return doc if isinstance(doc, dict) else {}

    def claim(self, source: Source, claimed: set[str]) -> str:
        """The input's folder name: `<stem>`, or `<stem>-2`, … when that one belongs to another input."""
        if not self.is_uri:
            paths = {Path(self.spec) / c for c in claimed}
            rel = claim_out_dir(Path(self.spec), source, paths).relative_to(Path(self.spec)).as_posix()
            claimed.add(rel)
            return rel
        from pyarrow import fs as pafs

        filesystem, base = self._fs()
        n = 0
        while True:
            n += 1
            rel = source.stem if n == 1 else f"{source.stem}-{n}"
            if rel in claimed:
                continue
            info = filesystem.get_file_info(posixpath.join(base, rel))
            if info.type == pafs.FileType.File:
                continue
            owner = self.manifest(rel).get("source", {}).get("key", "")
            if info.type == pafs.FileType.NotFound or owner == source.key or (not owner and not self._holds_files(rel)):
                claimed.add(rel)
                return rel

    def _holds_files(self, rel: str) -> bool:
        from pyarrow import fs as pafs

        filesystem, base = self._fs()
        found = filesystem.get_file_info(pafs.FileSelector(posixpath.join(base, rel), recursive=False))
        return any(not posixpath.basename(f.path).startswith(".") for f in found)

    def prepare(self, rel: str) -> None:
        """Before an input's parts are written: its folder exists, and temp files a killed run left are gone."""
        if not self.is_uri:
            folder = Path(self.spec) / rel
            folder.mkdir(parents=True, exist_ok=True)
            for sub in [folder, *folder.glob("part-*")]:
                remove_stale_temp_files(sub)

    def remove_stale(self, rel: str, old_files: list[str], new_files: list[str]) -> None:
        """Delete what an earlier run wrote into this folder and this one did not (local folders only)."""
        if not self.is_uri:
            _remove_stale_outputs(Path(self.spec) / rel, old_files, new_files)


# ------------------------------------------------------------------------------------------------ stages


def _in_driver_folder(cwd: str) -> None:
    """Relative input and model paths mean what they meant on the driver (on a machine that has its folder)."""
    if os.getcwd() != cwd and os.path.isdir(cwd):
        os.chdir(cwd)


def _error_row(row: dict, message: str) -> dict:
    return {"input": row["input"], "out": row["out"], "part": 1, "of": 1, "dir": ".", "part_info": "", "start": 0,
            "end": 0, "error": message, "source": "{}", "page": b"", "seconds": 0.0}


def _guarded(row: dict, name: str, work: Callable[[], list[dict]]) -> list[dict]:
    """Run one stage on one input's row; a bad input becomes an error row, as run_inputs makes it a failed result."""
    try:
        return work()
    except PipelineError as exc:
        return [_error_row(row, str(exc))]
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - a bug on one odd input must not cost the rest of the batch
        log.debug("internal error on %s", name, exc_info=True)
        return [_error_row(row, f"{name}: internal error ({type(exc).__name__}: {exc}); please report it with this "
                                "input (-vv shows the traceback).")]


def build_parts(row: dict, out: OutputRoot, cwd: str) -> list[dict]:
    """CPU stage: read and decode one input, claim its folder with a fresh manifest, build each part (layout and
    sentences); one row per part, or one error row."""
    _in_driver_folder(cwd)
    source = Source(row["arg"])

    def work() -> list[dict]:
        t0 = time.perf_counter()
        decoded = read_stream(io.BytesIO(row["data"]), source.name) if source.is_stdin else read_input(Path(row["arg"]))
        info = {"sha256": decoded.sha256, "encoding": decoded.encoding, "bytes": decoded.size}
        try:
            out.prepare(row["out"])
            # Claims the folder before any output is written; the settings come with the translated rows.
            out.write(f"{row['out']}/{MANIFEST}", dumps(new_manifest(source, decoded, {})))
        except OSError as exc:
            raise OutputError(f"{out.display(row['out'])}: cannot write the outputs ({exc}); check that folder's "
                              "permissions and the free disk space.") from exc
        spans = page_spans(decoded.text)
        rows = []
        for n, (start, end) in enumerate(spans, start=1):
            rel, part = part_place(n, spans)
            page = build_page(decoded.text[start:end], source.name, decoded.sha256, decoded.encoding)
            rows.append({"input": row["input"], "out": row["out"], "part": n, "of": len(spans), "dir": rel,
                         "part_info": json.dumps(part) if part else "", "start": start, "end": end, "error": "",
                         "source": json.dumps(info), "page": pickle.dumps(page), "seconds": 0.0})
        rows[0]["seconds"] = time.perf_counter() - t0
        return rows

    return _guarded(row, source.name, work)


class TranslatorActor:
    """Translate stage: one model per actor, loaded when the actor starts; `translate_page` on each page."""

    def __init__(self, options: TranslatorOptions, cwd: str) -> None:
        from .glossary import load_glossary
        from .translate import load_translator

        _in_driver_folder(cwd)
        self.translator = load_translator(options.model, device=options.device, beams=options.beams,
                                          models_dir=Path(options.models_dir), backend=options.backend,
                                          cache=Path(options.cache) if options.cache else None,
                                          cores=options.cores or None,  # this actor's share of the node's cores
                                          glossary=load_glossary(Path(options.glossary), options.protect_terms)
                                          if options.glossary else None)
        if options.decoding:
            self.translator.decoding = self.translator.decoding.with_(**dict(options.decoding))
        if hasattr(self.translator, "model"):
            self.translator.model  # noqa: B018 - load the weights now, once per actor, not inside the first page
        self.model = json.dumps(model_info(self.translator))
        self.settings = json.dumps(run_settings(self.translator))

    def _hits(self) -> int:
        hits = getattr(getattr(self.translator, "memory", None), "hits", None)
        return hits if isinstance(hits, int) else NO_HITS

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        import numpy as np

        out: dict[str, list] = {k: list(v) for k, v in batch.items()}
        out.update(model=[], settings=[], translate_s=[], model_inputs=[], cache_hits=[])
        for i, error in enumerate(out["error"]):
            translate_s, calls, hits = 0.0, 0, NO_HITS
            if not error:
                page = pickle.loads(out["page"][i])
                hits0 = self._hits()
                t0 = time.perf_counter()
                calls = _translate(page, self.translator)
                translate_s = time.perf_counter() - t0
                hits = self._hits() - hits0 if hits0 != NO_HITS else NO_HITS
                out["page"][i] = pickle.dumps(page)
            out["model"].append(self.model)
            out["settings"].append(self.settings)
            out["translate_s"].append(translate_s)
            out["model_inputs"].append(calls)
            out["cache_hits"].append(hits)
        return {k: np.array(v, dtype=object) if isinstance(v[0], (str, bytes)) else np.array(v)
                for k, v in out.items()}


class CpuStage:
    """A CPU stage (`build_parts` or `write_part`) in a long-lived worker: run as plain tasks, Ray started a fresh
    worker process for nearly every page (idle workers past its soft limit are killed within a second), seconds
    of start-up each; an actor keeps its process."""

    def __init__(self, fn: Callable[..., Any], out: OutputRoot, cwd: str) -> None:
        self.fn, self.out, self.cwd = fn, out, cwd

    def __call__(self, row: dict) -> Any:
        return self.fn(row, self.out, self.cwd)


def _translate(page, translator) -> int:
    """The local engine's translate call: `translate_page` fed in the same slices (which decide the batches)."""
    from .translate import translate_page

    return translate_page(page, _Sliced(translator, lambda n: None))


def write_part(row: dict, out: OutputRoot, cwd: str) -> dict:
    """CPU stage: summarise, render and write one translated part; returns its manifest record (no page)."""
    _in_driver_folder(cwd)
    result = {k: row[k] for k in ("input", "part", "of", "error", "source", "settings", "cache_hits")}
    result.update(record="{}", seconds=float(row["seconds"]) + float(row["translate_s"]))
    if row["error"]:
        return result
    t0 = time.perf_counter()
    page = finish_part(pickle.loads(row["page"]), int(row["start"]))
    part = json.loads(row["part_info"]) if row["part_info"] else None
    timing = {"translate_s": round(float(row["translate_s"]), 3)}
    folder = posixpath.normpath(f"{row['out']}/{row['dir']}")
    files = []
    try:
        for name, text in render_outputs(page, json.loads(row["model"]), timing, part):
            out.write(f"{folder}/{name}", text)
            files.append(posixpath.normpath(f"{row['dir']}/{name}"))
    except OSError as exc:
        result["error"] = (f"{out.display(folder)}: cannot write the outputs ({exc}); check that folder's permissions "
                           "and the free disk space.")
        return result
    counts = part_counts(page, int(row["model_inputs"]))
    record = {"dir": row["dir"], "span": [int(row["start"]), int(row["end"])], **counts, "files": files}
    result.update(record=json.dumps(record), seconds=result["seconds"] + time.perf_counter() - t0)
    return result


# ------------------------------------------------------------------------------------------------ driver


@dataclass
class _Pending:
    """An input whose parts are coming in."""

    source: Source
    rel: str
    old_files: list[str]
    records: dict[int, dict]
    seconds: float = 0.0
    hits: int | None = None


def _start_ray(ray, address: str | None, verbose: int) -> bool:
    """Connect to `address`, or start Ray in this process; True when this call started it (and must stop it)."""
    if ray.is_initialized():
        return False
    from .translate.base import cpu_cores

    options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": verbose > 0,
                               "logging_level": logging.INFO if verbose else logging.WARNING}
    try:
        if address:
            ray.init(address=address, **options)
        else:
            ray.init(num_cpus=cpu_cores(), **options)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        where = f"the Ray cluster at {address}" if address else "a local Ray instance"
        raise EngineError(f"cannot start or reach {where} ({exc}); check `ray status` on the cluster, or drop "
                          "--ray-address to run Ray locally.") from None
    return True


def _resources(ray, device: str, translators: int | None, gpus_per_translator: float) -> tuple[int, dict]:
    """How many translator actors, and each one's Ray resources and CPU cores."""
    cluster = ray.cluster_resources()
    cpus = int(cluster.get("CPU", 1)) or 1
    gpus = float(cluster.get("GPU", 0)) if device != "cpu" else 0.0
    if device == "cuda" and not gpus:
        raise UsageError("--device cuda was asked for but the Ray cluster has no GPU; use --device cpu or auto.")
    if gpus:
        count = translators or max(1, int(gpus // gpus_per_translator))
        return count, {"num_gpus": gpus_per_translator, "num_cpus": GPU_TRANSLATOR_CPUS, "cores": 0}
    node_cpus = max((int(n["Resources"].get("CPU", 0)) for n in ray.nodes() if n.get("Alive")), default=cpus)
    count = translators or 1
    share = max(1, min(node_cpus, cpus // count))
    return count, {"num_gpus": 0, "num_cpus": share, "cores": share}


def run_inputs_ray(args: list[str], out: str, options: TranslatorOptions, *, glob: str = "*.txt",
                   address: str | None = None, translators: int | None = None, gpus_per_translator: float = 1.0,
                   reporter: Reporter | None = None, quiet: bool = False, verbose: int = 0) -> BatchResult:
    """Run every input named by `args` on Ray; bad inputs fail alone. Every input is redone (no resume)."""
    ray = import_ray()
    reporter = reporter or Reporter()
    if translators is not None and translators < 1:
        raise UsageError(f"--translators {translators}: give at least 1.")
    if gpus_per_translator <= 0:
        raise UsageError(f"--gpus-per-translator {gpus_per_translator}: give a positive share of a GPU (e.g. 0.5).")
    t0 = time.perf_counter()
    root = OutputRoot(out if "://" in out else os.path.abspath(out))
    shown = OutputRoot(out)
    sources, errors = resolve_inputs(args, glob, exclude=None if root.is_uri else Path(out))
    results: dict[int, FileResult] = {}
    reporter.batch_started(len(sources) + len(errors))
    for n, err in enumerate(errors):
        results[-1 - n] = _failed(str(err).split(":", 1)[0], str(err))
        reporter.file_finished(results[-1 - n])
    if not sources:
        return BatchResult(list(results.values()), time.perf_counter() - t0)
    if not address:
        from .translate import resolve_model

        resolve_model(options.model, Path(options.models_dir))  # no model, no run: one error, before Ray starts

    claimed: set[str] = set()
    pending: dict[int, _Pending] = {}
    rows = []
    for i, source in enumerate(sources):
        rel = root.claim(source, claimed)
        pending[i] = _Pending(source, rel, root.manifest(rel).get("files", []), {})
        data = _read_stdin() if source.is_stdin else b""
        rows.append({"input": i, "arg": source.arg, "data": data, "out": rel})

    started = _start_ray(ray, address, verbose)
    try:
        count, res = _resources(ray, options.device, translators, gpus_per_translator)
        options = TranslatorOptions(**{**options.__dict__, "cores": res["cores"]})
        for row in _dataflow(ray, rows, root, options, count, res, quiet):
            i = int(row["input"])
            if i not in pending:
                continue  # a later part of an input that already failed
            done = _collect(pending[i], row)
            if done is None:
                continue
            results[i] = _finish(root, shown, pending.pop(i), done)
            reporter.file_finished(results[i])
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
            ray.shutdown()
    ordered = [results[k] for k in sorted(results)]
    return BatchResult(ordered, time.perf_counter() - t0)


def _read_stdin() -> bytes:
    """Standard input, read on the driver: the workers have none of their own."""
    import sys

    from .inputs import MAX_INPUT_BYTES

    return sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)


def _dataflow(ray, rows: list[dict], root: OutputRoot, options: TranslatorOptions, count: int, res: dict,
              quiet: bool) -> Iterator[dict]:
    """The Ray Data pipeline; yields one finished-part row (or error row) at a time as they complete."""
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = not quiet
    cwd = os.getcwd()
    cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
    ds = ray.data.from_items(rows, override_num_blocks=len(rows))
    ds = ds.flat_map(CpuStage, fn_constructor_kwargs={"fn": build_parts, "out": root, "cwd": cwd},
                     num_cpus=CPU_STAGE_CPUS, compute=ray.data.ActorPoolStrategy(min_size=1, max_size=cpus))
    ds = ds.map_batches(
        TranslatorActor, fn_constructor_kwargs={"options": options, "cwd": cwd}, batch_size=PAGES_PER_BATCH,
        batch_format="numpy", num_cpus=res["num_cpus"], num_gpus=res["num_gpus"] or None,
        # Ray Data's actor defaults (max_restarts=-1, max_task_retries=-1) are the fault tolerance: a dead actor is
        # restarted, reloading the model, and the calls it held are retried (tests/test_ray.py kills one).
        compute=ray.data.ActorPoolStrategy(size=count, max_tasks_in_flight_per_actor=MAX_TASKS_IN_FLIGHT_PER_ACTOR),
    )
    ds = ds.map(CpuStage, fn_constructor_kwargs={"fn": write_part, "out": root, "cwd": cwd}, num_cpus=CPU_STAGE_CPUS,
                compute=ray.data.ActorPoolStrategy(min_size=1, max_size=cpus))
    yield from ds.iter_rows()


def _collect(p: _Pending, row: dict) -> dict | None:
    """Add a finished part; returns the input's last row when every part is in (or at its first error)."""
    if row["error"]:
        return dict(row)
    p.records.setdefault(int(row["part"]), json.loads(row["record"]))  # a retried part counts once
    p.seconds += float(row["seconds"])
    if int(row["cache_hits"]) != NO_HITS:
        p.hits = (p.hits or 0) + int(row["cache_hits"])
    return dict(row) if len(p.records) == int(row["of"]) else None


def _finish(root: OutputRoot, shown: OutputRoot, p: _Pending, row: dict) -> FileResult:
    """The input's manifest (complete, with the settings the translators report) and its result."""
    if row["error"]:
        return _failed(p.source.name, row["error"])
    info = json.loads(row["source"])
    decoded = Decoded("", info["encoding"], info["sha256"], info["bytes"])
    manifest = new_manifest(p.source, decoded, json.loads(row["settings"]))
    manifest["parts"] = [p.records[n] for n in sorted(p.records)]
    manifest["files"] = [f for r in manifest["parts"] for f in r["files"]]
    try:
        root.remove_stale(p.rel, p.old_files, manifest["files"])
        manifest["complete"] = True
        root.write(f"{p.rel}/{MANIFEST}", dumps(manifest))
    except OSError as exc:
        return _failed(p.source.name, f"{shown.display(p.rel)}: cannot write the manifest ({exc}); check that "
                                      "folder's permissions and the free disk space.")
    result = _result(p.source, shown.display(p.rel), manifest, "done", p.seconds)
    result.cache_hits = p.hits
    return result
