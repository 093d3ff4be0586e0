"""What a batch run shows: progress bars on a terminal, one line per input otherwise, and a summary table."""

from __future__ import annotations

import logging
import sys
from typing import Callable, TextIO

from rich.console import Console
from rich.logging import RichHandler
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn
from rich.table import Table
from rich.text import Text

from .run import BatchResult, FileResult, Reporter
from .vocabulary import item_counts

# Past this many inputs the summary lists only the failed ones (and the totals): a table of 5,000 finished
# files tells nothing a total does not.
MAX_SUMMARY_ROWS = 30
# Input names are shortened to this many characters in the progress display (full names go in the summary).
MAX_NAME_CHARS = 40


def stderr_console() -> Console:
    console = Console(stderr=True, highlight=False)
    if not console.is_terminal:
        # Logs and CI: no terminal width to respect, and a wider table keeps each input on one row.
        console = Console(stderr=True, highlight=False, width=max(console.width, 120))
    return console


def setup_logging(verbosity: int, quiet: bool, console: Console) -> None:
    """-v: what the run does (INFO); -vv: details (DEBUG); --quiet: errors only; else warnings."""
    level = {0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    if quiet and not verbosity:
        level = logging.ERROR
    logger = logging.getLogger("pipeline")
    logger.setLevel(level)
    for old in list(logger.handlers):
        logger.removeHandler(old)
    if console.is_terminal:
        handler: logging.Handler = RichHandler(console=console, show_path=False, markup=False)
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%H:%M:%S"))
    logger.addHandler(handler)
    logger.propagate = False


def done_line(result: FileResult) -> str:
    """The one line an input gets when it ends (an `error: …` line when it failed)."""
    if result.status == "failed":
        return f"error: {result.error}"
    target = result.out_dir / "index.html" if result.parts == 1 else result.out_dir
    if result.status == "skipped":
        return f"{result.name}: finished by an earlier run and unchanged, skipped (--force redoes it) → {target}"
    parts = f", {result.parts} parts" + (f" ({result.parts_reused} kept from an earlier run)"
                                         if result.parts_reused else "") if result.parts > 1 else ""
    flagged = sum(result.flags.values())
    items = item_counts(result.articles - result.photos, result.photos)
    return (f"{result.name}: {items}, {result.sentences} sentences, {result.model_inputs} model "
            f"inputs{parts}, {flagged} flagged, {result.seconds:.1f}s → {target}")


class LineReporter(Reporter):
    """No progress bars: errors always, one line per finished input unless quiet."""

    def __init__(self, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.quiet = quiet
        self.stream = stream
        self.results: list[FileResult] = []

    def __enter__(self) -> LineReporter:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def _print(self, line: str) -> None:
        stream = self.stream or sys.stderr
        stream.write(line + "\n")
        stream.flush()

    def file_finished(self, result: FileResult) -> None:
        self.results.append(result)
        if result.status == "failed" or not self.quiet:
            self._print(done_line(result))


def _rate(task: Task) -> float | None:
    """Items per second; rich's own estimate needs two updates in its window, so until then the mean since start."""
    speed = task.finished_speed or task.speed
    if not speed and task.completed and task.elapsed:
        speed = task.completed / task.elapsed
    return speed or None


class _Rate(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = _rate(task)
        return Text(f"{speed:6.1f}/s" if speed else "     –/s", style="progress.data.speed")


class _TimeLeft(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = _rate(task)
        if task.finished:
            return Text("0:00:00", style="progress.remaining")
        if not speed or task.total is None:
            return Text("-:--:--", style="progress.remaining")
        seconds = max(0, round((task.total - task.completed) / speed))
        return Text(f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}", style="progress.remaining")


class RichReporter(LineReporter):
    """Bars for files, articles and sentences (the current input's), with rate and time left, on a terminal.

    A large input's totals are known part by part; until the last part is built they are extrapolated from the
    characters built so far, so the time left covers the whole input. Every event draws a frame itself: the
    refresh thread alone can go without a turn while the model keeps every core busy.
    """

    def __init__(self, console: Console, get_time: Callable[[], float] | None = None) -> None:
        super().__init__()
        self.console = console
        self.progress = Progress(
            TextColumn("{task.description:<9}"), BarColumn(), MofNCompleteColumn(), _Rate(), _TimeLeft(),
            TextColumn("{task.fields[note]}", style="dim"), console=console, transient=True,
            get_time=get_time,
        )
        self.files = self.progress.add_task("files", total=None, note="")
        self.articles = self.progress.add_task("items", total=None, note="")
        self.sentences = self.progress.add_task("sentences", total=None, note="")
        self._chars = self._built_chars = 0
        self._built = [0, 0]  # articles, sentences of the parts built so far
        self._part_left = 0  # model inputs of the current part not yet counted

    def __enter__(self) -> RichReporter:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def _print(self, line: str) -> None:
        self.console.print(line, markup=False, highlight=False, soft_wrap=True)

    def batch_started(self, inputs: int) -> None:
        self.progress.update(self.files, total=inputs)

    def file_started(self, name: str, chars: int, parts: int) -> None:
        shown = name if len(name) <= MAX_NAME_CHARS else "…" + name[-MAX_NAME_CHARS + 1 :]
        note = f"{shown} ({parts} parts)" if parts > 1 else shown
        self.progress.update(self.files, note=note)
        self.progress.reset(self.articles, total=None, note="")
        self.progress.reset(self.sentences, total=None, note="")
        self._chars, self._built_chars, self._built = chars, 0, [0, 0]

    def _totals(self) -> None:
        scale = self._chars / self._built_chars if self._built_chars else 1.0
        approx = "≈ whole input" if scale > 1.0 else ""
        self.progress.update(self.articles, total=round(self._built[0] * scale), note=approx)
        self.progress.update(self.sentences, total=round(self._built[1] * scale), note=approx)

    def part_built(self, articles: int, model_inputs: int, chars: int) -> None:
        self._part_left = model_inputs
        self._built_chars += chars
        self._built[0] += articles
        self._built[1] += model_inputs
        self._totals()
        self.progress.refresh()

    def translated(self, model_inputs: int) -> None:
        # Guards may retry an input and long ones go in pieces: never count past the part's inputs.
        step = min(model_inputs, self._part_left)
        self._part_left -= step
        self.progress.advance(self.sentences, step)
        self.progress.refresh()

    def part_finished(self, articles: int, model_inputs: int, chars: int, reused: bool) -> None:
        if reused:
            self.part_built(articles, model_inputs, chars)
        # What the translation memory answered never reached the model: count it done now.
        self.progress.advance(self.sentences, self._part_left)
        self._part_left = 0
        self.progress.advance(self.articles, articles)
        self.progress.refresh()

    def file_finished(self, result: FileResult) -> None:
        super().file_finished(result)
        self.progress.advance(self.files, 1)


def summary_table(batch: BatchResult | list[FileResult], seconds: float | None = None) -> Table:
    """One row per input (only failed ones past MAX_SUMMARY_ROWS) and a total row."""
    results = batch.results if isinstance(batch, BatchResult) else batch
    seconds = batch.seconds if isinstance(batch, BatchResult) else (seconds or 0.0)
    table = Table(title="pipeline run", title_justify="left", show_footer=True)
    rows = results if len(results) <= MAX_SUMMARY_ROWS else [r for r in results if r.status == "failed"]
    hits = [r.cache_hits for r in results if r.cache_hits is not None]
    done = [r for r in results if r.status != "failed"]
    flags_total = sum(sum(r.flags.values()) for r in done)
    total_label = f"{len(done)} of {len(results)} ok" + (f" ({len(results) - len(rows)} ok not listed)"
                                                           if len(rows) < len(results) else "")
    table.add_column("input", footer=total_label, overflow="fold")
    table.add_column("status", footer="")
    table.add_column("articles", justify="right", footer=str(sum(r.articles - r.photos for r in done)))
    table.add_column("photos", justify="right", footer=str(sum(r.photos for r in done)))
    table.add_column("sentences", justify="right", footer=str(sum(r.sentences for r in done)))
    table.add_column("flags", justify="right", footer=str(flags_total))
    table.add_column("cache hits", justify="right", footer=str(sum(hits)) if hits else "–")
    table.add_column("time", justify="right", footer=f"{seconds:.1f}s")
    for r in rows:
        status = r.status if r.parts_reused == 0 else f"resumed ({r.parts_reused}/{r.parts} parts kept)"
        if r.status == "failed":
            table.add_row(r.name, Text("failed", style="red"), "", "", "", "", "", "")
            continue
        flags = ", ".join(f"{k} {v}" for k, v in r.flags.items()) or "0"
        table.add_row(r.name, status, str(r.articles - r.photos), str(r.photos), str(r.sentences), flags,
                      "–" if r.cache_hits is None else str(r.cache_hits), f"{r.seconds:.1f}s")
    return table
