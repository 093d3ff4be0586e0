"""Model resolution and `model pull`: clear errors, no hang when offline."""

from __future__ import annotations

import pytest

from pipeline.errors import ModelDownloadError, ModelNotFoundError
from pipeline.translate.models import (
    local_name,
    looks_like_path,
    pull_model,
    resolve_model,
)


def test_local_name():
    assert local_name("Helsinki-NLP/opus-mt-zh-en") == "opus-mt-zh-en"


def test_resolve_prefers_an_existing_directory(random_model, tmp_path):
    assert resolve_model(str(random_model), tmp_path) == random_model


def test_resolve_finds_models_dir_by_name(random_model, tmp_path):
    import shutil

    shutil.copytree(random_model, tmp_path / "opus-mt-zh-en")
    assert resolve_model("Helsinki-NLP/opus-mt-zh-en", tmp_path) == tmp_path / "opus-mt-zh-en"


def test_missing_model_names_pull_and_model_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "cache"))
    with pytest.raises(ModelNotFoundError) as err:
        resolve_model("Helsinki-NLP/opus-mt-zh-en", tmp_path)
    msg = str(err.value)
    assert "pipeline model pull Helsinki-NLP/opus-mt-zh-en" in msg and "--model DIR" in msg


def test_a_folder_without_config_is_refused(tmp_path):
    with pytest.raises(ModelNotFoundError, match="no config.json"):
        resolve_model(str(tmp_path), tmp_path)


def test_pull_fails_with_one_clear_sentence_when_the_hub_is_unreachable(tmp_path, monkeypatch):
    # Port 9 on loopback refuses at once: the same failure as a machine with no route to the hub.
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    with pytest.raises(ModelDownloadError) as err:
        pull_model("Helsinki-NLP/opus-mt-zh-en", tmp_path)
    msg = str(err.value)
    assert msg.startswith("Could not download Helsinki-NLP/opus-mt-zh-en")
    assert "\n" not in msg
    assert not (tmp_path / "opus-mt-zh-en").exists()


def test_pull_respects_hf_hub_offline(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelDownloadError, match="HF_HUB_OFFLINE"):
        pull_model("Helsinki-NLP/opus-mt-zh-en", tmp_path)


def test_pull_is_a_no_op_when_the_model_is_already_there(random_model, tmp_path):
    import shutil

    shutil.copytree(random_model, tmp_path / "opus-mt-zh-en")
    assert pull_model("Helsinki-NLP/opus-mt-zh-en", tmp_path) == tmp_path / "opus-mt-zh-en"


@pytest.mark.parametrize("model, path", [("Helsinki-NLP/opus-mt-zh-en", False), ("opus-mt-zh-en", False),
                                         ("models/nope", True), ("./nope", True), ("/abs/nope", True),
                                         ("~/nope", True), ("a/b/c", True), ("nope/", True)])
def test_what_looks_like_a_folder(model, path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "models").mkdir()
    assert looks_like_path(model) is path


def test_a_missing_folder_is_said_to_not_exist(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "models").mkdir()
    for model in ("models/nope", str(tmp_path / "nope")):
        with pytest.raises(ModelNotFoundError) as err:
            resolve_model(model, tmp_path / "models")
        assert str(err.value).startswith(f"The model folder {model} does not exist")
        assert "pipeline model pull " + model not in str(err.value)
