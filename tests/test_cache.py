"""The translation memory: keys, a second run without the model, corrupt files, two processes at once."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from pipeline.translate.base import Decoding, TranslationResult
from pipeline.translate.cache import ENV_VAR, TranslationMemory, cache_key, default_cache_path

BASE = ("sha256:aaaa", "transformers", Decoding(beams=6), "锂电池新能源是枣庄首位发展的产业。")


@pytest.mark.parametrize(
    "changed",
    [
        ("sha256:bbbb", *BASE[1:]),
        (BASE[0], "ctranslate2", *BASE[2:]),
        (BASE[0], BASE[1], Decoding(beams=1), BASE[3]),
        (BASE[0], BASE[1], Decoding(beams=6, max_length_ratio=2.0), BASE[3]),
        (*BASE[:3], "锂电池新能源是枣庄首位发展的产业!"),
    ],
)
def test_every_key_part_matters(changed):
    assert cache_key(*changed) != cache_key(*BASE)


@pytest.mark.parametrize("variant", ["锂电池新能源是枣庄首位发展的产业。 ", " 锂电池新能源是枣庄首位发展的产业。"])
def test_the_source_is_normalised(variant):
    assert cache_key(*BASE[:3], variant) == cache_key(*BASE)


def test_put_then_get(tmp_path):
    mem = TranslationMemory(tmp_path / "tm.sqlite3")
    key = cache_key(*BASE)
    assert mem.get_many([key]) == {}
    mem.put_many([(key, BASE[3], TranslationResult("Lithium.", 12, 4, ["retried"]))], "m", "transformers", BASE[2])
    again = TranslationMemory(tmp_path / "tm.sqlite3")
    (got,) = again.get_many([key, "other"]).values()
    assert (got.text, got.source_tokens, got.target_tokens, got.notes) == ("Lithium.", 12, 4, ["retried"])
    assert (again.hits, again.misses) == (1, 1) and len(again) == 1


def test_a_corrupt_file_is_set_aside_and_rebuilt_with_a_warning(tmp_path):
    path = tmp_path / "tm.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    warnings: list[str] = []
    mem = TranslationMemory(path, warn=warnings.append)
    assert mem.enabled and len(warnings) == 1 and "moved it to" in warnings[0]
    aside = list(tmp_path.glob("tm.sqlite3.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"this is not a database")
    key = cache_key(*BASE)
    mem.put_many([(key, BASE[3], TranslationResult("x", 1, 1))], "m", "transformers", BASE[2])
    assert key in TranslationMemory(path).get_many([key])


def test_an_unusable_location_means_no_cache_not_a_crash(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    warnings: list[str] = []
    mem = TranslationMemory(blocker / "tm.sqlite3", warn=warnings.append)
    assert not mem.enabled and "translating without it" in warnings[0]
    assert mem.get_many([cache_key(*BASE)]) == {}
    mem.put_many([(cache_key(*BASE), "x", TranslationResult("x", 1, 1))], "m", "b", BASE[2])  # no error


def _writer(path: str, worker: int, rounds: int, queue) -> None:
    warnings: list[str] = []
    mem = TranslationMemory(Path(path), warn=warnings.append)
    for r in range(rounds):
        entries = [(cache_key("fp", "b", Decoding(), f"{worker}-{r}-{i}"), f"{worker}-{r}-{i}",
                    TranslationResult(f"en {worker}-{r}-{i}", 3, 4)) for i in range(10)]
        mem.put_many(entries, "m", "b", Decoding())
        mem.get_many([k for k, _, _ in entries])
    queue.put(warnings)


def test_two_processes_can_share_one_cache(tmp_path):
    path = tmp_path / "tm.sqlite3"
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(str(path), w, 30, queue)) for w in range(2)]
    for p in procs:
        p.start()
    results = [queue.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=120)
        assert p.exitcode == 0
    assert results == [[], []]
    assert len(TranslationMemory(path)) == 2 * 30 * 10
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def _locked_file(path: Path) -> sqlite3.Connection:
    """A cache file (rollback journal) that another connection holds with an exclusive lock."""
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    return holder


def test_a_cache_another_run_holds_is_left_in_place_not_set_aside_as_corrupt(tmp_path):
    # CI saw two processes open one new cache together: one read SQLite's `database is locked` as corruption and
    # moved the other's live file aside
    path = tmp_path / "tm.sqlite3"
    holder = _locked_file(path)
    warnings: list[str] = []
    mem = TranslationMemory(path, warn=warnings.append, busy_timeout_s=0.3)
    holder.rollback()
    assert not mem.enabled and "translating without it" in warnings[0] and "locked" in warnings[0]
    assert path.exists() and not list(tmp_path.glob("*.corrupt-*"))


def test_a_cache_held_for_a_moment_is_opened_once_it_is_free(tmp_path):
    import threading

    path = tmp_path / "tm.sqlite3"
    holder = _locked_file(path)
    threading.Timer(0.3, holder.rollback).start()
    warnings: list[str] = []
    mem = TranslationMemory(path, warn=warnings.append, busy_timeout_s=10)
    assert mem.enabled and warnings == []
    assert not list(tmp_path.glob("*.corrupt-*"))


def test_default_location(monkeypatch, tmp_path):
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_path() == tmp_path / "xdg" / "zh-news-pipeline" / "tm.sqlite3"
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "mine.sqlite3"))
    assert default_cache_path() == tmp_path / "mine.sqlite3"


def test_a_second_run_of_a_page_calls_no_model(memorizing_model, tmp_path):
    from pipeline.run import build_page
    from pipeline.testmodel import parallel_set
    from pipeline.translate import CachedTranslator, PageTranslation, load_translator, translate_page

    # A page of the seed's own headlines and sentences (the ones the tiny model knows, so it is quick).
    text = "\n".join(zh for zh, _ in parallel_set()) + "\n"
    cache = tmp_path / "tm.sqlite3"
    tr = load_translator(str(memorizing_model), device="cpu", backend="transformers", cache=cache,
                         models_dir=tmp_path)
    first = build_page(text)
    sent_to_model = translate_page(first, tr).model_inputs
    assert sent_to_model >= 20 and tr.model_inputs == sent_to_model
    # A fresh process's view: a new translator (its model not even loaded) on the same cache file.
    tr2 = load_translator(str(memorizing_model), device="cpu", backend="transformers", cache=cache,
                          models_dir=tmp_path)
    second = build_page(text)
    assert translate_page(second, tr2) == PageTranslation(0, sent_to_model)
    assert isinstance(tr2, CachedTranslator) and tr2.model_inputs == 0 and tr2.inner._model is None
    assert tr2.cache_hits == sent_to_model
    assert [(u.id, u.en, u.flags, u.flag_details) for u in second.units()] == \
           [(u.id, u.en, u.flags, u.flag_details) for u in first.units()]
    english = dict(parallel_set())
    assert sum(u.en == english.get(u.zh) for u in second.units()) >= 20
    # Other decoding parameters are other translations.
    line = parallel_set()[3][0]
    assert translate_page(build_page(line), tr2).model_inputs == 0
    tr2.decoding = tr2.decoding.with_(beams=1)
    assert translate_page(build_page(line), tr2).model_inputs == 1


def test_the_memory_can_be_used_from_another_thread_than_the_one_that_opened_it(tmp_path):
    """A Ray translator actor opens the memory in its constructor and translates in a worker thread."""
    import threading

    memory = TranslationMemory(tmp_path / "tm.sqlite3")
    found: dict = {}
    failures: list = []

    def work() -> None:
        try:
            memory.put_many([("k1", "你好。", TranslationResult("Hello.", 3, 2))], "m", "transformers", Decoding())
            found.update(memory.get_many(["k1", "k2"]))
        except Exception as exc:  # noqa: BLE001 - the test reports whatever the thread raised
            failures.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert failures == [] and memory.enabled
    assert found["k1"].text == "Hello." and "k2" not in found
    assert len(memory) == 1
