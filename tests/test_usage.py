"""Using quotecraft from scripts and notebooks: pipe() from a script with no __main__ guard,
pipe(as_tuples=True), progress bars in notebooks, options checked when the Extractor is built."""
from __future__ import annotations

import os
import subprocess
import sys
import types
import warnings
from pathlib import Path
from typing import Any

import pytest

import quotecraft
from quotecraft import extractor as extractor_module
from quotecraft.extractor import Extractor

REPO = Path(__file__).resolve().parent.parent

TEXTS = [
    '"The ferry will run again on Monday," harbour master Ines Mora said.',
    "Nothing was said here at all.",
    'Council member Tom Becker said the repair plan was rushed. "We need a second look," he told reporters.',
]


# ---------------------------------------------------------------- options checked at construction
@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"model": "bogus"}, ValueError, "valid values: 'embedded', 'fast', 'minilm', 'stanza'"),
        ({"model": ""}, ValueError, "valid values: 'embedded', 'fast', 'minilm', 'stanza'"),
        ({"include_beliefs": "yes"}, TypeError, "include_beliefs must be True or False"),
        ({"selective_parse": 1}, TypeError, "selective_parse must be True or False"),
        ({"extra_cues": "grumble"}, TypeError, "extra_cues=['grumble']"),
        ({"extra_agencies": ["Harbor Wire"]}, TypeError, "{'Harbor Wire': ['HW']}"),
        ({"extra_agencies": {"Harbor Wire": [1]}}, TypeError, "extra_agencies['Harbor Wire']"),
        ({"model_dir": "/no/such/folder"}, FileNotFoundError, "model_dir='/no/such/folder': no such folder"),
        ({"cue_file": "/no/such/cues.tsv"}, FileNotFoundError, "cue_file='/no/such/cues.tsv': no such file"),
        ({"agency_file": 3}, TypeError, "agency_file must be a path"),
    ],
)
def test_bad_options_fail_when_built(kwargs: dict[str, Any], error: type[Exception], message: str) -> None:
    with pytest.raises(error) as info:
        Extractor(**kwargs)
    assert message in str(info.value)


def test_good_options_do_not_load_the_model(tmp_path: Path) -> None:
    cues = tmp_path / "cues.tsv"
    cues.write_text("grumble\tspeech\n", encoding="utf-8")
    ex = Extractor(model="stanza", extra_agencies={"Harbor Wire": "HW"}, cue_file=cues, include_beliefs=True)
    assert "grumble" in ex.lexicon.cues and ex.lexicon.agencies["HW"] == "Harbor Wire"
    assert ex._parser._nlp is None  # checking options is cheap: the model still loads on first use


def test_extra_cues_from_a_generator_reach_the_worker_options() -> None:
    ex = Extractor(extra_cues=(c for c in ["grumble", "mutter"]))
    assert {"grumble", "mutter"} <= set(ex.lexicon.cues)
    assert ex._options["extra_cues"] == ["grumble", "mutter"]  # what pipe(n_process>1) hands the workers


@pytest.mark.parametrize("kwargs", [{"n_process": 1.5}, {"batch_size": "8"}, {"n_process": True}])
def test_pipe_argument_types(kwargs: dict[str, Any]) -> None:
    with pytest.raises(TypeError, match="must be an int"):
        Extractor().pipe([], **kwargs)


# ---------------------------------------------------------------- as_tuples
def test_as_tuples_passes_context_through() -> None:
    # texts with no prose need no model, so this runs the real pipe() quickly
    ex = Extractor()
    items = [("", {"id": 1}), ("  \n", "two"), (3, None)]
    out = list(ex.pipe(items, as_tuples=True, progress=False))
    assert [ctx for _, ctx in out] == [{"id": 1}, "two", None]
    assert [a.text for a, _ in out] == ["", "  \n", ""]
    assert out[2][0].error is not None and "int" in out[2][0].error
    assert list(ex.pipe(iter(items), as_tuples=True, progress=False)) == out  # a generator works too


def test_as_tuples_needs_pairs() -> None:
    with pytest.raises(ValueError, match=r"needs \(text, context\) pairs; item 1"):
        list(Extractor().pipe([("", 1), "just text"], as_tuples=True, progress=False))


@pytest.mark.model
def test_as_tuples_same_articles_as_plain_pipe(extractor: Extractor) -> None:
    plain = list(extractor.pipe(TEXTS, progress=False))
    tupled = list(extractor.pipe(zip(TEXTS, ["a", "b", "c"]), as_tuples=True, progress=False))
    assert [a for a, _ in tupled] == plain and [c for _, c in tupled] == ["a", "b", "c"]
    assert any(a.quotes for a in plain)


# ---------------------------------------------------------------- a plain script, two processes
SCRIPT = """
import quotecraft

print("top level ran")
texts = {texts!r}
items = [(t, "doc-%d" % i) for i, t in enumerate(texts)] + [(42, "not-text")]
ex = quotecraft.Extractor()
for article, doc_id in ex.pipe(items, n_process=2, batch_size=1, as_tuples=True, progress=False):
    print(doc_id, article.error is not None, article.to_json())
"""


@pytest.mark.model
@pytest.mark.slow
def test_pipe_processes_from_a_script_without_main_guard(extractor: Extractor, tmp_path: Path) -> None:
    """The README's `ex.pipe(texts, n_process=2)` at the top level of a script: the worker
    processes must not re-run the script (which, spawned, crashed with 'An attempt has been
    made to start a new process before ... bootstrapping')."""
    script = tmp_path / "run_corpus.py"
    script.write_text(SCRIPT.format(texts=TEXTS), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p))
    proc = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "bootstrapping" not in proc.stderr and "BrokenProcessPool" not in proc.stderr
    lines = proc.stdout.splitlines()
    assert lines.count("top level ran") == 1  # the workers did not run the script again
    results = [line.split(" ", 2) for line in lines if line.startswith(("doc-", "not-text"))]
    assert [r[0] for r in results] == ["doc-0", "doc-1", "doc-2", "not-text"]
    assert [r[1] for r in results] == ["False", "False", "False", "True"]
    serial = list(extractor.pipe(TEXTS, progress=False))
    assert [quotecraft.Article.from_json(r[2]) for r in results[:3]] == serial


# ---------------------------------------------------------------- progress
def _fake_ipython(monkeypatch: pytest.MonkeyPatch, kernel: bool) -> None:
    shell = types.SimpleNamespace(kernel=object() if kernel else None)
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: shell))


def test_notebook_detection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "IPython", raising=False)
    assert not extractor_module._in_notebook()
    _fake_ipython(monkeypatch, kernel=False)  # terminal IPython
    assert not extractor_module._in_notebook()
    _fake_ipython(monkeypatch, kernel=True)  # a Jupyter kernel
    assert extractor_module._in_notebook()


def test_progress_on_by_default_in_a_notebook_without_warnings(monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    ex = Extractor()
    monkeypatch.setattr(extractor_module, "_in_notebook", lambda: False)
    list(ex.pipe(["", ""]))
    assert "2/2" not in capsys.readouterr().err  # not a terminal, not a notebook: no bar

    monkeypatch.setattr(extractor_module, "_in_notebook", lambda: True)
    # without ipywidgets, tqdm.auto would pick the widget bar and warn "IProgress not found"
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = list(ex.pipe(["", ""]))
    assert len(out) == 2
    err = capsys.readouterr().err
    assert "quotecraft" in err and "2/2" in err


@pytest.mark.model
def test_extract_progress_over_characters(extractor: Extractor, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(extractor_module, "CHUNK_CHARS", 80)  # several pieces from a short text
    text = "\n".join(TEXTS * 2)
    article = extractor.extract(text, progress=True)
    assert article == extractor.extract(text)  # the bar changes nothing else
    err = capsys.readouterr().err
    assert f"{len(text)}/{len(text)}" in err and "char" in err

