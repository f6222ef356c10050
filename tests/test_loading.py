"""quotecraft.nlp.loading.load_stanza: error paths and the official-model path, without the full model.

The only model ever loaded here is a small tokenizer (the shipped embedded one, or a
local probe build), copied into a temporary directory laid out like Stanza's own
resources folder; tests that need it are skipped when neither is present.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from quotecraft.nlp import loading
from quotecraft.nlp.loading import KNOWN_MODELS, load_stanza
from quotecraft.errors import ModelError
from quotecraft.nlp.paths import MODEL_FILES, PACKAGE_MODEL_DIR

ROOT = Path(__file__).resolve().parent.parent
TOKENIZER_CANDIDATES = [
    PACKAGE_MODEL_DIR / MODEL_FILES["tokenize"],  # the shipped embedded tokenizer
    ROOT / "build" / "probe" / "out" / MODEL_FILES["tokenize"],  # a local probe build (not committed)
]
TWO_SENTENCES = "Hello there. How are you?"


def _tokenizer() -> Path | None:
    for p in TOKENIZER_CANDIDATES:
        if p.is_file() and p.stat().st_size > 0:
            return p
    return None


needs_tokenizer = pytest.mark.skipif(_tokenizer() is None, reason="no tokenizer model on disk (embedded model not built)")


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch):
    """Each test starts with an empty pipeline cache, and leaves the real one alone."""
    monkeypatch.setattr(loading, "_cache", {})


def make_official_dir(root: Path, package: str = "combined", with_model: bool = True) -> Path:
    """A minimal Stanza resources folder for English with one tokenize package."""
    root.mkdir(parents=True, exist_ok=True)
    resources = {
        "en": {
            "lang_name": "English",
            "tokenize": {package: {}},
            "default_processors": {"tokenize": package},
            "packages": {"default": {"tokenize": package}},
        }
    }
    (root / "resources.json").write_text(json.dumps(resources), encoding="utf-8")
    tok_dir = root / "en" / "tokenize"
    tok_dir.mkdir(parents=True, exist_ok=True)
    if with_model:
        src = _tokenizer()
        assert src is not None
        shutil.copyfile(src, tok_dir / f"{package}.pt")
    return root


@pytest.fixture(scope="module")
def official_dir(tmp_path_factory) -> Path:
    if _tokenizer() is None:
        pytest.skip("no tokenizer model on disk")
    return make_official_dir(tmp_path_factory.mktemp("stanza_resources"))


@pytest.fixture(scope="module")
def embedded_tok_dir(tmp_path_factory) -> Path:
    """An embedded-layout model folder holding only the tokenizer."""
    src = _tokenizer()
    if src is None:
        pytest.skip("no tokenizer model on disk")
    d = tmp_path_factory.mktemp("embedded")
    shutil.copyfile(src, d / MODEL_FILES["tokenize"])
    return d


def n_sentences(pipeline, text: str = TWO_SENTENCES) -> int:
    return len(pipeline(text).sentences)


# ------------------------------------------------------------------- argument errors (no Stanza import needed)
def test_unknown_model_lists_known_models():
    with pytest.raises(ModelError) as ei:
        load_stanza("spacy")
    msg = str(ei.value)
    assert "'spacy'" in msg
    assert "embedded" in msg and "stanza" in msg
    assert KNOWN_MODELS == ("embedded", "fast", "minilm", "stanza")


def test_model_error_is_runtime_error():
    assert issubclass(ModelError, RuntimeError)


@pytest.mark.parametrize("processors", ["tokenize,ner", "sentiment", "tokenize, pos, constituency"])
def test_unknown_processor(processors):
    with pytest.raises(ModelError, match="unknown processor"):
        load_stanza(processors=processors)
    with pytest.raises(ModelError, match="unknown processor"):
        load_stanza("stanza", processors=processors)


# ------------------------------------------------------------------- embedded model errors
def test_empty_model_dir_names_missing_file(tmp_path):
    with pytest.raises(ModelError) as ei:
        load_stanza(model_dir=tmp_path)
    msg = str(ei.value)
    assert str(tmp_path / MODEL_FILES["tokenize"]) in msg
    assert "missing" in msg
    assert "quotecraft.train stanza" in msg


def test_missing_file_for_requested_processor_only(tmp_path):
    (tmp_path / MODEL_FILES["tokenize"]).write_bytes(b"not used")
    with pytest.raises(ModelError) as ei:
        load_stanza(model_dir=tmp_path, processors="tokenize,pos")
    assert str(tmp_path / MODEL_FILES["pos"]) in str(ei.value)
    assert "quotecraft.train stanza" in str(ei.value)


def test_corrupt_model_files(tmp_path):
    for name in MODEL_FILES.values():
        (tmp_path / name).write_bytes(b"\x00garbage, not a torch file\xff" * 4)
    with pytest.raises(ModelError) as ei:
        load_stanza(model_dir=tmp_path, cache=False)
    msg = str(ei.value)
    assert str(tmp_path / MODEL_FILES["tokenize"]) in msg
    assert "cannot be read" in msg and "quotecraft.train stanza" in msg


@pytest.mark.parametrize("proc", list(MODEL_FILES))
def test_corrupt_model_file_is_named(tmp_path, proc):
    (tmp_path / MODEL_FILES[proc]).write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(ModelError) as ei:
        load_stanza(model_dir=tmp_path, processors=proc, cache=False)
    assert str(tmp_path / MODEL_FILES[proc]) in str(ei.value)


# ------------------------------------------------------------------- official model errors
def test_official_empty_resources_dir_env(tmp_path, monkeypatch):
    monkeypatch.setenv("STANZA_RESOURCES_DIR", str(tmp_path))
    with pytest.raises(ModelError) as ei:
        load_stanza("stanza")
    msg = str(ei.value)
    assert "STANZA_RESOURCES_DIR" in msg
    assert str(tmp_path) in msg
    assert "embedded" in msg  # points at the model that needs no download


def test_official_default_dir_is_home(tmp_path, monkeypatch):
    monkeypatch.delenv("STANZA_RESOURCES_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    with pytest.raises(ModelError) as ei:
        load_stanza("stanza", processors="tokenize")
    assert str(tmp_path / "stanza_resources") in str(ei.value)


def test_official_model_dir_without_language_folder(tmp_path):
    (tmp_path / "resources.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ModelError, match="STANZA_RESOURCES_DIR"):
        load_stanza("stanza", model_dir=tmp_path)


def test_official_missing_model_file_is_model_error(tmp_path):
    d = make_official_dir(tmp_path / "res", with_model=False)
    with pytest.raises(ModelError, match="could not build the stanza"):
        load_stanza("stanza", processors="tokenize", model_dir=d)


def test_official_errors_are_not_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("STANZA_RESOURCES_DIR", str(tmp_path))
    for _ in range(2):
        with pytest.raises(ModelError):
            load_stanza("stanza", processors="tokenize")
    assert loading._cache == {}


# ------------------------------------------------------------------- official model, real loader
@needs_tokenizer
def test_official_model_dir_builds_working_pipeline(official_dir):
    p = load_stanza("stanza", processors="tokenize", model_dir=official_dir)
    doc = p(TWO_SENTENCES)
    assert len(doc.sentences) == 2
    assert [t.text for t in doc.sentences[0].tokens] == ["Hello", "there", "."]
    assert p.config["tokenize_model_path"] == str(official_dir / "en" / "tokenize" / "combined.pt")


@needs_tokenizer
def test_official_model_from_env(official_dir, monkeypatch):
    monkeypatch.setenv("STANZA_RESOURCES_DIR", str(official_dir))
    p = load_stanza("stanza", processors="tokenize")
    assert n_sentences(p) == 2
    assert p.processors.keys() == {"tokenize"}


@needs_tokenizer
def test_official_cache(official_dir):
    a = load_stanza("stanza", processors="tokenize", model_dir=official_dir)
    assert load_stanza("stanza", processors="tokenize", model_dir=official_dir) is a
    b = load_stanza("stanza", processors="tokenize", model_dir=official_dir, cache=False)
    assert b is not a
    assert n_sentences(b) == 2
    # cache=False neither reads nor replaces the cached pipeline
    assert load_stanza("stanza", processors="tokenize", model_dir=official_dir) is a


@needs_tokenizer
def test_overrides_reach_stanza_and_key_the_cache(official_dir):
    a = load_stanza("stanza", processors="tokenize", model_dir=official_dir)
    c = load_stanza("stanza", processors="tokenize", model_dir=official_dir, tokenize_no_ssplit=True)
    assert c is not a
    assert n_sentences(c) == 1
    assert n_sentences(a) == 2


@needs_tokenizer
def test_cache_follows_stanza_resources_dir(official_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("STANZA_RESOURCES_DIR", str(official_dir))
    load_stanza("stanza", processors="tokenize")
    monkeypatch.setenv("STANZA_RESOURCES_DIR", str(tmp_path))  # an empty folder
    with pytest.raises(ModelError):
        load_stanza("stanza", processors="tokenize")


# ------------------------------------------------------------------- embedded layout, tokenizer only
@needs_tokenizer
def test_embedded_model_dir_tokenizer_only(embedded_tok_dir):
    a = load_stanza(model_dir=embedded_tok_dir, processors="tokenize")
    assert n_sentences(a) == 2
    assert load_stanza(model_dir=embedded_tok_dir, processors="tokenize") is a
    assert load_stanza(model_dir=str(embedded_tok_dir), processors="tokenize") is a
    assert load_stanza(model_dir=embedded_tok_dir, processors="tokenize", cache=False) is not a
