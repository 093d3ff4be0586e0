"""Composes the stages: decode → layout → sentences → translate → summarize → render → write (atomically).

A batch (`run_inputs`) takes files, folders and standard input; one input's failure never stops the others.
Every file is written atomically, and each output folder keeps a manifest (written after each part, marked
complete last), so a re-run skips finished inputs and resumes an interrupted one at the part where it stopped.

Large inputs are cut into parts by `inputs.page_spans` (page breaks, page-header lines, else ~50,000 characters
at a paragraph boundary); parts are built, translated and written one at a time into `part-NNN/` folders, so
memory holds the decoded input plus one part's document tree, however large the input.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import os
import re
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from . import __version__
from .document import Page
from .errors import InputError, OutputError, PipelineError
from .inputs import Decoded, page_spans, read_input, read_stream
from .language import ZH
from .layout import recover_layout
from .render import article_file, article_html, article_json, dumps, index_html, index_json
from .sentences import segment_page
from .summarize import summarize_article
from .translate import Translator, model_input, translate_page

log = logging.getLogger(__name__)

STDIN = "-"
STDIN_STEM = "stdin"
DEFAULT_GLOB = "*.txt"
MANIFEST = ".pipeline-run.json"
MANIFEST_VERSION = 1
# Model inputs handed to the translator per call, so that progress moves during a long page: on a CPU 32 inputs
# are two batches (translate.base.CPU_MAX_BATCH_SENTENCES), one per decoding worker; a GPU is given more to keep
# its batches full.
PROGRESS_SLICE = {"cpu": 32, "cuda": 256}
# write_atomic's temp files: `.<name>.<pid>.<random>.tmp`; the pid tells a dead run's leftovers from a live one's.
_TEMP = re.compile(r"^\..+\.(\d+)\.[^.]+\.tmp$")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# mkstemp creates files readable by their owner only; outputs get the permissions of any new file.
_FILE_MODE = 0o666 & ~_umask()


def build_page(text: str, path: str = "", sha256: str = "", encoding: str = "utf-8") -> Page:
    """The model-free part: layout and sentences of a decoded page."""
    page = Page(text=text, path=path, sha256=sha256, encoding=encoding)
    return segment_page(recover_layout(page))


def load_page(path: Path) -> Page:
    """Read, decode and structure one input file (no model)."""
    decoded = read_input(path)
    return build_page(decoded.text, str(path), decoded.sha256, decoded.encoding)


def summarize_page(page: Page) -> Page:
    for article in page.articles:
        article.summary = summarize_article(article)
    return page


def model_info(translator: Translator) -> dict:
    return {"id": translator.model_id, "backend": translator.backend, "decoding": translator.decoding.as_dict()}


def write_atomic(path: Path, text: str) -> None:
    """Write via a temp file in the same folder and rename, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")
    try:
        os.fchmod(fd, _FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        # No fsync: rename is atomic against a killed process, which is what a batch run meets; only a power
        # cut could leave an empty file, and fsync per file would cost more than rendering it.
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_stale_temp_files(folder: Path) -> int:
    """Delete temp files that a killed run left in `folder`; returns how many."""
    removed = 0
    for tmp in folder.glob(".*.tmp"):
        m = _TEMP.match(tmp.name)
        pid = int(m.group(1)) if m else 0
        if pid and pid != os.getpid() and _alive(pid):
            continue
        tmp.unlink(missing_ok=True)
        removed += 1
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def render_outputs(page: Page, model: dict, timing: dict | None = None,
                   part: dict | None = None) -> Iterator[tuple[str, str]]:
    """The page's output files as (name, text), one article at a time, index files last."""
    for article in page.articles:
        for ext, text in (("json", dumps(article_json(article, page))), ("html", article_html(article, page, model))):
            yield article_file(article, ext), text
    index = index_json(page, model, timing)
    if part is not None:
        index["source"]["part"] = part
    for name, text in (("index.json", dumps(index)), ("index.html", index_html(page, model))):
        yield name, text


def write_outputs(page: Page, out_dir: Path, model: dict, timing: dict | None = None,
                  part: dict | None = None) -> list[Path]:
    """Write index.json/html and article-NN.json/html for the page into out_dir; index files last."""
    written = []
    for name, text in render_outputs(page, model, timing, part):
        write_atomic(out_dir / name, text)
        written.append(out_dir / name)
    return written


def shift_spans(page: Page, offset: int) -> None:
    """Move every span of a part's page by the part's offset, so spans point into the whole decoded input."""
    if not offset:
        return
    for unit in page.units():
        unit.span = (unit.span[0] + offset, unit.span[1] + offset)
    for article in page.articles:
        for para in article.paragraphs:
            para.span = (para.span[0] + offset, para.span[1] + offset)
            para.column_breaks = [b + offset for b in para.column_breaks]


def distinct_model_inputs(page: Page) -> int:
    """How many inputs `translate_page` will send to the model: the Chinese units, identical ones once."""
    return len({model_input(u) for u in page.units() if u.lang == ZH})


@dataclass
class FileResult:
    path: Path
    out_dir: Path
    articles: int = 0
    sentences: int = 0
    model_inputs: int = 0
    seconds: float = 0.0
    written: list[Path] = field(default_factory=list)
    name: str = ""  # as the user named the input (`<stdin>` for -)
    status: str = "done"  # done | skipped (finished by an earlier run, unchanged) | failed
    parts: int = 1
    parts_reused: int = 0  # parts an interrupted earlier run had finished
    flags: dict[str, int] = field(default_factory=dict)  # flagged units per flag name
    cache_hits: int | None = None  # translation-memory hits, when the translator reports them
    error: str = ""


class Reporter:
    """Progress events of a batch; this base ignores them (quiet runs, library use)."""

    def batch_started(self, inputs: int) -> None: ...

    def file_started(self, name: str, chars: int, parts: int) -> None: ...

    def part_built(self, articles: int, model_inputs: int, chars: int) -> None: ...

    def translated(self, model_inputs: int) -> None: ...

    def part_finished(self, articles: int, model_inputs: int, chars: int, reused: bool) -> None: ...

    def file_finished(self, result: FileResult) -> None: ...


class _Sliced:
    """The translator fed in slices, reporting after each, so progress moves during a long page."""

    def __init__(self, inner: Translator, done: Callable[[int], None]) -> None:
        self.inner = inner
        self.done = done

    def __getattr__(self, name: str):
        return getattr(self.inner, name)

    def translate(self, sources: list[str], decoding=None) -> list:
        step = PROGRESS_SLICE.get(str(getattr(self.inner, "device", "cpu")), PROGRESS_SLICE["cpu"])
        results: list = []
        for i in range(0, len(sources), step):
            results.extend(self.inner.translate(sources[i : i + step], decoding))
            self.done(min(step, len(sources) - i))
        return results


@dataclass(frozen=True)
class Source:
    """One input of a batch: a file, or standard input (`-`)."""

    arg: str

    @property
    def is_stdin(self) -> bool:
        return self.arg == STDIN

    @property
    def name(self) -> str:
        return "<stdin>" if self.is_stdin else self.arg

    @property
    def key(self) -> str:
        """What identifies the input across runs: its absolute path."""
        # realpath, unlike Path.resolve, does not raise on a symlink loop (that input fails when it is read).
        return STDIN if self.is_stdin else os.path.realpath(os.path.abspath(self.arg))

    @property
    def stem(self) -> str:
        return STDIN_STEM if self.is_stdin else (Path(self.arg).stem or "input")

    def read(self) -> Decoded:
        return read_stream(name=self.name) if self.is_stdin else read_input(Path(self.arg))


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def resolve_inputs(args: list[str], glob: str = DEFAULT_GLOB,
                   exclude: Path | None = None) -> tuple[list[Source], list[PipelineError]]:
    """Files, folders (searched recursively for `glob`; hidden files and anything under `exclude`, the output
    folder, skipped) and `-`, each input once, in order."""
    sources: list[Source] = []
    errors: list[PipelineError] = []
    seen: set[str] = set()

    def add(source: Source) -> None:
        if source.key not in seen:
            seen.add(source.key)
            sources.append(source)

    for arg in args:
        path = Path(arg)
        if arg != STDIN and path.is_dir():
            skip = os.path.realpath(exclude) + os.sep if exclude is not None else None
            found = sorted(p for p in path.rglob(glob) if p.is_file() and not _hidden(p, path)
                           and not (skip and os.path.realpath(p).startswith(skip)))
            if not found:
                errors.append(InputError(f"{arg}: no files matching {glob!r} in this folder or below; pass --glob "
                                         "to choose other names (e.g. --glob '*.TXT')."))
            for p in found:
                add(Source(str(p)))
        else:
            add(Source(arg))  # a missing or unreadable path fails when it is read, with its own message
    return sources, errors


def read_manifest(out_dir: Path) -> dict:
    """The manifest of an output folder; {} when there is none or it cannot be used."""
    path = out_dir / MANIFEST
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("%s cannot be read (%s); that folder's outputs will be redone", path, exc)
        return {}
    if not isinstance(doc, dict) or doc.get("manifest_version") != MANIFEST_VERSION:
        return {}
    return doc


def _owner(out_dir: Path) -> str:
    """The input an output folder belongs to (its key); "" for a folder that holds nothing yet."""
    manifest = read_manifest(out_dir)
    if manifest:
        return str(manifest.get("source", {}).get("key", "?"))
    index = out_dir / "index.json"
    if index.is_file():
        # A folder written before manifests existed: its index.json names the input.
        try:
            path = json.loads(index.read_text(encoding="utf-8"))["source"]["path"]
        except (OSError, ValueError, KeyError, TypeError):
            return "?"
        return Source(str(path)).key if path != "<stdin>" else STDIN
    if any(not p.name.startswith(".") for p in out_dir.iterdir()):
        return "?"  # someone else's files: never write over them
    return ""


def claim_out_dir(out_root: Path, source: Source, claimed: set[Path]) -> Path:
    """OUT/<stem>, or OUT/<stem>-2, -3, … when that folder belongs to another input: outputs never collide."""
    for n in itertools.count(1):
        candidate = out_root / (source.stem if n == 1 else f"{source.stem}-{n}")
        if candidate in claimed or (candidate.exists() and not candidate.is_dir()):
            continue
        if not candidate.exists() or _owner(candidate) in ("", source.key):
            claimed.add(candidate)
            return candidate
    raise AssertionError("unreachable")


def run_settings(translator: Translator) -> dict:
    """Everything besides the input that decides the output; a change makes a re-run redo finished inputs."""
    settings = {"pipeline": __version__, "model": model_info(translator),
                "fingerprint": str(getattr(translator, "fingerprint", ""))}
    glossary = getattr(translator, "glossary", None)
    if glossary is not None:  # only then, so that runs without one keep their manifests
        settings["glossary"] = glossary.fingerprint()
    return settings


def _settings_key(settings: dict) -> str:
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()


def new_manifest(source: Source, decoded: Decoded, settings: dict) -> dict:
    """An input's manifest before any part is done (`complete` false, no parts)."""
    return {
        "manifest_version": MANIFEST_VERSION,
        "source": {"path": source.name, "key": source.key, "sha256": decoded.sha256, "encoding": decoded.encoding,
                   "bytes": decoded.size},
        "settings": settings,
        "settings_key": _settings_key(settings),
        "complete": False,
        "parts": [],
        "files": [],
    }


def part_place(n: int, spans: list[tuple[int, int]]) -> tuple[str, dict | None]:
    """Part n's folder relative to the input's (`.` for a one-part input) and its index.json `source.part`."""
    if len(spans) == 1:
        return ".", None
    return f"part-{n:03d}", {"number": n, "of": len(spans), "span": list(spans[n - 1])}


def _files_exist(out_dir: Path, files: list[str]) -> bool:
    return bool(files) and all((out_dir / f).is_file() for f in files)


def _cache_hits(translator: Translator) -> int | None:
    """Running count of translation-memory hits (`translator.memory.hits`); None without a memory."""
    hits = getattr(getattr(translator, "memory", None), "hits", None)
    return hits if isinstance(hits, int) else None


def _result(source: Source, out_dir: Path, manifest: dict, status: str, seconds: float,
            reused: set[str] = frozenset()) -> FileResult:
    """A FileResult from a manifest; parts in `reused` (or all, when skipped) count as not redone."""
    parts = manifest["parts"]
    fresh = [p for p in parts if p["dir"] not in reused] if status == "done" else []
    flags: Counter = Counter()
    for p in parts:
        flags.update(p["flags"])
    return FileResult(
        Path(source.arg), out_dir,
        articles=sum(p["articles"] for p in parts),
        sentences=sum(p["sentences"] for p in parts),
        model_inputs=sum(p["model_inputs"] for p in fresh),
        seconds=seconds,
        written=[out_dir / f for p in fresh for f in p["files"]],
        name=source.name, status=status, parts=len(parts),
        parts_reused=len(parts) - len(fresh) if status == "done" else 0,
        flags=dict(sorted(flags.items())),
    )


def _run_part(page: Page, translator: Translator, reporter: Reporter, out_dir: Path, offset: int,
              part: dict | None) -> tuple[list[Path], dict]:
    """Translate, summarize and write one part; returns the files written and the part's counts."""
    t0 = time.perf_counter()
    reporter.part_built(len(page.articles), distinct_model_inputs(page), len(page.text))
    calls = translate_page(page, _Sliced(translator, reporter.translated))
    t1 = time.perf_counter()
    finish_part(page, offset)
    timing = {"translate_s": round(t1 - t0, 3)}
    written = write_outputs(page, out_dir, model_info(translator), timing, part)
    return written, part_counts(page, calls)


def finish_part(page: Page, offset: int) -> Page:
    """What follows translation: summaries, then spans moved by the part's offset into the whole input."""
    summarize_page(page)
    shift_spans(page, offset)
    return page


def part_counts(page: Page, model_inputs: int) -> dict:
    """A finished part's counts, as its manifest record keeps them."""
    flags = Counter(f for unit in page.units() for f in unit.flags)
    return {"articles": len(page.articles), "sentences": sum(1 for a in page.articles for _ in a.sentences()),
            "model_inputs": model_inputs, "flags": dict(sorted(flags.items()))}


def run_source(source: Source, out_root: Path, translator: Translator, *, resume: bool = True,
               reporter: Reporter | None = None, claimed: set[Path] | None = None) -> FileResult:
    """The whole pipeline for one input; raises a PipelineError subclass for bad input.

    With `resume`, an input finished by an earlier run with the same input bytes and settings is skipped, and
    the parts an interrupted run finished are kept.
    """
    reporter = reporter or Reporter()
    t0 = time.perf_counter()
    decoded = source.read()
    if decoded.controls:
        log.info("%s: %d control characters (NUL, …) read as spaces", source.name, decoded.controls)
    out_dir = claim_out_dir(out_root, source, claimed if claimed is not None else set())
    settings = run_settings(translator)
    key = _settings_key(settings)
    old = read_manifest(out_dir) if out_dir.is_dir() else {}
    same_input = (resume and old.get("settings_key") == key
                  and old.get("source", {}).get("sha256") == decoded.sha256)
    if same_input and old.get("complete") and _files_exist(out_dir, old.get("files", [])):
        log.info("%s: finished by an earlier run and unchanged; skipped (--force redoes it)", source.name)
        result = _result(source, out_dir, old, "skipped", time.perf_counter() - t0)
        reporter.file_finished(result)
        return result
    done_parts = {p["dir"]: p for p in old.get("parts", [])} if same_input else {}

    spans = page_spans(decoded.text)
    multi = len(spans) > 1
    manifest = new_manifest(source, decoded, settings)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for folder in [out_dir, *out_dir.glob("part-*")]:
            remove_stale_temp_files(folder)
        write_atomic(out_dir / MANIFEST, dumps(manifest))  # claims the folder before any output is written
        log.debug("%s → %s (%d part%s)", source.name, out_dir, len(spans), "s" * multi)
        reporter.file_started(source.name, len(decoded.text), len(spans))
        hits0 = _cache_hits(translator)
        reused: set[str] = set()
        for n, (start, end) in enumerate(spans, start=1):
            rel, part = part_place(n, spans)
            prev = done_parts.get(rel)
            if prev and prev.get("span") == [start, end] and _files_exist(out_dir, prev.get("files", [])):
                record = prev
                reused.add(rel)
            else:
                tp = time.perf_counter()
                page = build_page(decoded.text[start:end], source.name, decoded.sha256, decoded.encoding)
                written, counts = _run_part(page, translator, reporter, out_dir / rel, start, part)
                del page  # so that two parts' document trees are never alive at once
                record = {"dir": rel, "span": [start, end], **counts,
                          "files": [p.relative_to(out_dir).as_posix() for p in written]}
                if multi:
                    log.info("%s part %d/%d: %d articles, %d model inputs, %.1fs", source.name, n, len(spans),
                             counts["articles"], counts["model_inputs"], time.perf_counter() - tp)
            manifest["parts"].append(record)
            manifest["files"].extend(record["files"])
            write_atomic(out_dir / MANIFEST, dumps(manifest))
            reporter.part_finished(record["articles"], record["model_inputs"], end - start, reused=rel in reused)
        _remove_stale_outputs(out_dir, old.get("files", []), manifest["files"])
        manifest["complete"] = True
        write_atomic(out_dir / MANIFEST, dumps(manifest))
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot write the outputs ({exc.strerror or exc}); check that folder's "
                          "permissions and the free disk space.") from exc
    result = _result(source, out_dir, manifest, "done", time.perf_counter() - t0, reused)
    hits1 = _cache_hits(translator)
    if hits0 is not None and hits1 is not None:
        result.cache_hits = hits1 - hits0
    reporter.file_finished(result)
    return result


def _remove_stale_outputs(out_dir: Path, old_files: list[str], new_files: list[str]) -> None:
    """Delete outputs of an earlier run that this one did not write (the page lost articles or parts)."""
    keep = set(new_files)
    root = out_dir.resolve()
    for rel in old_files:
        path = (out_dir / rel).resolve()
        if rel in keep or root not in path.parents:
            continue
        path.unlink(missing_ok=True)
        if path.parent != root and not any(path.parent.iterdir()):
            path.parent.rmdir()


def run_file(path: Path, out_root: Path, translator: Translator, *, resume: bool = False,
             reporter: Reporter | None = None) -> FileResult:
    """The whole pipeline for one input file (redone unless `resume`); raises a PipelineError for bad input."""
    return run_source(Source(str(path)), out_root, translator, resume=resume, reporter=reporter)


class _Lazy:
    """The translator, loaded when the first good input needs it: a batch of bad inputs reports those, not a
    missing model."""

    def __init__(self, load: Callable[[], Translator]) -> None:
        self._load = load
        self._inner: Translator | None = None
        self.error: PipelineError | None = None

    def __getattr__(self, name: str):
        if self._inner is None:
            try:
                self._inner = self._load()
            except PipelineError as exc:
                self.error = exc
                raise
        return getattr(self._inner, name)


@dataclass
class BatchResult:
    results: list[FileResult]
    seconds: float

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def exit_code(self) -> int:
        """0 when every input produced its outputs, 1 when some failed (see README, Exit codes)."""
        return 1 if self.failed else 0


def _failed(name: str, error: str) -> FileResult:
    return FileResult(Path(name), Path(), name=name, status="failed", parts=0, error=error)


def run_inputs(args: list[str], out_root: Path, load_translator: Callable[[], Translator], *,
               glob: str = DEFAULT_GLOB, resume: bool = True, reporter: Reporter | None = None) -> BatchResult:
    """Run every input named by `args`; bad inputs fail alone. The model is loaded when a good input needs it."""
    reporter = reporter or Reporter()
    t0 = time.perf_counter()
    sources, errors = resolve_inputs(args, glob, exclude=out_root)
    results: list[FileResult] = []
    reporter.batch_started(len(sources) + len(errors))
    for err in errors:
        results.append(_failed(str(err).split(":", 1)[0], str(err)))
        reporter.file_finished(results[-1])
    if not sources:
        return BatchResult(results, time.perf_counter() - t0)
    translator = _Lazy(load_translator)
    claimed: set[Path] = set()
    for source in sources:
        try:
            result = run_source(source, out_root, translator, resume=resume, reporter=reporter, claimed=claimed)
        except PipelineError as exc:
            if translator.error is not None:
                raise  # no model, no run: one error for the batch, not one per input
            result = _failed(source.name, str(exc))
            reporter.file_finished(result)
        except MemoryError:
            raise
        except Exception as exc:  # noqa: BLE001 - a bug on one odd input must not cost the rest of the batch
            log.debug("internal error on %s", source.name, exc_info=True)
            result = _failed(source.name, f"{source.name}: internal error ({type(exc).__name__}: {exc}); please "
                                          "report it with this input (-vv shows the traceback).")
            reporter.file_finished(result)
        results.append(result)
    return BatchResult(results, time.perf_counter() - t0)
