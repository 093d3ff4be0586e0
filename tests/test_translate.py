"""Translation through real MarianMT checkpoints (the tiny models): batching, sorting, dedup, restore by id."""

from __future__ import annotations

import random

import pytest

from pipeline.document import Article, Page, Paragraph, Sentence
from pipeline.testmodel import parallel_set
from pipeline.translate import translate_page
from pipeline.translate.marian import TransformersTranslator, batches_by_tokens


def test_memorizing_model_returns_each_sentence_its_own_english(memorizing_translator):
    pairs = parallel_set()
    assert len(pairs) >= 20
    shuffled = pairs[:]
    random.Random(7).shuffle(shuffled)
    results = memorizing_translator.translate([zh for zh, _ in shuffled])
    assert [r.text for r in results] == [en for _, en in shuffled]
    assert all(r.source_tokens > 0 and r.target_tokens > 0 for r in results)


def test_translate_page_restores_by_id_and_translates_duplicates_once(memorizing_translator):
    pairs = parallel_set()[:6]
    # Each pair twice, in two paragraphs, in reverse order the second time: 12 sentences, 6 model inputs.
    text = "".join(zh for zh, _ in pairs) + "\n" + "".join(zh for zh, _ in reversed(pairs))
    sentences, pos = [], 0
    for p, group in enumerate([pairs, list(reversed(pairs))], start=1):
        for s, (zh, _) in enumerate(group, start=1):
            sentences.append((f"a01-p{p:02d}-s{s:02d}", zh, (pos, pos + len(zh))))
            pos += len(zh)
        pos += 1
    art = Article("a01")
    for p in (1, 2):
        sents = [Sentence(i, zh, span, source=zh) for i, zh, span in sentences if i.startswith(f"a01-p{p:02d}")]
        art.paragraphs.append(Paragraph(f"a01-p{p:02d}", (sents[0].span[0], sents[-1].span[1]), sents))
    page = Page(text=text, items=[art])
    calls = translate_page(page, memorizing_translator)
    assert calls == 6
    english = dict(pairs)
    for sent in art.sentences():
        assert sent.en == english[sent.zh], sent.id


def test_random_model_loads_through_the_same_path_and_caps_output_length(random_model):
    tr = TransformersTranslator(random_model, device="cpu", beams=1)
    src = "锂电池新能源是枣庄首位发展的产业。"
    (res,) = tr.translate([src])
    limit = int(tr.count_tokens(src) * tr.decoding.max_length_ratio) + tr.decoding.max_length_slack
    assert 0 < res.target_tokens <= limit + 1


def test_beams_default_comes_from_the_generation_config(memorizing_model):
    from pipeline.testmodel import TEST_MODEL_BEAMS

    assert TransformersTranslator(memorizing_model, device="cpu").decoding.beams == TEST_MODEL_BEAMS
    assert TransformersTranslator(memorizing_model, device="cpu", beams=1).decoding.beams == 1


@pytest.mark.parametrize(
    "lengths, budget, expected",
    [
        ([5, 50, 10], 100, [[1, 2], [0]]),
        ([5, 50, 10], 90, [[1], [2, 0]]),
        ([10, 10, 10, 10], 40, [[0, 1, 2, 3]]),
        ([10, 10, 10, 10], 30, [[0, 1, 2], [3]]),
        ([300], 100, [[0]]),
    ],
)
def test_batches_by_tokens_sorts_longest_first_and_respects_the_budget(lengths, budget, expected):
    assert batches_by_tokens(lengths, budget) == expected
