"""Batch runs under odd inputs: random bytes and text lose nothing and never crash; bad inputs fail alone with one
line each; outputs never collide; finished work is skipped; progress, logs, summary and exit codes."""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import ROOT, SEED
from pipeline.cli import app
from pipeline.document import coverage_errors
from pipeline.errors import InputError
from pipeline.inputs import clean_text, decode_bytes, page_spans
from pipeline.render import dumps, index_items
from pipeline.schemas import validate
from pipeline.run import MANIFEST, Reporter, build_page, remove_stale_temp_files, run_inputs, summarize_page

SEED_TEXT = SEED.read_text(encoding="utf-8")
# The first three articles of the seed page: a second, smaller page.
SHORT_PAGE = SEED_TEXT[: SEED_TEXT.index("底阁镇创新思路")]

# ------------------------------------------------------------------------------ hypothesis: decode + build_page

HAN = "枣庄市新能源项目开工投资亿元本报讯记者张环泽报道发展产业的是在了和有中国人民"
PUNCT = "。！？，、：；“”‘’《》（）…—!?,.:;\"'()"
PIECES = ["□记者 张环泽 报道", "□ 本报记者 孟令洋", "通讯员 赵健健 报道", "本报枣庄讯 ", "（下转第2版）", "第03版：要闻",
          "——副标题", "10月9日上午,", "379.78亿元", "http://www.dzwww.com", "Hello world, an English line.",
          "\x00", "\ufeff", "\u3000\u3000", "\r\n", "\r", "\f", "\n\n", "\n", " ", "\t", "。”他说", "『』「」", "ｱｲｳ"]
newsy_text = st.lists(
    st.one_of(st.text(alphabet=HAN + PUNCT, min_size=1, max_size=40), st.sampled_from(PIECES)), max_size=60,
).map("".join)
PROFILE = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def inspect_doc(data: bytes) -> str:
    """What `pipeline inspect --json` computes for these bytes (raises InputError for a bad input)."""
    decoded = decode_bytes(data, "random.txt")
    page = summarize_page(build_page(decoded.text))
    assert coverage_errors(page) == [], coverage_errors(page)
    return dumps({"items": index_items(page, with_en=False, inline=True)})


def _inspect_or_input_error(data: bytes) -> None:
    try:
        inspect_doc(data)
    except InputError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("random.txt: ")


@PROFILE
@given(st.binary(max_size=3000))
def test_random_bytes_decode_or_fail_with_one_line(data):
    _inspect_or_input_error(data)


@PROFILE
@given(st.text(max_size=400))
def test_random_unicode_loses_nothing(text):
    _inspect_or_input_error(text.encode("utf-8"))
    cleaned, _ = clean_text(text)
    assert coverage_errors(build_page(cleaned)) == []


@PROFILE
@given(newsy_text, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"]))
def test_newspaper_like_text_in_any_encoding_loses_nothing(text, encoding):
    _inspect_or_input_error(text.encode(encoding))
    cleaned, _ = clean_text(text)
    page = build_page(cleaned)
    assert coverage_errors(page) == []
    assert re.sub(r"\s", "", "".join(u.zh for u in page.units())) == re.sub(r"\s", "", cleaned)


@PROFILE
@given(newsy_text, st.integers(min_value=20, max_value=400))
def test_parts_of_any_text_cover_it(text, max_chars):
    cleaned, _ = clean_text(text)
    spans = page_spans(cleaned, max_chars)
    pos = 0
    for start, end in spans:
        assert pos <= start <= end and not cleaned[pos:start].strip()
        assert coverage_errors(build_page(cleaned[start:end])) == []
        pos = end
    assert not cleaned[pos:].strip()


# ------------------------------------------------------------------------------ the command line, bad inputs


def _cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "pipeline", *args], input=stdin, capture_output=True, cwd=ROOT,
                          timeout=600)
    proc.stdout, proc.stderr = proc.stdout.decode(), proc.stderr.decode()
    return proc


def test_bad_inputs_fail_alone_with_one_line_each(tmp_path, memorizing_model):
    good = tmp_path / "good"
    (good / "sub").mkdir(parents=True)
    (good / "sub" / "gb.txt").write_bytes(SEED_TEXT.encode("gb18030"))
    (good / "sub" / "notes.md").write_text("not a page")  # not *.txt: ignored
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty-folder").mkdir()
    cases = {
        "empty.txt": (b"", "the file is empty (0 bytes)"),
        "blank.txt": ("\u3000\u3000\n\r\n  \n".encode(), "holds only whitespace"),
        "image.txt": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "this is a PNG image, not a text file"),
        "broken.txt": (SEED_TEXT.encode()[:5000] + b"\xff\xfe" + SEED_TEXT.encode()[5000:9000], "is not valid UTF-8"),
        "english.txt": (b"Just an English page.\n", "contains no Chinese text"),
    }
    for name, (data, _) in cases.items():
        (bad / name).write_bytes(data)
    os.mkfifo(bad / "pipe.txt")
    (bad / "loop.txt").symlink_to(bad / "loop.txt")
    expected = {str(bad / n): m for n, (_, m) in cases.items()}
    expected[str(bad / "pipe.txt")] = "is not a regular file"
    expected[str(bad / "loop.txt")] = "cannot read it (Too many levels of symbolic links)"
    expected[str(bad / "missing.txt")] = "no such file or folder"
    expected[str(bad / "empty-folder")] = "no files matching '*.txt' in this folder or below"
    if os.geteuid() != 0:  # root reads mode-000 files; tests/test_inputs.py covers that case as `nobody`
        (bad / "secret.txt").write_text(SEED_TEXT)
        (bad / "secret.txt").chmod(0)
        expected[str(bad / "secret.txt")] = "permission denied"
    out = tmp_path / "out"
    proc = _cli("run", str(SEED), *expected, str(good), "--out", str(out), "--model", str(memorizing_model),
                "--device", "cpu", "--beams", "1", "--cache", str(tmp_path / "tm.sqlite3"))
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("error: ")]
    assert len(errors) == len(expected), "\n".join(errors)
    for path, message in expected.items():
        lines = [ln for ln in errors if ln.startswith(f"error: {path}: ")]
        assert len(lines) == 1 and message in lines[0], (path, lines)
    indexes = [json.loads((out / stem / "index.json").read_text(encoding="utf-8")) for stem in (SEED.stem, "gb")]
    assert indexes[0]["items"] == indexes[1]["items"] and indexes[0]["items"]
    assert [i["source"]["encoding"] for i in indexes] == ["utf-8", "gb18030"]
    assert (out / "gb" / "article-01.html").is_file()
    summary = proc.stderr[proc.stderr.index("pipeline run") :]
    total = next(ln for ln in summary.splitlines() if f"2 of {len(expected) + 2} ok" in ln)
    cells = [c.strip() for c in total.split("│")[1:-1]]
    assert summary.count("failed") == len(expected)
    assert int(cells[5]) > 0  # cache hits: the GB18030 copy of the seed is answered from the translation memory


def test_stdin_is_an_input_and_reruns_are_skipped(tmp_path, memorizing_model):
    args = ["run", "-", "--out", str(tmp_path), "--model", str(memorizing_model), "--beams", "1", "--no-cache", "-v"]
    first = _cli(*args, stdin=SHORT_PAGE.encode("utf-16"))
    assert first.returncode == 0, first.stderr
    index = json.loads((tmp_path / "stdin" / "index.json").read_text(encoding="utf-8"))
    assert index["source"]["path"] == "<stdin>" and index["source"]["encoding"] == "utf-16"
    again = _cli(*args, stdin=SHORT_PAGE.encode("utf-16"))
    assert again.returncode == 0
    assert "<stdin>: finished by an earlier run and unchanged, skipped (--force redoes it)" in again.stderr
    assert re.search(r"INFO .*skipped", again.stderr)  # -v logs on stderr
    binary = _cli("run", "-", "--out", str(tmp_path), "--model", str(memorizing_model), "-q", stdin=b"\x00" * 100)
    assert binary.returncode == 1 and binary.stderr.startswith("error: <stdin>: looks like a binary file")
    assert binary.stderr.count("\n") == 1  # --quiet: the error line and nothing else


def test_inputs_resolve_folders_recursively_once_each(tmp_path):
    from pipeline.run import resolve_inputs

    for rel in ("a.txt", "sub/deeper/b.txt", "sub/c.md", ".git/d.txt", "out/page/e.txt", "empty/x.md"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("中文")
    sources, errors = resolve_inputs([str(tmp_path), str(tmp_path / "a.txt"), "-", "-", str(tmp_path / "empty")],
                                     "*.txt", exclude=tmp_path / "out")
    assert [s.arg for s in sources] == [str(tmp_path / "a.txt"), str(tmp_path / "sub/deeper/b.txt"), "-"]
    assert [str(e) for e in errors] == [f"{tmp_path / 'empty'}: no files matching '*.txt' in this folder or below; "
                                        "pass --glob to choose other names (e.g. --glob '*.TXT')."]
    sources, _ = resolve_inputs([str(tmp_path)], "*.md")
    assert [s.arg for s in sources] == [str(tmp_path / "empty/x.md"), str(tmp_path / "sub/c.md")]


def test_usage_errors_exit_2():
    result = CliRunner().invoke(app, ["run"])
    assert result.exit_code == 2
    result = CliRunner().invoke(app, ["run", "x.txt", "--no-such-option"])
    assert result.exit_code == 2


# ------------------------------------------------------------------------------ collisions, resume, stale files


class Events(Reporter):
    """Records what a batch did."""

    def __init__(self, stop_after_parts: int = 0) -> None:
        self.built = 0
        self.reused = 0
        self.finished = []
        self.stop_after = stop_after_parts

    def part_built(self, articles, model_inputs, chars):
        self.built += 1

    def part_finished(self, articles, model_inputs, chars, reused):
        self.reused += reused
        if self.stop_after and self.built == self.stop_after and not reused:
            raise KeyboardInterrupt  # what Ctrl-C does between two parts

    def file_finished(self, result):
        self.finished.append(result)


@pytest.fixture(scope="module")
def fast_translator(memorizing_model):
    """The memorizing model with greedy decoding: these tests check files and bookkeeping, not English."""
    from pipeline.translate.marian import TransformersTranslator

    return TransformersTranslator(memorizing_model, model_id="tiny-memorizing", device="cpu", beams=1)


def _run(args, out, translator, **kw):
    return run_inputs([str(a) for a in args], out, lambda: translator, **kw)


def test_same_stem_inputs_never_overwrite_each_other(tmp_path, fast_translator):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a, b = tmp_path / "a" / "page.txt", tmp_path / "b" / "page.txt"
    a.write_text(SEED_TEXT, encoding="utf-8")
    b.write_text(SHORT_PAGE, encoding="utf-8")
    out = tmp_path / "out"
    (out / "page-3").mkdir(parents=True)
    (out / "page-3" / "mine.txt").write_text("someone else's folder")
    batch = _run([a, b], out, fast_translator)
    assert [r.out_dir.name for r in batch.results] == ["page", "page-2"]
    assert json.loads((out / "page" / "index.json").read_text())["source"]["path"] == str(a)
    assert json.loads((out / "page-2" / "index.json").read_text())["source"]["path"] == str(b)
    # A later run of b alone finds b's folder; a new input with that stem skips the foreign page-3.
    assert [(r.out_dir.name, r.status) for r in _run([b], out, fast_translator).results] == [("page-2", "skipped")]
    (tmp_path / "c").mkdir()
    c = tmp_path / "c" / "page.txt"
    c.write_text(SHORT_PAGE, encoding="utf-8")
    assert _run([c], out, fast_translator).results[0].out_dir.name == "page-4"
    assert sorted(p.name for p in (out / "page-3").iterdir()) == ["mine.txt"]


def test_finished_inputs_are_skipped_unless_changed_or_forced(tmp_path, memorizing_model, fast_translator):
    from pipeline.translate.marian import TransformersTranslator

    page = tmp_path / "page.txt"
    page.write_text(SHORT_PAGE, encoding="utf-8")
    out = tmp_path / "out"
    first = _run([page], out, fast_translator).results[0]
    assert first.status == "done" and first.model_inputs > 0
    mtime = (out / "page" / "index.json").stat().st_mtime_ns
    again = _run([page], out, fast_translator).results[0]
    assert (again.status, again.model_inputs, again.articles) == ("skipped", 0, first.articles)
    assert (out / "page" / "index.json").stat().st_mtime_ns == mtime
    assert _run([page], out, fast_translator, resume=False).results[0].status == "done"
    other_beams = TransformersTranslator(memorizing_model, model_id="tiny-memorizing", device="cpu", beams=2)
    assert other_beams.decoding != fast_translator.decoding
    assert _run([page], out, other_beams).results[0].status == "done"
    page.write_text(SHORT_PAGE + "\n新的一段。\n", encoding="utf-8")
    assert _run([page], out, other_beams).results[0].status == "done"


def test_an_interrupted_multi_part_run_resumes_where_it_stopped(tmp_path, fast_translator):
    big = tmp_path / "big.txt"
    big.write_text("".join(f"\n大众日报 2022年10月{n}日 第{n:02d}版\n\n{SHORT_PAGE}" for n in range(1, 5)),
                   encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        _run([big], out, fast_translator, reporter=Events(stop_after_parts=2))
    manifest = json.loads((out / "big" / MANIFEST).read_text())
    assert manifest["complete"] is False and [p["dir"] for p in manifest["parts"]] == ["part-001", "part-002"]
    assert not (out / "big" / "part-003").exists()
    events = Events()
    result = _run([big], out, fast_translator, reporter=events).results[0]
    assert (result.status, result.parts, result.parts_reused) == ("done", 4, 2)
    assert (events.built, events.reused) == (2, 2)
    manifest = json.loads((out / "big" / MANIFEST).read_text())
    assert manifest["complete"] is True
    on_disk = sorted(p.relative_to(out / "big").as_posix() for p in (out / "big").rglob("*") if p.is_file()
                     and not p.name.startswith("."))
    assert on_disk == sorted(manifest["files"])


def test_parts_keep_spans_into_the_whole_input(tmp_path, fast_translator):
    big = tmp_path / "big.txt"
    text = "".join(f"\n第{n:02d}版：要闻\n\n{SHORT_PAGE}" for n in range(1, 4))
    big.write_bytes(text.replace("\n", "\r\n").encode("gb18030"))
    out = tmp_path / "out"
    _run([big], out, fast_translator)
    for n in range(1, 4):
        folder = out / "big" / f"part-{n:03d}"
        index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
        validate(index, "index")
        assert index["source"]["part"]["number"] == n and index["source"]["part"]["of"] == 3
        start, end = index["source"]["part"]["span"]
        assert text[start:end].strip().startswith(f"第{n:02d}版")
        units = [i for i in index["items"] if i["kind"] == "other"]
        for item in (i for i in index["items"] if i["kind"] != "other"):
            doc = json.loads((folder / item["json"]).read_text(encoding="utf-8"))
            units += doc["headlines"] + [s for p in doc["paragraphs"] for s in p["sentences"]]
        for unit in units:
            s, e = unit["span"]
            assert start <= s < e <= end
            assert re.sub(r"\s", "", text[s:e]) == re.sub(r"\s", "", unit["zh"]), unit["id"]


def test_outputs_an_input_no_longer_has_are_removed(tmp_path, fast_translator):
    page = tmp_path / "page.txt"
    page.write_text(SEED_TEXT, encoding="utf-8")
    out = tmp_path / "out"
    _run([page], out, fast_translator)
    assert (out / "page" / "article-06.json").is_file()
    page.write_text(SHORT_PAGE, encoding="utf-8")
    _run([page], out, fast_translator)
    articles = len(build_page(SHORT_PAGE).articles)
    assert 1 < articles < 5
    names = sorted(p.name for p in (out / "page").iterdir())
    assert names == sorted([MANIFEST, "index.html", "index.json", *(f"article-{n:02d}.{ext}" for n in
                                                                     range(1, articles + 1) for ext in ("json", "html"))])


def test_temp_files_of_dead_runs_are_removed_and_live_ones_kept(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    (tmp_path / f".index.json.{dead_pid}.x1y2.tmp").write_text("{\"half")
    (tmp_path / f".index.json.{os.getppid()}.a1b2.tmp").write_text("{\"half")  # a live process's write
    (tmp_path / ".article-01.json.legacy.tmp").write_text("")
    assert remove_stale_temp_files(tmp_path) == 2
    assert [p.name for p in tmp_path.iterdir()] == [f".index.json.{os.getppid()}.a1b2.tmp"]


def test_cache_hits_are_counted_per_input(tmp_path, memorizing_model):
    from pipeline.translate import load_translator

    translator = load_translator(str(memorizing_model), device="cpu", cache=tmp_path / "tm.sqlite3")
    for name in ("one.txt", "two.txt"):
        (tmp_path / name).write_text(SHORT_PAGE, encoding="utf-8")
    one, two = _run([tmp_path / "one.txt", tmp_path / "two.txt"], tmp_path / "out", translator).results
    assert one.cache_hits == 0 and one.model_inputs > 0
    assert two.cache_hits == one.model_inputs and two.model_inputs == 0


# ------------------------------------------------------------------------------ progress on a terminal, doctor


def _run_in_pty(args: list[str], timeout: float = 600) -> tuple[int, str]:
    """Run the CLI with stdout and stderr on a pseudo-terminal, as a user at a shell does."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "200"}
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", *args], stdin=subprocess.DEVNULL, stdout=slave,
                            stderr=slave, cwd=ROOT, env=env)
    os.close(slave)
    chunks, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 1.0)
        if not ready:
            if proc.poll() is not None:
                break
            continue
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return proc.wait(timeout=60), b"".join(chunks).decode("utf-8", "replace")


def test_progress_bars_on_a_terminal_only_and_not_with_quiet(tmp_path, memorizing_model):
    big = tmp_path / "big.txt"
    big.write_text("".join(f"\n第{n:02d}版：要闻\n\n{SHORT_PAGE}" for n in range(1, 3)), encoding="utf-8")
    args = ["run", str(big), "--out", str(tmp_path / "out"), "--model", str(memorizing_model), "--beams", "1",
            "--cache", str(tmp_path / "tm.sqlite3")]
    code, screen = _run_in_pty(args)
    assert code == 0, screen
    for label in ("files", "items", "sentences"):
        assert label in screen
    plain_screen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen)  # colours sit between the columns
    assert re.search(r"[1-9]\d*/\d+ +\d+\.\d/s", plain_screen), plain_screen  # count, rate
    assert "\x1b[" in screen and "big.txt (2 parts)" in screen
    assert "2 parts" in screen and "pipeline run" in screen  # the done line and the summary table
    code, screen = _run_in_pty([*args, "--force", "-q"])
    assert code == 0 and screen.strip() == "", screen
    plain = _cli(*args, "--force")  # stderr is a pipe: no bars, no escape codes
    assert plain.returncode == 0 and "\x1b[" not in plain.stderr and not re.search(r"\d\.\d/s", plain.stderr)


def test_doctor_reports_the_model_the_device_and_the_caches(tmp_path, memorizing_model):
    runner = CliRunner()
    args = ["doctor", "--model", str(memorizing_model), "--cache", str(tmp_path / "tm.sqlite3")]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert re.search(r"^ok +python +3\.\d+", result.output, re.M)
    checks = {c["topic"]: c for c in json.loads(runner.invoke(app, [*args, "--json"]).output)}
    assert checks["python"]["status"] == "ok" and sys.executable in checks["python"]["detail"]
    assert checks["device"]["status"] == "ok" and "auto → " in checks["device"]["detail"]
    assert checks["model"]["status"] == "ok" and str(memorizing_model) in checks["model"]["detail"]
    assert checks["model folder"]["status"] == "ok"
    assert checks["translation memory"]["detail"].startswith(f"{tmp_path / 'tm.sqlite3'} (not created yet")
    assert checks["ctranslate2 copy"]["status"] == "info"
    missing = runner.invoke(app, ["doctor", "--model", "nobody/no-such-model", "--models-dir", str(tmp_path),
                                  "--json"])
    assert missing.exit_code == 1
    checks = {c["topic"]: c for c in json.loads(missing.output)}
    assert checks["model"]["status"] == "fail" and "pipeline model pull nobody/no-such-model" in checks["model"]["detail"]
