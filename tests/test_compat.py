"""The module paths of quotecraft 0.1 keep working for one release, with a DeprecationWarning."""
from __future__ import annotations

import importlib
import subprocess
import sys
import warnings

import pytest

import quotecraft
from quotecraft import _compat


@pytest.mark.parametrize("old", sorted(_compat.MOVED))
def test_old_path_warns_and_reaches_the_new_module(old):
    sys.modules.pop(f"quotecraft.{old}", None)
    with pytest.warns(DeprecationWarning, match=f"quotecraft.{old} is deprecated.*quotecraft\\."):
        module = importlib.import_module(f"quotecraft.{old}")
    first = importlib.import_module(f"quotecraft.{_compat.MOVED[old][0]}")
    public = [n for n in getattr(first, "__all__", dir(first)) if not n.startswith("__")]
    assert public and all(getattr(module, n) is getattr(first, n) for n in public)


def test_split_modules_keep_every_name():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from quotecraft.bound import MAX_WORDS, join_cut_contents
        from quotecraft.learned import HeadError, load_head, merge_with_rules
        from quotecraft.loading import MINILM_MODEL_DIR, ModelError
        from quotecraft.training import MODEL_FILES, load_split
    from quotecraft.attribution import merge, rejoin
    from quotecraft.errors import HeadError as NewHeadError, ModelError as NewModelError
    assert merge_with_rules is merge.merge_with_rules and join_cut_contents is rejoin.join_cut_contents
    assert HeadError is NewHeadError and ModelError is NewModelError
    assert MAX_WORDS > 0 and callable(load_head) and MINILM_MODEL_DIR.name == "en_minilm"
    assert "tokenize" in MODEL_FILES and callable(load_split)


def test_an_old_path_that_moved_whole_is_the_new_module():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import quotecraft.cues as old
    from quotecraft.attribution import cues
    assert old is cues and cues.__spec__.name == "quotecraft.attribution.cues"


def test_monkeypatching_a_split_old_path_patches_where_the_name_lives():
    from quotecraft.attribution import merge
    original = merge.merge_with_rules
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import quotecraft.learned as old
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(old, "merge_with_rules", "patched")
        assert merge.merge_with_rules == "patched" and old.merge_with_rules == "patched"
    assert merge.merge_with_rules is original


def test_old_render_path_leaves_render_callable():
    # importing the old submodule binds it over the function quotecraft.render
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import quotecraft.render  # noqa: F401
    html = quotecraft.render(quotecraft.Article(text="plain", quotes=()))
    assert "plain" in html


def test_unknown_name_is_an_attribute_error():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import quotecraft.learned as old
    with pytest.raises(AttributeError, match="quotecraft.learned.*no_such_name"):
        old.no_such_name  # noqa: B018


@pytest.mark.parametrize("old,new", [("training", "stanza"), ("evaluation", "evaluate"),
                                     ("fastparse", "fastparse"), ("tagparse_training", "tagparse")])
def test_old_training_commands_run_the_new_ones(old, new):
    run = subprocess.run([sys.executable, "-m", f"quotecraft.{old}", "--help"], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    assert f"python -m quotecraft.train {new}" in run.stdout
    assert "DeprecationWarning" in run.stderr and f"python -m quotecraft.train {new}" in run.stderr


def test_old_training_attribution_command():
    run = subprocess.run([sys.executable, "-m", "quotecraft.training", "attribution", "--help"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and "python -m quotecraft.train attribution" in run.stdout


def test_train_entry_point_rejects_an_unknown_command():
    run = subprocess.run([sys.executable, "-m", "quotecraft.train", "nosuch"], capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 2 and "unknown command 'nosuch'" in run.stderr and "stanza" in run.stderr


def test_the_package_itself_uses_no_old_path():
    # the console script of setup.cfg and `python -m quotecraft` must not warn their users
    import configparser
    from pathlib import Path

    cfg = configparser.ConfigParser()
    cfg.read(Path(__file__).resolve().parent.parent / "setup.cfg")
    target = cfg["options.entry_points"]["console_scripts"].split("=", 1)[1].strip()
    module = target.split(":")[0]
    assert module.split(".")[1] not in _compat.MOVED, target
    run = subprocess.run([sys.executable, "-W", "error::DeprecationWarning", "-m", "quotecraft", "--version"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and "Deprecation" not in run.stderr, run.stderr
