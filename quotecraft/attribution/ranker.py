"""A learned ranker of a pronoun's antecedents (issue 25).

`EntityRegistry.antecedent` keeps its hard constraints (entity type, number, gender evidence);
among the entities they allow, this ranker picks one by a linear score over cheap features of
each (pronoun, entity) pair -- how far back the entity was last mentioned, whether it spoke or
was a subject there, its kind, its number, its gender evidence, how often it was mentioned --
trained as a softmax over each pronoun's candidates on GUM's coreference
(``python -m quotecraft.train ranker``).  Each feature has a shared weight and one per pronoun
class (he/she, they, it): the same distance means something else for "it" than for "she".

The weights are a small JSON file (``models/attribution/ranker.json``), read once per process;
without it the registry falls back to its hand-written tiers.
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Optional

from ..errors import HeadError

__all__ = ["RANKER_PATH", "Ranker", "candidate_features", "load_ranker", "pronoun_class"]

RANKER_PATH = Path(__file__).resolve().parent.parent / "models" / "attribution" / "ranker.json"
#: the pronouns the ranker was trained on; the others ("I", "we", "him") keep the rule tiers
_CLASS = {"he": "hs", "she": "hs", "they": "they", "it": "it"}
_GENDER = {"he": "m", "she": "f"}
# the registry imports this module, so no import back (not even for types: tests/test_layers.py)
Entity = Any  # `quotecraft.attribution.entities.Entity`
Registry = Any  # `quotecraft.attribution.entities.EntityRegistry`
Candidate = tuple[int, Entity, int]  # (position, entity, salience) as `EntityRegistry._candidates` gives


def pronoun_class(pronoun: str) -> Optional[str]:
    return _CLASS.get(pronoun.lower())


def _distance_bucket(d: int) -> str:
    return str(d) if d <= 2 else "3-5" if d <= 5 else "6+"


def _entity_features(reg: Registry, p: str, pos: int, e: Entity, entries: list[tuple[int, int]],
                     rank: int, kind_latest: bool) -> dict[str, float]:
    """The features of one entity allowed for pronoun ``p`` at ``pos``; ``entries`` are its
    (position, salience) candidates, latest first, and ``rank`` its place among the entities
    by their latest mention."""
    here = reg.sentence_index(pos)
    dists = [(here - reg.sentence_index(q), s) for q, s in entries]
    d, s0 = dists[0]
    latest = entries[0][0]
    g = _GENDER.get(p)
    return {
        f"sd={_distance_bucket(d)}": 1.0,
        "log_sd": math.log1p(d),
        f"rank={min(rank, 3)}": 1.0,
        "log_rank": math.log1p(rank),
        "log_chars": math.log1p((pos - latest) / 50),
        "kind_latest": float(kind_latest),
        "speaker_d<=1": float(any(s == 2 and k <= 1 for k, s in dists)),
        "speaker_d<=2": float(any(s == 2 and k <= 2 for k, s in dists)),
        "speaker_any": float(any(s == 2 for _, s in dists)),
        "subject_d<=2": float(any(s >= 1 and k <= 2 for k, s in dists)),
        "latest_salience": float(s0),
        f"kind={e.kind}": 1.0,
        "plural": float(e.plural),
        "gender_match": float(g is not None and g in e.genders),
        "gender_none": float(not e.genders),
        "log_mentions": math.log1p(len(entries)),
        "sentence_initial": float(reg.starts_sentence(latest)),
        "capitalised": float(e.name[:1].isupper()),
        "sure": float(e.sure),
        "one_word": float(len(e.name.split()) == 1),
    }


def candidate_features(reg: Registry, pronoun: str, pos: int,
                       ok: list[Candidate]) -> list[tuple[Entity, dict[str, float]]]:
    """Each distinct entity of the allowed candidates ``ok`` (latest first) with its features,
    every one twice: shared (``name``) and for the pronoun's class (``class|name``)."""
    p = pronoun.lower()
    cls = _CLASS.get(p, p)
    entries: dict[int, list[tuple[int, int]]] = {}
    order: list[Entity] = []
    for q, e, sal in ok:
        if id(e) not in entries:
            entries[id(e)] = []
            order.append(e)
        entries[id(e)].append((q, sal))
    kinds: set[str] = set()
    out = []
    for rank, e in enumerate(order):
        f = _entity_features(reg, p, pos, e, entries[id(e)], rank, e.kind not in kinds)
        kinds.add(e.kind)
        out.append((e, {**f, **{f"{cls}|{k}": v for k, v in f.items()}}))
    return out


class Ranker:
    """A linear score per (pronoun, entity) pair; the best-scored entity is the antecedent.
    ``first_speaker``: the pronoun classes for which a speaker in the pronoun's sentence or the
    one before stays a hard first choice (kept where it beat the ranker on GUM dev)."""

    def __init__(self, weights: dict[str, float], pronouns: tuple[str, ...] = tuple(_CLASS),
                 first_speaker: tuple[str, ...] = ()) -> None:
        self.weights = weights
        self.pronouns = frozenset(pronouns)
        self.first_speaker = frozenset(first_speaker)

    def score(self, features: dict[str, float]) -> float:
        return sum(self.weights.get(k, 0.0) * v for k, v in features.items())

    def choose(self, reg: Registry, pronoun: str, pos: int, ok: list[Candidate]) -> Optional[Entity]:
        """The antecedent among ``ok`` (latest first); on a tie the latest."""
        p = pronoun.lower()
        if pronoun_class(p) in self.first_speaker:
            here = reg.sentence_index(pos)
            spoke = next((e for q, e, s in ok if s == 2 and here - reg.sentence_index(q) <= 1), None)
            if spoke is not None:
                return spoke
        best, best_score = None, -math.inf
        for e, f in candidate_features(reg, p, pos, ok):
            sc = self.score(f)
            if sc > best_score:
                best, best_score = e, sc
        return best

    def to_json(self) -> dict:
        return {"format": "quotecraft-ranker-1", "pronouns": sorted(self.pronouns),
                "first_speaker": sorted(self.first_speaker), "weights": self.weights}


_LOADED: dict[Path, Optional[Ranker]] = {}


def load_ranker(path: Optional[Path] = None) -> Optional[Ranker]:
    """The installed ranker (read once per process and path), or None where no file is installed
    (the registry's rule tiers then choose)."""
    path = Path(path or RANKER_PATH)
    if path not in _LOADED:
        _LOADED[path] = _read(path) if path.is_file() else None
    return _LOADED[path]


def _read(path: Path) -> Ranker:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        if state.get("format") != "quotecraft-ranker-1":
            raise ValueError(f"unknown format {state.get('format')!r}")
        weights = {str(k): float(v) for k, v in state["weights"].items()}
        if not all(math.isfinite(v) for v in weights.values()):
            raise ValueError("a weight is not finite")
        pronouns = tuple(str(p) for p in state["pronouns"])
        if not set(pronouns) <= set(_CLASS):
            raise ValueError(f"pronouns {pronouns} beyond {tuple(_CLASS)}")
        return Ranker(weights, pronouns, tuple(str(c) for c in state.get("first_speaker", ())))
    except Exception as e:  # a damaged file names itself, rather than failing deep in a resolver
        raise HeadError(f"antecedent ranker {path} cannot be read ({type(e).__name__}: {e}); "
                        "reinstall quotecraft or retrain it with `python -m quotecraft.train ranker`") from e

