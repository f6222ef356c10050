"""The module paths of quotecraft 0.1 (one flat package), kept for one release.

``import quotecraft.resolve`` or ``from quotecraft.learned import merge_with_rules`` still
work, with a `DeprecationWarning` naming the new place; so do the old training commands
(``python -m quotecraft.training ...``, ``python -m quotecraft.evaluation ...``), which run
``python -m quotecraft.train ...``.  An old path that moved whole is the new module itself; one
whose names went to several modules is a view of them (`_OldPath`).
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types
import warnings
from typing import Any, Optional, Sequence

#: old module -> the modules its names live in now (first match wins)
MOVED: dict[str, tuple[str, ...]] = {
    "accel": ("nlp.accel",), "encoder": ("nlp.encoder",), "parse": ("nlp.parse",),
    "loading": ("nlp.loading",), "tagparse": ("nlp.tagparse",),
    "treedecode": ("nlp.treedecode",), "fastparse": ("nlp.fastparse", "train.fastparse"),
    "bound": ("nlp.bound", "attribution.rejoin"),
    "layout": ("attribution.layout",), "quotes": ("attribution.quotes",), "cues": ("attribution.cues",),
    "cue_phrase": ("attribution.cue_phrase",), "entities": ("attribution.entities",),
    "speakers": ("attribution.speakers",), "resolve": ("attribution.resolve",),
    "learned": ("attribution.tagger", "attribution.merge"),
    "cli": ("io.cli",), "dask": ("io.dask",), "render": ("io.render",), "table": ("io.table",),
    "training": ("train.stanza", "train.ud"), "attribution_training": ("train.attribution",),
    "tagparse_training": ("train.tagparse",), "evaluation": ("train.evaluation",),
}

#: old ``python -m`` entry points -> the ``quotecraft.train`` command they run
COMMANDS = {"training": "stanza", "evaluation": "evaluate", "fastparse": "fastparse",
            "tagparse_training": "tagparse", "attribution_training": "attribution"}


class _OldPath(types.ModuleType):
    """An old path whose names now live in several modules (or, for ``render``, beside a function
    of the same name): every name is looked up, and set, where it lives now.  What a setter
    replaced comes back on delete, as ``monkeypatch`` expects of an undo."""

    _targets: Sequence[types.ModuleType] = ()

    def _home(self, name: str) -> Optional[types.ModuleType]:
        return next((m for m in self._targets if hasattr(m, name)), None)

    def __getattr__(self, name: str) -> Any:
        home = self._home(name)
        if home is None:
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")
        return getattr(home, name)

    def __setattr__(self, name: str, value: Any) -> None:
        home = None if name.startswith("__") else self._home(name)
        if home is None:
            super().__setattr__(name, value)
            return
        self.__dict__.setdefault("_replaced", {}).setdefault(name, getattr(home, name))
        setattr(home, name, value)

    def __delattr__(self, name: str) -> None:
        replaced = self.__dict__.get("_replaced", {})
        if name in replaced:
            setattr(self._home(name), name, replaced.pop(name))
        else:
            super().__delattr__(name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        # ``import quotecraft.render`` binds this view over the function quotecraft.render:
        # calling it still renders
        return self.__getattr__(self.__name__.rsplit(".", 1)[1])(*args, **kwargs)

    def __dir__(self) -> list[str]:
        return sorted({n for m in self._targets for n in dir(m)})


def _new_names(old: str) -> str:
    return " / ".join(f"quotecraft.{t}" for t in MOVED[old])


class _Loader(importlib.abc.Loader):
    def __init__(self, old: str) -> None:
        self.old = old

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        targets = [importlib.import_module(f"quotecraft.{t}") for t in MOVED[self.old]]
        if len(targets) == 1 and self.old != "render":
            # the old path is the module itself: identity, isinstance and monkeypatching all hold
            self.own_spec = targets[0].__spec__
            return targets[0]
        module = _OldPath(spec.name)
        object.__setattr__(module, "_targets", targets)
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        if not isinstance(module, _OldPath):
            module.__spec__ = self.own_spec  # the import system set it to the old path's

    def get_code(self, fullname: str) -> types.CodeType:
        """What ``python -m quotecraft.OLD`` runs: the ``quotecraft.train`` command it became."""
        command = COMMANDS.get(self.old)
        if command is None:
            raise ImportError(f"quotecraft.{self.old} has no command line; see python -m quotecraft.train --help")
        source = (
            "import sys, warnings\n"
            "from quotecraft.train.__main__ import main\n"
            f"argv = sys.argv[1:]\n"
            f"argv = argv if {self.old!r} == 'training' and argv[:1] == ['attribution'] else [{command!r}] + argv\n"
            f"warnings.warn('python -m quotecraft.{self.old} is deprecated; use: python -m quotecraft.train ' + argv[0],"
            " DeprecationWarning)\n"
            "raise SystemExit(main(argv))\n")
        return compile(source, f"<quotecraft.{self.old}>", "exec")


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Optional[importlib.machinery.ModuleSpec]:
        prefix, _, old = fullname.partition(".")
        if prefix != "quotecraft" or old not in MOVED:
            return None
        warnings.warn(f"quotecraft.{old} is deprecated and will be removed in quotecraft 0.3; "
                      f"use {_new_names(old)}", DeprecationWarning, stacklevel=2)
        return importlib.machinery.ModuleSpec(fullname, _Loader(old))


def install() -> None:
    """Put the old paths' finder on ``sys.meta_path`` (once)."""
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.append(_Finder())
