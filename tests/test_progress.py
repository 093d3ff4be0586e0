"""The progress display, driven event by event with a fake clock: what a user sees at each moment of a run."""

from __future__ import annotations

import io
import re

from rich.console import Console

from pipeline.progress import RichReporter


def _frames(console: Console) -> list[str]:
    """The text of every line drawn so far, escape codes removed."""
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", console.file.getvalue())
    return [line.strip() for line in re.split(r"[\r\n]", text) if line.strip()]


def _bar(frames: list[str], label: str) -> str:
    return [f for f in frames if f.startswith(label)][-1]


def test_counts_rate_and_time_left_follow_the_events():
    clock = [0.0]
    console = Console(file=io.StringIO(), force_terminal=True, width=160, color_system=None)
    reporter = RichReporter(console, get_time=lambda: clock[0])
    reporter.progress.live.auto_refresh = False  # frames come from the events alone
    with reporter:
        reporter.batch_started(1)
        reporter.file_started("page.txt", chars=1000, parts=2)
        reporter.part_built(articles=2, model_inputs=40, chars=500)
        # Half of the input built: totals are extrapolated to the whole input.
        assert re.search(r"items .* 0/4 .*≈ whole input", _bar(_frames(console), "items"))
        clock[0] = 4.0
        reporter.translated(20)
        sentences = _bar(_frames(console), "sentences")
        # 20 of 80 after 4 s: 5 per second, 60 left → 12 s.
        assert re.search(r"20/80 +5\.0/s 0:00:12", sentences), sentences
        clock[0] = 6.0
        reporter.translated(25)  # a retried input is never counted past the part's 40
        reporter.part_finished(articles=2, model_inputs=40, chars=500, reused=False)
        assert re.search(r" 40/80 ", _bar(_frames(console), "sentences"))
        assert re.search(r" 2/4 +0\.3/s", _bar(_frames(console), "items"))
        reporter.part_built(articles=3, model_inputs=30, chars=500)  # the last part: exact totals now
        frames = _frames(console)
        assert re.search(r" 2/5 ", _bar(frames, "items")) and "≈" not in _bar(frames, "items")
        assert re.search(r" 40/70 ", _bar(frames, "sentences"))


def test_a_part_answered_by_the_translation_memory_counts_as_done():
    console = Console(file=io.StringIO(), force_terminal=True, width=160, color_system=None)
    reporter = RichReporter(console, get_time=lambda: 1.0)
    reporter.progress.live.auto_refresh = False
    with reporter:
        reporter.batch_started(2)
        reporter.file_started("page.txt", chars=500, parts=1)
        reporter.part_finished(articles=3, model_inputs=12, chars=500, reused=True)
        frames = _frames(console)
    assert re.search(r" 12/12 ", _bar(frames, "sentences")) and re.search(r" 3/3 ", _bar(frames, "items"))
