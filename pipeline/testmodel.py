"""Tiny Marian zh→en models built from text shipped in the package, for tests and the no-download demo.

They are real MarianMT checkpoints (sentencepiece tokenizers, MarianConfig, save_pretrained) loaded by the same
`from_pretrained` code as opus-mt-zh-en. The random one produces noise; the memorizing one is trained until it
reproduces its small parallel set exactly, so tests can check that each sentence gets *its own* English back.
Everything else it translates is meaningless.
"""

from __future__ import annotations

import io
import json
import random
from importlib import resources
from pathlib import Path
from typing import Any, Callable

from .sentences import normalize_for_model

# Small enough to build in seconds on 2 CPU cores, big enough to memorise ~30 sentence pairs exactly.
D_MODEL = 128
LAYERS = 2
HEADS = 4
FFN = 256
MAX_POSITIONS = 512
# Training stops as soon as every pair decodes exactly; this caps it if something is wrong.
MAX_STEPS = 1500
CHECK_EVERY = 50
LEARNING_RATE = 3e-3
SEED = 1234
# The tiny models decode with beam search so that tests exercise the same path as opus-mt-zh-en (6 beams).
TEST_MODEL_BEAMS = 3


def parallel_set() -> list[tuple[str, str]]:
    """The (model input, English) pairs the memorizing model learns."""
    text = resources.files("pipeline.data").joinpath("memorize.tsv").read_text(encoding="utf-8")
    pairs = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            zh, en = line.split("\t")
            pairs.append((normalize_for_model(zh), en.strip()))
    return pairs


def _train_spm(lines: list[str], vocab_size: int) -> bytes:
    import sentencepiece as spm

    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_writer=buf, vocab_size=vocab_size, model_type="unigram",
        character_coverage=1.0, hard_vocab_limit=False, unk_id=0, bos_id=-1, eos_id=-1, pad_id=-1,
        minloglevel=2, num_threads=1,
    )
    return buf.getvalue()


def _pieces(model: bytes) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=model)
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def build_tokenizer_files(out: Path, source_lines: list[str], target_lines: list[str]) -> int:
    """Write source.spm, target.spm, vocab.json and tokenizer_config.json; returns the vocabulary size."""
    out.mkdir(parents=True, exist_ok=True)
    src = _train_spm(source_lines, 1200)
    tgt = _train_spm(target_lines, 400)
    (out / "source.spm").write_bytes(src)
    (out / "target.spm").write_bytes(tgt)
    vocab = {"</s>": 0, "<unk>": 1}
    for piece in _pieces(src) + _pieces(tgt):
        if piece not in vocab and piece != "<unk>":
            vocab[piece] = len(vocab)
    vocab["<pad>"] = len(vocab)
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=0), encoding="utf-8")
    (out / "tokenizer_config.json").write_text(json.dumps({
        "source_lang": "zh", "target_lang": "en", "model_max_length": MAX_POSITIONS,
        "tokenizer_class": "MarianTokenizer", "separate_vocabs": False,
    }), encoding="utf-8")
    return len(vocab)


def _source_corpus() -> list[str]:
    """Chinese text for the source tokenizer: the parallel set plus the seed page, so the demo has few unknowns."""
    lines = [zh for zh, _ in parallel_set()]
    seed = resources.files("pipeline.data").joinpath("seed-page.txt")
    if seed.is_file():
        lines += [normalize_for_model(x) for x in seed.read_text(encoding="utf-8").splitlines() if x.strip()]
    return lines


def make_test_model(out: Path, memorize: bool = True, progress: Callable[..., Any] | None = None) -> Path:
    """Build the tiny model in `out` (memorizing unless `memorize` is False) and return `out`."""
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    torch.manual_seed(SEED)
    random.seed(SEED)
    out = Path(out)
    pairs = parallel_set()
    vocab_size = build_tokenizer_files(out, _source_corpus(), [en for _, en in pairs])
    tok = MarianTokenizer.from_pretrained(str(out))
    config = MarianConfig(
        vocab_size=vocab_size, d_model=D_MODEL, encoder_layers=LAYERS, decoder_layers=LAYERS,
        encoder_attention_heads=HEADS, decoder_attention_heads=HEADS, encoder_ffn_dim=FFN, decoder_ffn_dim=FFN,
        max_position_embeddings=MAX_POSITIONS, activation_function="swish", dropout=0.0, attention_dropout=0.0,
        pad_token_id=vocab_size - 1, decoder_start_token_id=vocab_size - 1, eos_token_id=0,
        forced_eos_token_id=0, scale_embedding=True, share_encoder_decoder_embeddings=True,
    )
    model = MarianMTModel(config)
    if memorize:
        _memorize(model, tok, pairs, progress)
    model.generation_config = GenerationConfig(
        num_beams=TEST_MODEL_BEAMS, max_length=MAX_POSITIONS, pad_token_id=vocab_size - 1,
        decoder_start_token_id=vocab_size - 1, eos_token_id=0, forced_eos_token_id=0,
        bad_words_ids=[[vocab_size - 1]],
    )
    model.save_pretrained(str(out))
    tok.save_pretrained(str(out))
    (out / "README.md").write_text(
        "Tiny Marian zh→en test model built by `pipeline model make-test-model`"
        f" ({'memorizing' if memorize else 'random weights'}). Its English is meaningless except, for the"
        " memorizing variant, on the sentences of pipeline/data/memorize.tsv.\n", encoding="utf-8")
    return out


def _memorize(model: Any, tok: Any, pairs: list[tuple[str, str]], progress: Callable[..., Any] | None = None) -> None:
    import torch

    batch = tok([zh for zh, _ in pairs], text_target=[en for _, en in pairs], return_tensors="pt", padding=True)
    labels = batch["labels"].clone()
    labels[labels == tok.pad_token_id] = -100
    optim = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE, weight_decay=0.0)
    expected = [en for _, en in pairs]
    for step in range(1, MAX_STEPS + 1):
        model.train()
        loss = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"], labels=labels).loss
        loss.backward()
        optim.step()
        optim.zero_grad()
        if step % CHECK_EVERY == 0:
            model.eval()
            with torch.inference_mode():
                gen = model.generate(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"],
                                     num_beams=1, max_new_tokens=96)
            got = tok.batch_decode(gen, skip_special_tokens=True)
            if progress:
                progress(step, float(loss), sum(g == e for g, e in zip(got, expected)), len(expected))
            if got == expected:
                return
    raise RuntimeError("the tiny model did not memorise its parallel set; raise MAX_STEPS")
