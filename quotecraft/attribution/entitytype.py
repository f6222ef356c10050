"""What kind of thing a name is -- person, organisation, place, time, event, abstract or object --
read from the shared encoder's features of its word pieces (issue 25).

The rules of `quotecraft.attribution.entities` know a name's kind from lists: titles, agencies,
places, organisation words, dates.  A name they do not know ("Wikinews", "Yakutsk", "Digital
Domain") stays ``unknown``, and an unknown name may take "he" or "she".  This head, one small
hidden layer over the pooled features the tagger's encoder pass already computed (no second pass),
types such names; the registry asks it only where the rules have no evidence
(`EntityRegistry.type_unsure`).  Events, abstractions and objects become the kind ``thing``: no
pronoun of a speaker takes one.  Trained on GUM's entity types
(``python -m quotecraft.train entitytype``); its per-type accuracy is in benchmarks/README.md.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Optional

from ..errors import HeadError

__all__ = ["ENTITY_TYPES", "ENTITY_HEAD_PATH", "EntityTypeHead", "load_entity_type_head", "pool_mention",
           "KIND_OF_TYPE", "typer"]

#: GUM's entity types, animals, plants and substances folded into ``object``
ENTITY_TYPES = ("person", "organization", "place", "time", "event", "abstract", "object")
#: the registry's kind for each type the head may give a name (`quotecraft.attribution.entities.Entity.kind`)
KIND_OF_TYPE = {"person": "person", "organization": "organization", "place": "place", "time": "time",
                "event": "thing", "abstract": "thing", "object": "thing"}
ENTITY_HEAD_PATH = Path(__file__).resolve().parent.parent / "models" / "attribution" / "entitytype.pt"

Range = tuple[int, int]


def pool_mention(pieces: dict[Range, Any], span: Range) -> Any:
    """The features of a mention: the mean over its word pieces, then its last piece (the head
    of an English name is its last word: "Digital *Domain*"), or None when no piece lies in it.
    ``pieces``: encoder features by piece offsets (`quotecraft.attribution.tagger.tag_article`
    keeps those of the registry's names)."""
    import torch

    inside = [pieces[r] for r in sorted(r for r in pieces if r[0] < span[1] and span[0] < r[1])]
    if not inside:
        return None
    f = torch.stack(inside).float()
    return torch.cat([f.mean(dim=0), f[-1]])


def typer(head: Optional["EntityTypeHead"], pieces: dict[Range, Any]) -> Callable[[int, int], Optional[str]]:
    """``type_of(start, end)`` for `EntityRegistry.type_unsure`: the head's type of the mention
    where it is sure, else None (and always None without a head)."""
    def type_of(start: int, end: int) -> Optional[str]:
        x = pool_mention(pieces, (start, end)) if head is not None else None
        return head.predict(x) if x is not None else None  # type: ignore[union-attr]

    return type_of


class EntityTypeHead:
    """One hidden layer (GELU) over `pool_mention`'s features, or none (``hidden_weight`` absent):
    a probability per entity type."""

    def __init__(self, state: dict[str, Any]) -> None:
        import torch

        self.labels: list[str] = list(state["labels"])
        self.hidden = (state["hidden_weight"].float(), state["hidden_bias"].float()) if "hidden_weight" in state else None
        self.weight = state["weight"].float()
        self.bias = state["bias"].float()
        #: the least probability at which the registry takes the head's type (chosen on GUM dev)
        self.floor = float(state.get("floor", 0.5))
        #: under this probability of ``person`` a name is no person even where the head cannot say
        #: what else it is ("Vantor United": a club or a place): on GUM dev 97% of such names are not
        self.person_veto = float(state.get("person_veto", 0.0))
        self._torch = torch

    def probabilities(self, features: Any) -> list[dict[str, float]]:
        """One {type: probability} per row of ``features`` ((n, d), or one (d,) vector)."""
        x = features.float().reshape(-1, (self.hidden[0] if self.hidden else self.weight).shape[1])
        if self.hidden is not None:
            x = self._torch.nn.functional.gelu(x @ self.hidden[0].T + self.hidden[1])
        p = self._torch.softmax(x @ self.weight.T + self.bias, dim=-1)
        return [dict(zip(self.labels, row)) for row in p.tolist()]

    def predict(self, features: Any) -> Optional[str]:
        """The likeliest type where the head is at least ``floor`` sure of it; else, where it
        is sure the name is no person (``person_veto``), the likeliest other type; else None."""
        p = self.probabilities(features)[0]
        best = max(p, key=p.get)  # type: ignore[arg-type]
        if p[best] >= self.floor:
            return best
        if p.get("person", 1.0) < self.person_veto:
            return max((t for t in p if t != "person"), key=p.get)  # type: ignore[arg-type]
        return None


def load_entity_type_head(path: Optional[Path] = None) -> Optional[EntityTypeHead]:
    """The shipped head, or None where no file is installed (names the rules cannot type then stay
    ``unknown``)."""
    path = Path(path or ENTITY_HEAD_PATH)
    if not path.is_file():
        return None
    import torch

    try:
        return EntityTypeHead(torch.load(path, map_location="cpu", weights_only=True))
    except Exception as e:  # a damaged file names itself
        raise HeadError(f"entity type head {path} cannot be read ({type(e).__name__}: {e}); "
                        "reinstall quotecraft or retrain it with `python -m quotecraft.train entitytype`") from e
