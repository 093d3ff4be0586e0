"""Command line: parses arguments, shows progress, and turns errors into one-line messages (here and only here)."""

from __future__ import annotations

import json
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


def _error(exc: PipelineError) -> None:
    typer.echo(f"error: {exc}", err=True)


def _read_text_arg(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    from .inputs import read_input

    return read_input(Path(path)).text


@app.command()
def run(
    inputs: list[Path] = typer.Argument(..., help="Page text files to translate."),
    out: Path = typer.Option(Path("output"), "--out", "-o", help="Output folder; one sub-folder per input."),
    model: str = typer.Option(DEFAULT_MODEL, "--model", "-m", help="Hugging Face model id or a local model folder."),
    device: str = typer.Option("auto", help="auto, cpu or cuda."),
    beams: Optional[int] = typer.Option(None, help="Beam size (default: the model's generation config)."),
    models_dir: Path = typer.Option(Path("models"), "--models-dir", help="Where `model pull` keeps models."),
) -> None:
    """Translate pages into OUT/<stem>/index.html, index.json and article-NN.{html,json}.

    Example: pipeline run input/dazhong-2022-10-zaozhuang.txt --out output/
    """
    from .run import run_file
    from .translate import load_translator

    translator = load_translator(model, device=device, beams=beams, models_dir=models_dir)
    failed = 0
    for path in inputs:
        try:
            res = run_file(path, out, translator)
        except PipelineError as exc:
            _error(exc)
            failed += 1
            continue
        typer.echo(f"{path}: {res.articles} items, {res.sentences} sentences, {res.model_inputs} model inputs, "
                   f"{res.seconds:.1f}s → {res.out_dir / 'index.html'}", err=True)
    if failed:
        raise typer.Exit(1)


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
    max_chars: Optional[int] = typer.Option(None, help="Character budget."),
    max_sentences: Optional[int] = typer.Option(None, help="Sentence budget (default: about a fifth)."),
    as_json: bool = typer.Option(False, "--json", help="Print the selected sentences as JSON."),
) -> None:
    """Extractive summary of plain Chinese text, no translation.

    Example: pipeline summarize article.txt --max-sentences 2
    """
    from .sentences import split_sentences
    from .summarize import select

    text = _read_text_arg(path)
    sentences = [s for para in text.splitlines() for s in split_sentences(para)]
    idx = select(sentences, max_chars=max_chars, max_sentences=max_sentences)
    if as_json:
        doc = {"sentence_indices": idx, "sentences": [sentences[i] for i in idx],
               "zh": "".join(sentences[i] for i in idx)}
        typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        typer.echo("".join(sentences[i] for i in idx))


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
