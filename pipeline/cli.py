"""Command line: parses arguments, shows progress, and turns errors into one-line messages (here and only here)."""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import typer

from .errors import ExitStatus, PipelineError
from .options import Backend, Device, Engine, ExportFormat
from .translate.base import DEFAULT_MODEL


def _no_type_after_flags() -> None:
    """typer's help prints a type after every option, `--force <bool>` and `-v <int>` included; a flag, or a
    counter, takes no value, so its help shows none (tests/test_cli.py checks every command's help)."""
    from typer.core import TyperOption

    shown = TyperOption.display_type_rich

    def display_type_rich(self: TyperOption, ctx: Any) -> str | None:
        return None if self.is_flag or self.count else shown(self, ctx)

    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]


_no_type_after_flags()
if TYPE_CHECKING:
    from .stages import BatchResult, Reporter

app = typer.Typer(
    help="Read Chinese newspaper pages in English: layout, sentences, MarianMT translation, summaries, "
    "bilingual HTML and JSON.\n\nExample: pipeline run input/dazhong-2022-10-zaozhuang.txt",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
model_app = typer.Typer(help="Get and build translation models.\n\nExample: pipeline model pull", no_args_is_help=True)
app.add_typer(model_app, name="model")


class _Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: the run stops between two atomic writes."""


def _terminate(signum: int, frame: object) -> None:
    raise _Terminated()


def flag(option: str) -> str:
    """A library option name as its command-line flag: `gpus_per_translator` → `--gpus-per-translator`."""
    return "--" + option.replace("_", "-")


def error_line(exc: PipelineError) -> str:
    """The one line an error becomes: its message, with the setting it concerns named by its flag."""
    message = str(exc)
    if exc.option:
        # Library messages name a setting by its library name (`device cuda was asked for …`); here it is a flag.
        name = exc.option.replace("_", " ")
        if message.startswith(f"{name} "):
            message = f"{flag(exc.option)} {message[len(name) + 1:]}"
        elif not message.startswith("--"):
            message = f"{flag(exc.option)}: {message}"
    return f"error: {message}"


def _error(exc: PipelineError) -> None:
    typer.echo(error_line(exc), err=True)


def _read_text_arg(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    from .inputs import read_input

    return read_input(Path(path)).text


@app.command()
def run(
    inputs: list[Path] = typer.Argument(..., help="Page text files, folders (searched recursively for --glob), or - "
                                        "for standard input."),
    # A string, not a Path: --engine ray also takes a URI, whose `//` a Path would fold.
    out: str = typer.Option("output", "--out", "-o", help="Output folder; one sub-folder per input (with --engine "
                            "ray, also an fsspec URI: s3://…, gs://…, file://…)."),
    model: str = typer.Option(DEFAULT_MODEL, "--model", "-m", help="Hugging Face model id or a local model folder."),
    device: Device = typer.Option(Device.AUTO, help="Where the model runs."),
    beams: Optional[int] = typer.Option(None, help="Beam size (default: the model's generation config)."),
    models_dir: Path = typer.Option(Path("models"), "--models-dir", help="Where `model pull` keeps models."),
    backend: Backend = typer.Option(Backend.AUTO, help="auto (CTranslate2 when `model convert` made a copy), "
                                    "transformers or ctranslate2."),
    cache: Optional[Path] = typer.Option(None, "--cache", help="Translation memory file (default: "
                                         "$ZH_NEWS_PIPELINE_CACHE or ~/.cache/zh-news-pipeline/tm.sqlite3)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Translate everything afresh; read and write no cache."),
    glob: str = typer.Option("*.txt", "--glob", help="Which files to take from folders (recursively)."),
    force: bool = typer.Option(False, "--force", help="Redo inputs an earlier run finished (default: skip them)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print errors only: no progress, no summary."),
    verbose: int = typer.Option(0, "--verbose", "-v", count=True, help="Log what happens on stderr; -vv for details."),
    engine: Engine = typer.Option(Engine.LOCAL, help="local (this process) or ray (Ray Data: CPU tasks and a pool "
                                  "of translator actors; needs the ray extra)."),
    ray_address: Optional[str] = typer.Option(None, "--ray-address", help="With --engine ray: auto or ray://host:port "
                                              "(default: start Ray locally in this process)."),
    translators: Optional[int] = typer.Option(None, "--translators", help="With --engine ray: translator actors, "
                                              "each with its own model (default: one per GPU, else 1)."),
    gpus_per_translator: float = typer.Option(1.0, "--gpus-per-translator", help="With --engine ray: the share of a "
                                              "GPU each translator takes (0.5: two per GPU)."),
    glossary: Optional[Path] = typer.Option(None, "--glossary", help="Terms and names whose English you fix: a TSV "
                                            "file (Chinese<TAB>English per line) or TBX. Units whose English lacks "
                                            "a term are flagged term_missing (docs/names.md)."),
    protect_terms: bool = typer.Option(False, "--protect-terms", help="With --glossary: put each term's English into "
                                       "the model input in place of the Chinese term, and check it came through."),
) -> None:
    """Translate pages into OUT/<stem>/index.html, index.json and article-NN.{html,json}.

    Folders are searched recursively; a large input is done in parts (OUT/<stem>/part-NNN/). A re-run skips
    finished inputs and resumes an interrupted one. `--engine ray` runs the same stages on Ray (locally or on a
    cluster; OUT may be an fsspec URI such as s3://bucket/prefix), skipping and resuming alike. Exit codes:
    0 all ok, 1 some inputs failed, 2 usage error, 130 interrupted (143 terminated).

    Example: pipeline run input/ --out output/
    """
    from .errors import UsageError
    from .glossary import load_glossary
    from .progress import LineReporter, RichReporter, setup_logging, stderr_console, summary_table
    from .run import run_inputs
    from .translate import Translator, default_cache_path, load_translator

    if engine is Engine.LOCAL and (ray_address or translators is not None or gpus_per_translator != 1.0):
        raise UsageError("--ray-address, --translators and --gpus-per-translator go with --engine ray.")
    console = stderr_console()
    setup_logging(verbose, quiet, console)
    args = [str(p) for p in inputs]
    live = console.is_terminal and not quiet and engine is Engine.LOCAL  # Ray draws its own progress bars
    reporter = RichReporter(console) if live else LineReporter(quiet=quiet)
    memory = None if no_cache else (cache or default_cache_path())
    if protect_terms and glossary is None:
        raise UsageError("--protect-terms needs a --glossary FILE whose terms it protects.", option="protect_terms")
    terms = load_glossary(glossary, protect_terms) if glossary is not None else None  # a bad file fails first

    def load() -> Translator:
        return load_translator(model, device=device.value, beams=beams, models_dir=models_dir,
                               backend=backend.value, cache=memory, glossary=terms)

    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        with reporter:
            if engine is Engine.RAY:
                batch = _run_ray(args, out, model, device.value, beams, models_dir, backend.value, memory, glob,
                                 ray_address, translators, gpus_per_translator, reporter, quiet, verbose, force,
                                 glossary, protect_terms)
            else:
                batch = run_inputs(args, Path(out), load, glob=glob, resume=not force, reporter=reporter)
    except KeyboardInterrupt as exc:
        if not quiet and reporter.results:
            console.print(summary_table(reporter.results))
        code = ExitStatus.TERMINATED if isinstance(exc, _Terminated) else ExitStatus.INTERRUPTED
        typer.echo(f"interrupted: {sum(r.status != 'failed' for r in reporter.results)} input(s) finished, their "
                   "outputs and the finished parts of the current one are kept; run the same command again to "
                   "resume.", err=True)
        raise typer.Exit(int(code)) from None
    finally:
        signal.signal(signal.SIGTERM, previous)
    if not quiet:
        console.print(summary_table(batch))
    raise typer.Exit(batch.exit_code)


def _run_ray(args: list[str], out: str, model: str, device: str, beams: int | None, models_dir: Path, backend: str,
             memory: Path | None, glob: str, address: str | None, translators: int | None, gpus_per_translator: float,
             reporter: Reporter, quiet: bool, verbose: int, force: bool, glossary: Path | None = None,
             protect_terms: bool = False) -> BatchResult:
    """`run --engine ray`: the same stages as a Ray Data dataflow (pipeline/engine_ray.py)."""
    from .engine_ray import TranslatorOptions, import_ray, run_inputs_ray

    import_ray()  # without the extra: one line saying how to add it, before anything else happens
    options = TranslatorOptions(model=model, device=device, beams=beams, models_dir=str(models_dir.absolute()),
                                backend=backend, cache=str(memory.expanduser().absolute()) if memory else None,
                                glossary=str(glossary.absolute()) if glossary else None, protect_terms=protect_terms)
    return run_inputs_ray(args, out, options, glob=glob, address=address, translators=translators,
                          gpus_per_translator=gpus_per_translator, reporter=reporter, quiet=quiet, verbose=verbose,
                          resume=not force)


@app.command()
def inspect(
    input: Path = typer.Argument(..., help="A page text file."),
    as_json: bool = typer.Option(False, "--json", help="Print {\"items\": [...]} like index.json, without en."),
    explain: bool = typer.Option(False, "--explain", help="Show why each line got its layout label."),
) -> None:
    """Show the recovered structure (articles, headlines, bylines, paragraphs, sentences); no model needed.

    Example: pipeline inspect input/dazhong-2022-10-zaozhuang.txt --json
    """
    from .document import Article
    from .render import dumps, index_items
    from .run import load_page, summarize_page

    if explain:
        from .layout.crf import explain_text

        typer.echo(explain_text(load_page(input).text), nl=False)
        return
    page = summarize_page(load_page(input))
    if as_json:
        typer.echo(dumps({"items": index_items(page, with_en=False, inline=True)}), nl=False)
        return
    for item in page.items:
        if not isinstance(item, Article):
            typer.echo(f"[other] {item.zh}")
            continue
        typer.echo(f"\n{item.id} {item.kind}{' (truncated)' if item.truncated else ''}")
        for h in item.headlines:
            typer.echo(f"  {h.role}: {h.zh}")
        if item.byline:
            typer.echo(f"  byline: {item.byline.zh}  authors: {', '.join(item.byline.authors)}")
        if item.dateline:
            typer.echo(f"  dateline: {item.dateline.zh}")
        for p in item.paragraphs:
            typer.echo(f"  {p.id} ({len(p.sentences)} sentences, {len(p.column_breaks)} column breaks repaired)")
            for s in p.sentences:
                typer.echo(f"    {s.id} {s.zh}")


@app.command()
def split(
    path: str = typer.Argument("-", help="A page text file, or - for stdin."),
    raw: bool = typer.Option(False, "--raw", help="Plain text: split each line on its own, without the layout "
                             "reading (no headlines or bylines, no column breaks repaired)."),
) -> None:
    """Print a page one sentence per line, read as `inspect` and `run` read it: headlines, bylines, datelines and
    captions on lines of their own, paragraphs broken by column breaks joined again; `--raw` for plain text.

    Example: pipeline split input/dazhong-2022-10-zaozhuang.txt
    """
    from .sentences import split_sentences

    if raw:
        for para in _read_text_arg(path).splitlines():
            for sentence in split_sentences(para):
                typer.echo(sentence)
        return
    from .run import build_page, load_page

    page = build_page(sys.stdin.read(), "<stdin>") if path == "-" else load_page(Path(path))
    for unit in page.units():
        typer.echo(" ".join(unit.zh.splitlines()))


@app.command()
def summarize(
    path: str = typer.Argument("-", help="Plain text, one paragraph per line; - for stdin."),
    max_chars: Optional[int] = typer.Option(None, min=1, help="Character budget (at least one sentence is kept)."),
    max_sentences: Optional[int] = typer.Option(None, min=1, help="Sentence budget (default: about a fifth)."),
    title: str = typer.Option("", help="The headline; sentences close to it rank higher."),
    as_json: bool = typer.Option(False, "--json", help="Print the selected sentences as JSON."),
) -> None:
    """Extractive summary of plain Chinese text, no translation.

    Example: pipeline summarize article.txt --max-sentences 2 --title '枣庄50个重点项目集中开工'
    """
    from .errors import InputError
    from .summarize import choose, read_plain_text

    plain = read_plain_text(_read_text_arg(path))
    sentences = plain.sentences
    if not sentences:
        raise InputError(f"{'stdin' if path == '-' else path} holds no text to summarise; "
                         "give Chinese text, one paragraph per line")
    choice = choose([sentences[i] for i in plain.candidates], title, max_chars=max_chars,
                    max_sentences=max_sentences, layout=plain.layout)
    idx = [plain.candidates[i] for i in choice.indices]
    if as_json:
        doc = {"sentence_indices": idx, "sentences": [sentences[i] for i in idx],
               "zh": "".join(sentences[i] for i in idx), "method": choice.method}
        typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        typer.echo("".join(sentences[i] for i in idx))
        typer.echo(f"method: {choice.method}", err=True)


@app.command()
def export(
    out_dir: Path = typer.Argument(..., help="A folder `pipeline run` wrote: one page's folder, or the whole --out."),
    format: ExportFormat = typer.Option(ExportFormat.TMX, "--format", "-f", help="tmx (TMX 1.4, srclang zh-CN), tsv "
                                        "or jsonl."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="File to write (default: standard output)."),
) -> None:
    """Export the aligned sentence pairs for translators' tools: one unit per sentence, flags included.

    Example: pipeline export output/dazhong-2022-10-zaozhuang --format tmx -o zaozhuang.tmx
    """
    from .export import check_format, collect_pairs, format_pairs

    check_format(format.value)
    pairs = collect_pairs(out_dir)
    text = format_pairs(pairs, format.value)
    if output is None:
        typer.echo(text, nl=False)
        return
    from .run import write_atomic

    write_atomic(output, text)
    typer.echo(f"wrote {len(pairs)} sentence pairs to {output}", err=True)


@app.command()
def doctor(
    model: str = typer.Option(DEFAULT_MODEL, "--model", "-m", help="The model `run` would use."),
    models_dir: Path = typer.Option(Path("models"), "--models-dir", help="Where `model pull` keeps models."),
    cache: Optional[Path] = typer.Option(None, "--cache", help="Translation memory file to look at."),
    as_json: bool = typer.Option(False, "--json", help="Print the checks as JSON."),
) -> None:
    """Check Python, torch, the device, the model (local folder, models/, HF cache, CTranslate2 copy) and the
    caches; exits 1 when something a run needs is missing.

    Example: pipeline doctor --model models/tiny-memorizing
    """
    from .doctor import FAIL, as_dicts, diagnose

    checks = diagnose(model, models_dir, cache)
    if as_json:
        typer.echo(json.dumps(as_dicts(checks), ensure_ascii=False, indent=2))
    else:
        width = max(len(c.topic) for c in checks)
        for c in checks:
            typer.echo(f"{c.status:<4}  {c.topic:<{width}}  {c.detail}")
    if any(c.status == FAIL for c in checks):
        raise typer.Exit(int(ExitStatus.FAILED))


@model_app.command("pull")
def model_pull(
    model: str = typer.Argument(DEFAULT_MODEL, help="Hugging Face model id."),
    dir: Path = typer.Option(Path("models"), "--dir", help="Folder to keep models in."),
    quantization: str = typer.Option("int8", help="The CTranslate2 copy to make next to it: int8 (fastest on a "
                                     "CPU), int8_float16, float16 (GPU) or float32."),
    no_convert: bool = typer.Option(False, "--no-convert", help="Download only; make no CTranslate2 copy "
                                    "(`run` then decodes with transformers)."),
) -> None:
    """Download a model snapshot into DIR/<name> and convert it to CTranslate2 (DIR/<name>-ct2-int8), so that
    `run` uses the fast backend; afterwards runs are fully offline. A model already there is not downloaded again;
    a missing copy is made.

    Example: pipeline model pull Helsinki-NLP/opus-mt-zh-en
    """
    from .translate import pull_model
    from .translate.ct2 import ensure_converted

    path = pull_model(model, dir)
    typer.echo(f"{model} is in {path}", err=True)
    if not no_convert:
        typer.echo(ensure_converted(model, path, dir, quantization), err=True)


@model_app.command("convert")
def model_convert(
    model: str = typer.Argument(DEFAULT_MODEL, help="Hugging Face model id or local model folder to convert."),
    quantization: str = typer.Option("int8", help="int8 (fastest on a CPU), int8_float16, float16 (GPU) or "
                                     "float32; `run` finds a copy of any of them."),
    models_dir: Path = typer.Option(Path("models"), "--models-dir", help="Where models are kept."),
    out: Optional[Path] = typer.Option(None, "--out", help="Target folder (default: "
                                       "MODELS_DIR/<name>-ct2-<quantization>)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing converted copy."),
) -> None:
    """Convert a local Marian model to CTranslate2 (offline); `run --backend auto` then uses it (faster on a CPU).
    With several copies, `run` prefers int8 on a CPU and float16 on a GPU, and says which it used (-v, and
    index.json `model.converted`).

    Example: pipeline model convert Helsinki-NLP/opus-mt-zh-en --quantization int8
    """
    from .translate import convert

    typer.echo(f"wrote the CTranslate2 copy of {model} to {convert(model, quantization, models_dir, out, force)}",
               err=True)


@model_app.command("make-test-model")
def make_test_model_cmd(
    dir: Path = typer.Argument(..., help="Folder to write the tiny model to."),
    random: bool = typer.Option(False, "--random", help="Random weights instead of the memorizing model."),
) -> None:
    """Build the tiny zh→en test model (its English is meaningless outside its small training set).

    Example: pipeline model make-test-model models/tiny-memorizing
    """
    from .testmodel import make_test_model

    make_test_model(dir, memorize=not random)
    typer.echo(f"wrote the tiny {'random' if random else 'memorizing'} test model to {dir}", err=True)


def main() -> None:
    """Console-script entry point: every PipelineError becomes one line on stderr and its exit code."""
    import warnings

    warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
    try:
        app()
    except PipelineError as exc:
        _error(exc)
        sys.exit(int(exc.exit_status))


if __name__ == "__main__":
    main()
