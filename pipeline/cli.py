"""Command line: parses arguments, shows progress, and turns errors into one-line messages (here and only here)."""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path
from typing import Optional

import typer

from .errors import PipelineError
from .translate.base import DEFAULT_MODEL

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


def _terminate(signum, frame) -> None:
    raise _Terminated()


def _error(exc: PipelineError) -> None:
    typer.echo(f"error: {exc}", err=True)


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
                            "ray, also a pyarrow filesystem URI: s3://…, gs://…, file://…)."),
    model: str = typer.Option(DEFAULT_MODEL, "--model", "-m", help="Hugging Face model id or a local model folder."),
    device: str = typer.Option("auto", help="auto, cpu or cuda."),
    beams: Optional[int] = typer.Option(None, help="Beam size (default: the model's generation config)."),
    models_dir: Path = typer.Option(Path("models"), "--models-dir", help="Where `model pull` keeps models."),
    backend: str = typer.Option("auto", help="auto (CTranslate2 when `model convert` made a copy), transformers "
                                "or ctranslate2."),
    cache: Optional[Path] = typer.Option(None, "--cache", help="Translation memory file (default: "
                                         "$ZH_NEWS_PIPELINE_CACHE or ~/.cache/zh-news-pipeline/tm.sqlite3)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Translate everything afresh; read and write no cache."),
    glob: str = typer.Option("*.txt", "--glob", help="Which files to take from folders (recursively)."),
    force: bool = typer.Option(False, "--force", help="Redo inputs an earlier run finished (default: skip them)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print errors only: no progress, no summary."),
    verbose: int = typer.Option(0, "--verbose", "-v", count=True, help="Log what happens on stderr; -vv for details."),
    engine: str = typer.Option("local", help="local (this process) or ray (Ray Data: CPU tasks and a pool of "
                               "translator actors; needs the ray extra)."),
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
    cluster; OUT may be a pyarrow filesystem URI such as s3://bucket/prefix) and redoes every input. Exit codes:
    0 all ok, 1 some inputs failed, 2 usage error, 130 interrupted.

    Example: pipeline run input/ --out output/
    """
    from .errors import UsageError
    from .glossary import load_glossary
    from .progress import LineReporter, RichReporter, setup_logging, stderr_console, summary_table
    from .run import run_inputs
    from .translate import default_cache_path, load_translator

    if engine not in ("local", "ray"):
        raise UsageError(f"Unknown engine {engine!r}: use local or ray.")
    if engine == "local" and (ray_address or translators is not None or gpus_per_translator != 1.0):
        raise UsageError("--ray-address, --translators and --gpus-per-translator go with --engine ray.")
    console = stderr_console()
    setup_logging(verbose, quiet, console)
    args = [str(p) for p in inputs]
    live = console.is_terminal and not quiet and engine == "local"  # Ray draws its own progress bars
    reporter = RichReporter(console) if live else LineReporter(quiet=quiet)
    memory = None if no_cache else (cache or default_cache_path())
    if protect_terms and glossary is None:
        raise UsageError("--protect-terms needs a --glossary FILE whose terms it protects.")
    terms = load_glossary(glossary, protect_terms) if glossary is not None else None  # a bad file fails first

    def load():
        return load_translator(model, device=device, beams=beams, models_dir=models_dir, backend=backend,
                               cache=memory, glossary=terms)

    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        with reporter:
            if engine == "ray":
                batch = _run_ray(args, out, model, device, beams, models_dir, backend, memory, glob, ray_address,
                                 translators, gpus_per_translator, reporter, quiet, verbose, glossary, protect_terms)
            else:
                batch = run_inputs(args, Path(out), load, glob=glob, resume=not force, reporter=reporter)
    except KeyboardInterrupt as exc:
        if not quiet and reporter.results:
            console.print(summary_table(reporter.results))
        code = 143 if isinstance(exc, _Terminated) else 130
        typer.echo(f"interrupted: {sum(r.status != 'failed' for r in reporter.results)} input(s) finished, their "
                   "outputs and the finished parts of the current one are kept; run the same command again to "
                   "resume.", err=True)
        raise typer.Exit(code) from None
    finally:
        signal.signal(signal.SIGTERM, previous)
    if not quiet:
        console.print(summary_table(batch))
    raise typer.Exit(batch.exit_code)


def _run_ray(args, out, model, device, beams, models_dir, backend, memory, glob, address, translators,
             gpus_per_translator, reporter, quiet, verbose, glossary=None, protect_terms=False):
    """`run --engine ray`: the same stages as a Ray Data dataflow (pipeline/engine_ray.py)."""
    from .engine_ray import TranslatorOptions, import_ray, run_inputs_ray

    import_ray()  # without the extra: one line saying how to add it, before anything else happens
    options = TranslatorOptions(model=model, device=device, beams=beams, models_dir=str(models_dir.absolute()),
                                backend=backend, cache=str(memory.expanduser().absolute()) if memory else None,
                                glossary=str(glossary.absolute()) if glossary else None, protect_terms=protect_terms)
    return run_inputs_ray(args, out, options, glob=glob, address=address, translators=translators,
                          gpus_per_translator=gpus_per_translator, reporter=reporter, quiet=quiet, verbose=verbose)


@app.command()
def inspect(
    input: Path = typer.Argument(..., help="A page text file."),
    as_json: bool = typer.Option(False, "--json", help="Print {\"items\": [...]} like index.json, without en."),
) -> None:
    """Show the recovered structure (articles, headlines, bylines, paragraphs, sentences); no model needed.

    Example: pipeline inspect input/dazhong-2022-10-zaozhuang.txt --json
    """
    from .document import Article
    from .render import dumps, index_items
    from .run import load_page, summarize_page

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
def split(path: str = typer.Argument("-", help="A text file, or - for stdin.")) -> None:
    """Print one sentence per line.

    Example: echo '他说：“我们走吧。”然后走了。' | pipeline split -
    """
    from .sentences import split_sentences

    text = _read_text_arg(path)
    for para in text.splitlines():
        for sentence in split_sentences(para):
            typer.echo(sentence)


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
    from .sentences import split_sentences
    from .summarize import select

    text = _read_text_arg(path)
    sentences = [s for para in text.splitlines() for s in split_sentences(para)]
    if not sentences:
        raise InputError(f"{'stdin' if path == '-' else path} holds no text to summarise; "
                         "give Chinese text, one paragraph per line")
    idx = select(sentences, title, max_chars=max_chars, max_sentences=max_sentences)
    if as_json:
        doc = {"sentence_indices": idx, "sentences": [sentences[i] for i in idx],
               "zh": "".join(sentences[i] for i in idx)}
        typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        typer.echo("".join(sentences[i] for i in idx))


@app.command()
def export(
    out_dir: Path = typer.Argument(..., help="A folder `pipeline run` wrote: one page's folder, or the whole --out."),
    format: str = typer.Option("tmx", "--format", "-f", help="tmx (TMX 1.4, srclang zh-CN), tsv or jsonl."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="File to write (default: standard output)."),
) -> None:
    """Export the aligned sentence pairs for translators' tools: one unit per sentence, flags included.

    Example: pipeline export output/dazhong-2022-10-zaozhuang --format tmx -o zaozhuang.tmx
    """
    from .export import check_format, collect_pairs, format_pairs

    check_format(format)
    pairs = collect_pairs(out_dir)
    text = format_pairs(pairs, format)
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
        raise typer.Exit(1)


@model_app.command("pull")
def model_pull(
    model: str = typer.Argument(DEFAULT_MODEL, help="Hugging Face model id."),
    dir: Path = typer.Option(Path("models"), "--dir", help="Folder to keep models in."),
) -> None:
    """Download a model snapshot into DIR/<name>; afterwards runs are fully offline.

    Example: pipeline model pull Helsinki-NLP/opus-mt-zh-en
    """
    from .translate import pull_model

    typer.echo(f"{model} is in {pull_model(model, dir)}", err=True)


@model_app.command("convert")
def model_convert(
    model: str = typer.Argument(DEFAULT_MODEL, help="Hugging Face model id or local model folder to convert."),
    quantization: str = typer.Option("int8", help="int8 (CPU default), int8_float16, float16 or float32."),
    models_dir: Path = typer.Option(Path("models"), "--models-dir", help="Where models are kept."),
    out: Optional[Path] = typer.Option(None, "--out", help="Target folder (default: "
                                       "MODELS_DIR/<name>-ct2-<quantization>)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing converted copy."),
) -> None:
    """Convert a local Marian model to CTranslate2 (offline); `run --backend auto` then uses it (faster on a CPU).

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
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
