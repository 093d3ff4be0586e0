"""Translation through real MarianMT checkpoints (the tiny models): batching, sorting, dedup, restore by id."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from pipeline.document import Article, Page, Paragraph, Sentence
from pipeline.testmodel import parallel_set
from pipeline.translate import translate_page
from pipeline.translate.base import CPU_MAX_BATCH_SENTENCES, cpu_workers
from pipeline.translate.marian import TransformersTranslator, batches_by_tokens, decoding_batches, run_parallel


# The seed page's sentences as split by hand (tests/data/seed_sentences.tsv), the first 40.
SEED_SENTENCES = [sentence.replace("\\n", "")
                  for line in (Path(__file__).parent / "data" / "seed_sentences.tsv").read_text("utf-8").splitlines()
                  if line and not line.startswith("#")
                  for sentence in line.split("\t", 1)[1].split("‖")][:40]


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
    assert calls.model_inputs == 6 and calls.cache_hits is None
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


@pytest.mark.parametrize(
    "lengths, budget, max_items, expected",
    [
        ([10, 10, 10, 10, 10], 1000, 2, [[0, 1], [2, 3], [4]]),
        ([3, 9, 3, 3], 1000, 3, [[1, 0, 2], [3]]),
        ([3, 9, 3, 3], 20, 3, [[1, 0], [2, 3]]),
    ],
)
def test_batches_are_also_capped_in_sentences(lengths, budget, max_items, expected):
    assert batches_by_tokens(lengths, budget, max_items) == expected


@pytest.mark.parametrize(
    "lengths, beams, max_sentences, expected",
    [
        # 96 hypotheses at beam 6 = 16 sentences per batch
        ([5] * 40, 6, None, [list(range(0, 16)), list(range(16, 32)), list(range(32, 40))]),
        ([5] * 40, 6, 16, [list(range(0, 16)), list(range(16, 32)), list(range(32, 40))]),
        # at beam 1 the CPU's 16-sentence cap splits a 32-input progress slice in two, one batch per worker
        ([5] * 32, 1, None, [list(range(32))]),
        ([5] * 32, 1, 16, [list(range(16)), list(range(16, 32))]),
        # at beam 8, 96 hypotheses = 12 sentences: the tighter of the two caps wins
        ([5] * 20, 8, 16, [list(range(12)), list(range(12, 20))]),
        ([9, 3, 7, 5], 1, 16, [[0, 2, 3, 1]]),
    ],
)
def test_decoding_batches_are_capped_in_hypotheses_and_sentences(lengths, beams, max_sentences, expected):
    assert decoding_batches(lengths, 1024, beams, max_sentences) == expected


@pytest.mark.parametrize(
    "cores, expected",
    [(1, (1, 1)), (2, (2, 1)), (3, (2, 2)), (8, (2, 4)), (16, (2, 8)), (64, (2, 32))],
)
def test_cpu_cores_become_two_workers_then_threads(cores, expected):
    assert cpu_workers(cores) == expected


@pytest.mark.parametrize("cores", [1, 3])
def test_parallel_workers_give_each_sentence_its_own_english(memorizing_model, cores):
    """Batches decoded on parallel worker threads come back to their own sentences, in order."""
    pairs = parallel_set()
    random.Random(5).shuffle(pairs)
    tr = TransformersTranslator(memorizing_model, device="cpu", cores=cores, max_batch_tokens=40)
    assert (tr.workers, tr.threads) == cpu_workers(cores)
    assert tr.max_batch_sentences == CPU_MAX_BATCH_SENTENCES
    assert [r.text for r in tr.translate([zh for zh, _ in pairs])] == [en for _, en in pairs]
    assert tr.model_inputs == len(pairs)


def test_the_english_does_not_depend_on_the_number_of_cores(memorizing_model):
    """Same batches on every machine and Ray actor: even English the model is unsure of (sentences it never
    memorized, where padding decides between near-equal words) comes out the same on 1, 2 and 5 cores."""
    unknown = [s for s in SEED_SENTENCES if s not in dict(parallel_set())]
    sources = [zh for zh, _ in parallel_set()] + unknown
    assert len(unknown) >= 20 and len(sources) > 2 * CPU_MAX_BATCH_SENTENCES
    outputs = [[r.text for r in TransformersTranslator(memorizing_model, device="cpu", cores=cores).translate(sources)]
               for cores in (1, 2, 5)]
    assert outputs[0] == outputs[1] == outputs[2]


def test_an_error_in_one_worker_cancels_the_batches_not_started():
    started = []

    def job(i):
        started.append(i)
        if i == 0:
            raise RuntimeError("batch 0 failed")
        time.sleep(0.3)
        return i

    with pytest.raises(RuntimeError, match="batch 0 failed"):
        list(run_parallel(job, list(range(20)), 2))
    assert 0 in started and len(started) <= 4


# --- guards -------------------------------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from pipeline.translate.base import Decoding, TranslationResult  # noqa: E402
from pipeline.translate.guards import (  # noqa: E402
    EMPTY, REPETITION, RETRIED, repeated_fragment, runaway, translate_checked,
)
from pipeline.translate.pieces import join_pieces, split_for_model  # noqa: E402


@pytest.mark.parametrize(
    "text, loops",
    [
        ("industry industry industry chain", True),
        ("S S S S S S S S S S S S Sand", True),
        ("build agn into a situation industry industry industry chainainainainainain", True),
        ("the development of the city the development of the city", True),
        ("提供提供提供提供提供提供", True),
        ("Party the the the the the the the Sunwoda", True),
        ("进进进户户户革革革助力助力助力等等等方向方向方向", True),  # what the random model says with trigrams banned
        ("www.example.com: hahaha, Mississippi, 100,000,000 yuan", False),
        ("Striving to turn the golden season of autumn construction into a harvest season", False),
        ("Among them, 3 projects are worth more than 5 billion yuan and 22 projects more than 1 billion yuan.", False),
        ("The total investment is 1000000000 yuan.", False),
        ("Step by step, very, very carefully...", False),
        ("Wait!!! It is done.", False),
        ("", False),
    ],
)
def test_repeated_fragment(text, loops):
    assert bool(repeated_fragment(text)) is loops


def test_runaway_is_output_cut_off_at_the_length_cap():
    dec = Decoding(beams=1)
    assert dec.length_cap(10) == 10 * 3 + 16
    assert Decoding(beams=1).length_cap(400, 512) == 511  # never past the position table
    assert runaway(TranslationResult("x", 10, 46, ended=False), dec)
    assert not runaway(TranslationResult("x", 10, 46, ended=True), dec)
    assert not runaway(TranslationResult("x", 10, 46, ended=False), dec.with_(min_new_tokens=46, max_new_tokens=46))


def test_looping_output_is_retried_once_and_flagged_if_it_persists(random_model):
    # The random tiny model loops ("提供提供…") until the length cap: a real decoder failure, not a fake.
    tr = TransformersTranslator(random_model, device="cpu", beams=1)
    sources = [zh for zh, _ in parallel_set()[:4]]
    first = tr.translate(sources)
    assert all(repeated_fragment(r.text) or runaway(r, tr.decoding) for r in first)
    checked = translate_checked(tr, sources)
    assert tr.model_inputs == 3 * len(sources)  # the first call above, the checked call, and one retry each
    for before, after in zip(first, checked):
        assert RETRIED in after.notes
        assert after.text != before.text  # the retry really decoded differently (no repeated trigrams)
        assert (REPETITION in after.notes) == bool(repeated_fragment(after.text) or not after.ended)
    assert any(REPETITION in r.notes for r in checked)  # random weights keep looping: flagged, not hidden


def test_memorized_output_passes_the_guards_untouched(memorizing_translator):
    sources = [zh for zh, _ in parallel_set()]
    before = memorizing_translator.model_inputs
    results = translate_checked(memorizing_translator, sources)
    assert memorizing_translator.model_inputs - before == len(sources)  # no retries
    assert [r.text for r in results] == [en for _, en in parallel_set()]
    assert all(not r.notes for r in results)


def _biased_model(random_model, tmp_path, biases: dict[str, float]):
    """The random tiny model with its output bias pushed towards some tokens: a real checkpoint that answers
    with an end token (or with <unk>) first."""
    import shutil

    from transformers import MarianMTModel, MarianTokenizer

    out = tmp_path / "biased"
    shutil.copytree(random_model, out)
    model = MarianMTModel.from_pretrained(str(out))
    tok = MarianTokenizer.from_pretrained(str(out))
    for token, bias in biases.items():
        model.final_logits_bias[0, tok.convert_tokens_to_ids(token)] = bias
    model.save_pretrained(str(out))
    return out


def test_empty_output_is_retried_with_a_minimum_length(random_model, tmp_path):
    tr = TransformersTranslator(_biased_model(random_model, tmp_path, {"</s>": 100.0}), device="cpu", beams=1)
    src = "锂电池新能源是枣庄首位发展的产业。"
    (first,) = tr.translate([src])
    assert first.text == ""
    (checked,) = translate_checked(tr, [src])
    assert checked.text and checked.notes[-1] == RETRIED and EMPTY not in checked.notes


def test_empty_output_that_stays_empty_is_flagged(random_model, tmp_path):
    # After the end token, <unk> (which decodes to nothing) is the model's favourite.
    tr = TransformersTranslator(_biased_model(random_model, tmp_path, {"</s>": 100.0, "<unk>": 90.0}),
                                device="cpu", beams=1)
    page, sent = _one_sentence_page("锂电池新能源是枣庄首位发展的产业。")
    translate_page(page, tr)
    assert sent.en == "" and "empty" in sent.flags


# --- flags on the page ---------------------------------------------------------------------------------------


def _one_sentence_page(zh: str):
    sent = Sentence("a01-p01-s01", zh, (0, len(zh)), source=zh)
    art = Article("a01", paragraphs=[Paragraph("a01-p01", (0, len(zh)), [sent])])
    return Page(text=zh, items=[art]), sent


def test_correct_figures_are_not_flagged(memorizing_translator):
    page, sent = _one_sentence_page("此次集中开工项目6个,总投资29.43亿元。")
    translate_page(page, memorizing_translator)
    assert sent.en == "Six projects started construction this time, with a total investment of 2.943 billion yuan."
    assert sent.flags == []


def test_wrong_figures_are_flagged_with_the_numbers(memorizing_translator):
    # Not in the memorized set: the tiny model answers with some memorized sentence, whose figures differ.
    page, sent = _one_sentence_page("此次集中开工项目7个,总投资57.2亿元。")
    translate_page(page, memorizing_translator)
    assert "number_mismatch" in sent.flags
    assert "57.2亿" in sent.flag_details["number_mismatch"]


def test_chinese_left_in_the_english_is_flagged_untranslated(random_model):
    tr = TransformersTranslator(random_model, device="cpu", beams=1)
    page, sent = _one_sentence_page("快就是大局!")
    translate_page(page, tr)
    assert "untranslated" in sent.flags and "repetition" in sent.flags
    assert all(ch in sent.en for ch in sent.flag_details["untranslated"])


# --- long sentences ------------------------------------------------------------------------------------------


def _chars(text: str) -> int:
    return len(text) + 1  # a stand-in tokenizer: one token per character plus the end token


@pytest.mark.parametrize(
    "text, limit, pieces",
    [
        ("短句。", 10, ["短句。"]),
        ("甲甲甲；乙乙乙；丙丙丙。", 9, ["甲甲甲；乙乙乙；", "丙丙丙。"]),
        ("甲甲甲，乙乙乙；丙丙丙，丁丁丁。", 10, ["甲甲甲，乙乙乙；", "丙丙丙，丁丁丁。"]),
        ("甲甲甲甲甲，乙乙乙；丙丙丙：丁丁丁。", 8, ["甲甲甲甲甲，", "乙乙乙；", "丙丙丙：", "丁丁丁。"]),
        ("甲甲甲、乙乙乙、丙丙丙", 7, ["甲甲甲、", "乙乙乙、", "丙丙丙"]),
        ("甲甲甲、乙乙乙、丙丙丙", 8, ["甲甲甲、", "乙乙乙、丙丙丙"]),
        ("甲" * 25, 10, ["甲" * 9, "甲" * 9, "甲" * 7]),
        ("甲" * 6 + "abc123" + "乙" * 6, 10, ["甲" * 6, "abc123乙乙乙", "乙乙乙"]),
        ("他说：“好；走；”然后，；；走了。", 8, ["他说：“好；", "走；”", "然后，；；", "走了。"]),
    ],
)
def test_split_for_model(text, limit, pieces):
    assert split_for_model(text, _chars, limit) == pieces


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="甲乙丙丁戊abc1.，；：、。", max_size=300), st.integers(min_value=3, max_value=40))
def test_pieces_fit_and_lose_nothing(text, limit):
    pieces = split_for_model(text, _chars, limit)
    assert "".join(pieces) == text
    assert all(_chars(p) <= limit for p in pieces)
    assert all(pieces) or text == ""


@pytest.mark.parametrize(
    "zh, en, joined",
    [
        (["甲，", "乙。"], ["First.", "Second."], "First, Second."),
        (["甲；", "乙：", "丙"], ["One", "Two.", "Three"], "One; Two: Three"),
        (["甲，", "乙"], ["Wait...", "go"], "Wait..., go"),
        (["甲", "乙"], ["A.", "B."], "A. B."),
        (["甲，", "乙"], ["", "B."], "B."),
    ],
)
def test_join_pieces(zh, en, joined):
    assert join_pieces(zh, en) == joined


def test_a_2000_character_sentence_is_translated_in_pieces_into_one_sentence(memorizing_model, tmp_path):
    from pipeline.translate import CachedTranslator, TranslationMemory, translate_texts
    from pipeline.translate.pieces import MAX_SOURCE_TOKENS

    memory = TranslationMemory(tmp_path / "tm.sqlite3")
    memorizing_translator = CachedTranslator(TransformersTranslator(memorizing_model, device="cpu", beams=1),  # greedy
                                             memory)

    clauses = [zh.rstrip("。!?") for zh, _ in parallel_set()]
    long = ""
    i = 0
    while len(long) < 2000:
        long += clauses[i % len(clauses)] + "，"
        i += 1
    long = long[:-1] + "。"
    assert len(long) >= 2000 and memorizing_translator.count_tokens(long) > 4 * MAX_SOURCE_TOKENS
    page, sent = _one_sentence_page(long)
    translate_page(page, memorizing_translator)
    pieces = split_for_model(long, memorizing_translator.count_tokens)
    assert len(pieces) >= 5 and "".join(pieces) == long
    assert all(memorizing_translator.count_tokens(p) <= MAX_SOURCE_TOKENS for p in pieces)
    assert "split_for_translation" in sent.flags
    assert sent.flag_details["split_for_translation"] == [f"{len(pieces)} pieces"]
    # The pieces are what went to the model (the memory holds exactly them), and each one's English is in the one
    # sentence, in order: nothing truncated or dropped.
    results, calls = translate_texts(memorizing_translator, pieces)
    assert calls == 0 and len(memory) == len(set(pieces))
    english = [r.text for r in results]
    assert sent.en == join_pieces(pieces, english)
    assert all(e.rstrip(".,;:") in sent.en for e in english)
