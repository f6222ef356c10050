"""Load the Stanza pipeline: quotecraft's embedded English models, or Stanza's official one.

Nothing here touches the network: the embedded models ship inside the package,
and the official models are used only where the user already has them.

* ``embedded``: the compact model (Stanza's own architecture, no pretrained vectors).
* ``minilm``: the compact model's tokenizer, MWT expander and lemmatizer, with the
  tagger and parser of `quotecraft.nlp.tagparse` (frozen all-MiniLM-L6-v2 features under a
  small BiLSTM); needs the encoder of the ``learned`` extra.
* ``stanza``: Stanza's official English models, where the user has them.
"""
from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any

from ..errors import ModelError
from .paths import MINILM_FILE, MINILM_MODEL_DIR, MODEL_FILES, PACKAGE_MODEL_DIR

__all__ = ["load_stanza", "model_folder", "ModelError", "KNOWN_MODELS", "DEFAULT_PROCESSORS", "MINILM_MODEL_DIR"]

DEFAULT_PROCESSORS = "tokenize,mwt,pos,lemma,depparse"
KNOWN_MODELS = ("embedded", "fast", "minilm", "stanza")
REBUILD_HINT = "rebuild it with `python -m quotecraft.train stanza --ud-dir PATH/TO/ud` (see MODEL_CARD.md)"

_cache: dict[tuple, Any] = {}
_cache_lock = threading.Lock()



def _stanza_resources_dir() -> Path:
    return Path(os.environ.get("STANZA_RESOURCES_DIR") or Path.home() / "stanza_resources")


def model_folder(model: str, model_dir: str | os.PathLike[str] | None = None) -> Path:
    """The folder ``load_stanza(model, model_dir=...)`` reads its own weights from.

    ``fast`` and ``minilm`` also read the compact model's tokenizer (and lemmatizer) from
    `PACKAGE_MODEL_DIR`."""
    if model_dir:
        return Path(model_dir)
    from .fastparse import FAST_MODEL_DIR

    return {"embedded": PACKAGE_MODEL_DIR, "fast": FAST_MODEL_DIR, "minilm": MINILM_MODEL_DIR}.get(model) \
        or _stanza_resources_dir()


def _embedded_kwargs(model_dir: Path, processors: list[str]) -> dict[str, Any]:
    kwargs: dict[str, Any] = {
        "lang": "en",
        "dir": str(model_dir),
        # An empty resources.json (shipped in the package): Stanza then loads exactly
        # the paths given below and never looks for (or downloads) its own catalogue.
        "resources_filepath": str(PACKAGE_MODEL_DIR / "resources.json"),
        "allow_unknown_language": True,
        "download_method": None,
    }
    for proc in processors:
        path = model_dir / MODEL_FILES[proc]
        if not path.is_file():
            raise ModelError(f"embedded model file for '{proc}' is missing: {path}; {REBUILD_HINT}")
        kwargs[f"{proc}_model_path"] = str(path)
    if "pos" in processors:
        kwargs["pos_pretrain_path"] = None
    if "depparse" in processors:
        kwargs["depparse_pretrain_path"] = None
    return kwargs


def _minilm_kwargs(tagparse_dir: Path, processors: list[str]) -> dict[str, Any]:
    """The compact model for tokenize/mwt/lemma, `quotecraft.nlp.tagparse` as pos and depparse."""
    from . import tagparse  # registers the Stanza processor variants

    path = tagparse_dir / MINILM_FILE
    tagparse.load_tagparser(path)  # a missing or damaged file: ModelError naming it, before Stanza runs
    tagparse._encoder()  # likewise for the encoder package
    kwargs = _embedded_kwargs(PACKAGE_MODEL_DIR, [p for p in processors if p not in ("pos", "depparse")])
    for proc in ("pos", "depparse"):
        if proc in processors:
            kwargs[f"{proc}_model_path"] = str(path)
            kwargs[f"{proc}_with_{tagparse.VARIANT}"] = True
    return kwargs


def _find_corrupt(model_dir: Path, processors: list[str]) -> Path | None:
    import torch

    for proc in processors:
        path = model_dir / MODEL_FILES[proc]
        try:
            torch.load(path, map_location="cpu", weights_only=False)
        except Exception:
            return path
    return None


def _official_kwargs(resources_dir: Path) -> dict[str, Any]:
    if not (resources_dir / "resources.json").is_file() or not (resources_dir / "en").is_dir():
        raise ModelError(
            f"Stanza's official English models were not found in {resources_dir} "
            "(set STANZA_RESOURCES_DIR, or run stanza.download('en') on a machine with network access "
            "and copy the folder); the embedded model needs no download: load_stanza(model='embedded')")
    return {"lang": "en", "dir": str(resources_dir), "download_method": None}


def load_stanza(model: str = "embedded", *, processors: str = DEFAULT_PROCESSORS,
                model_dir: str | os.PathLike[str] | None = None, cache: bool = True,
                **overrides: Any) -> "stanza.Pipeline":  # type: ignore[name-defined]  # noqa: F821
    """Return a Stanza pipeline, built offline.

    ``model="embedded"`` (default) loads quotecraft's own compact English model from
    the package (or from ``model_dir``); ``model="fast"`` tokenizes with the embedded
    model and tags, lemmatizes and parses with the small joint model of
    `quotecraft.nlp.fastparse` (``model_dir``: the folder of its ``fastparse.pt``), a
    `quotecraft.nlp.fastparse.FastPipeline` with the same calls; ``model="minilm"`` keeps the
    embedded tokenizer and lemmatizer but tags and parses with the pretrained-encoder model of
    `quotecraft.nlp.tagparse` (more accurate, and measured faster at 2 threads; ``model_dir``: the folder holding its
    ``tagparse.pt``; needs ``pip install 'quotecraft[learned]'``); ``model="stanza"`` loads Stanza's official
    English models from ``STANZA_RESOURCES_DIR`` (or ``model_dir``).  Other keyword
    arguments go to ``stanza.Pipeline`` unchanged (e.g. ``tokenize_pretokenized=True``).

    Pipelines are cached per process by their arguments (``cache=False`` builds a
    fresh one).  A pipeline is not safe to call from several threads at once.

    The parser runs with `quotecraft.nlp.accel`'s speed-ups: biaffine scores as plain
    matrix products (same numbers), and trees decoded by `quotecraft.nlp.treedecode`
    instead of Stanza's Chu-Liu/Edmonds loop: the same trees (the argmax where the
    best heads already form one, most sentences; a vectorised Chu-Liu/Edmonds up
    to 160 words), a greedy cycle repair, linear per cycle, for longer ones.
    """
    if model not in KNOWN_MODELS:
        raise ModelError(f"unknown model {model!r}; known models: {', '.join(KNOWN_MODELS)}")
    procs = [p.strip() for p in processors.split(",") if p.strip()]
    unknown = [p for p in procs if p not in MODEL_FILES]
    if unknown:
        raise ModelError(f"unknown processor(s) {unknown}; known: {', '.join(MODEL_FILES)}")

    mdir = model_folder(model, model_dir)
    key = (model, str(mdir), processors, tuple(sorted((k, repr(v)) for k, v in overrides.items())))
    if cache:
        with _cache_lock:
            if key in _cache:
                return _cache[key]

    if model == "fast":
        from .fastparse import load_fast

        tok = [p for p in procs if p in ("tokenize", "mwt")] or ["tokenize"]
        tokenizer = load_stanza("embedded", processors=",".join(tok), cache=cache, **overrides)
        pipeline = load_fast(mdir, tokenizer, procs)
        if cache:
            with _cache_lock:
                pipeline = _cache.setdefault(key, pipeline)
        return pipeline

    pipeline = _build_stanza(model, mdir, procs, overrides)
    from . import accel  # imports torch: only once a pipeline is built

    accel.install(pipeline)  # same parses, less time (tree decoding, biaffine scoring)
    if cache:
        with _cache_lock:
            pipeline = _cache.setdefault(key, pipeline)
    return pipeline


def _build_stanza(model: str, mdir: Path, procs: list[str], overrides: dict[str, Any]) -> Any:
    """A ``stanza.Pipeline`` for a Stanza-backed model; a model file that cannot be read is named."""
    import stanza

    if model == "embedded":
        kwargs = _embedded_kwargs(mdir, procs)
    elif model == "minilm":
        kwargs = _minilm_kwargs(mdir, procs)
    else:
        kwargs = _official_kwargs(mdir)
    kwargs.update(processors=",".join(procs), logging_level="ERROR")
    kwargs.setdefault("use_gpu", False)
    kwargs.update(overrides)
    # Stanza warns that "en" is an unknown language: true of the empty catalogue we hand it, and noise.
    stanza_log = logging.getLogger("stanza")
    level = stanza_log.level
    try:
        pipeline = stanza.Pipeline(**kwargs)
    except ModelError:
        raise
    except Exception as exc:
        if model in ("embedded", "minilm"):
            compact = mdir if model == "embedded" else PACKAGE_MODEL_DIR
            bad = _find_corrupt(compact, [p for p in procs if model == "embedded" or p not in ("pos", "depparse")])
            if bad is not None:
                raise ModelError(f"embedded model file {bad} cannot be read ({exc.__class__.__name__}); {REBUILD_HINT}") from exc
        raise ModelError(f"could not build the {model} Stanza pipeline from {mdir}: {exc}") from exc
    finally:
        stanza_log.setLevel(max(level, logging.WARNING))
    return pipeline
