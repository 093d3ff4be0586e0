"""The local engine: runs the stages (`pipeline.stages`) for each input of a batch, in this process.

A batch (`run_inputs`) takes files, folders and standard input; one input's failure never stops the others.
Every file is written atomically, and each output folder keeps a manifest (written after each part, marked
complete last), so a re-run skips finished inputs and resumes an interrupted one at the part where it stopped.

Large inputs are cut into parts by `inputs.page_spans`; parts are built, translated and written one at a time
into `part-NNN/` folders, so memory holds the decoded input plus one part's document tree, however large the input.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Callable

from .errors import InputError, PipelineError
from .inputs import page_spans
from .stages import (STDIN_STEM, BatchResult, FileResult, Reporter, Source, add_hits, build_page,
                     distinct_model_inputs, failed_result, failure_message, file_result, finish_input, load_page,
                     model_info, open_input, part_place, process, record_part, run_settings, summarize_page,
                     write_outputs, write_part)
from .storage import MANIFEST, STDIN, OutputStore, remove_stale_temp_files, write_atomic
from .translate import Translator

__all__ = ["DEFAULT_GLOB", "MANIFEST", "STDIN", "STDIN_STEM", "BatchResult", "FileResult", "Reporter", "Source",
           "build_page", "distinct_model_inputs", "load_page", "remove_stale_temp_files", "resolve_inputs",
           "run_file", "run_inputs", "run_source", "summarize_page", "write_atomic", "write_outputs"]

log = logging.getLogger(__name__)

DEFAULT_GLOB = "*.txt"


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
                                         "to choose other names (e.g. --glob '*.TXT').", input=arg))
            for p in found:
                add(Source(str(p)))
        else:
            add(Source(arg))  # a missing or unreadable path fails when it is read, with its own message
    return sources, errors




def run_source(source: Source, store: OutputStore, translator: Translator | Callable[[], Translator], *,
               resume: bool = True, reporter: Reporter | None = None, claimed: set[str] | None = None) -> FileResult:
    """The whole pipeline for one input; raises a PipelineError subclass for bad input. `translator` may be a
    function that loads it, called once the input has been read."""
    reporter = reporter or Reporter()
    t0 = time.perf_counter()
    decoded = source.read()
    if decoded.controls:
        log.info("%s: %d control characters (NUL, …) read as spaces", source.name, decoded.controls)
    if not isinstance(translator, Translator):
        translator = translator()
    folder = store.claim(source.stem, source.key, claimed if claimed is not None else set())
    out_dir = store.display(folder)
    opened = open_input(store, folder, source, decoded, run_settings(translator), resume)
    if opened.skip:
        result = file_result(source, out_dir, opened.manifest, "skipped", time.perf_counter() - t0)
        reporter.file_finished(result)
        return result
    spans = page_spans(decoded.text)
    log.debug("%s → %s (%d part%s)", source.name, out_dir, len(spans), "s" * (len(spans) > 1))
    reporter.file_started(source.name, len(decoded.text), len(spans))
    reused: set[str] = set()
    hits: int | None = None
    model = model_info(translator)
    for n, (start, end) in enumerate(spans, start=1):
        rel, part = part_place(n, spans)
        record = opened.reusable(store, rel, (start, end))
        if record is not None:
            reused.add(rel)
        else:
            tp = time.perf_counter()
            page = build_page(decoded.text[start:end], source.name, decoded.sha256, decoded.encoding)
            reporter.part_built(len(page.articles), distinct_model_inputs(page), len(page.text))
            processed = process(page, translator, reporter.translated, offset=start)
            hits = add_hits(hits, processed.translation.cache_hits)
            record = write_part(store, folder, rel, (start, end), processed, model, part)
            del page, processed  # so that two parts' document trees are never alive at once
            if len(spans) > 1:
                log.info("%s part %d/%d: %d items, %d model inputs, %.1fs", source.name, n, len(spans),
                         record.articles, record.model_inputs, time.perf_counter() - tp)
        record_part(store, opened, record)
        reporter.part_finished(record.articles, record.model_inputs, end - start, reused=rel in reused)
    finish_input(store, opened)
    if hits is None and translator.cache_hits is not None:
        hits = 0  # every part was kept from an earlier run: the memory was not asked
    done = file_result(source, out_dir, opened.manifest, "done", time.perf_counter() - t0, reused, hits)
    reporter.file_finished(done)
    return done


def run_file(path: Path, out_root: Path, translator: Translator, *, resume: bool = False,
             reporter: Reporter | None = None) -> FileResult:
    """The whole pipeline for one input file (redone unless `resume`); raises a PipelineError for bad input."""
    return run_source(Source(str(path)), OutputStore(str(out_root)), translator, resume=resume, reporter=reporter)


class _Lazy:
    """The translator, loaded when the first good input needs it: a batch of bad inputs reports those, not a
    missing model."""

    def __init__(self, load: Callable[[], Translator]) -> None:
        self._load = load
        self._inner: Translator | None = None
        self.error: PipelineError | None = None

    def __call__(self) -> Translator:
        if self._inner is None:
            try:
                self._inner = self._load()
            except PipelineError as exc:
                self.error = exc
                raise
        return self._inner


def run_inputs(args: list[str], out_root: Path | str, load_translator: Callable[[], Translator], *,
               glob: str = DEFAULT_GLOB, resume: bool = True, reporter: Reporter | None = None) -> BatchResult:
    """Run every input named by `args`; bad inputs fail alone. The model is loaded when a good input needs it."""
    reporter = reporter or Reporter()
    t0 = time.perf_counter()
    store = OutputStore(str(out_root))
    sources, errors = resolve_inputs(args, glob, exclude=Path(str(out_root)) if store.local else None)
    results: list[FileResult] = []
    reporter.batch_started(len(sources) + len(errors))
    for err in errors:
        results.append(failed_result(err.input or "?", str(err)))
        reporter.file_finished(results[-1])
    if not sources:
        return BatchResult(results, time.perf_counter() - t0)
    lazy = _Lazy(load_translator)
    claimed: set[str] = set()
    with store.locked():
        for source in sources:
            try:
                result = run_source(source, store, lazy, resume=resume, reporter=reporter, claimed=claimed)
            except PipelineError as exc:
                if lazy.error is not None:
                    raise  # no model, no run: one error for the batch, not one per input
                result = failed_result(source.name, failure_message(source.name, exc))
                reporter.file_finished(result)
            except MemoryError:
                raise
            except Exception as exc:  # noqa: BLE001 - a bug on one odd input must not cost the rest of the batch
                result = failed_result(source.name, failure_message(source.name, exc))
                reporter.file_finished(result)
            results.append(result)
    return BatchResult(results, time.perf_counter() - t0)
