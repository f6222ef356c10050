"""Turn the parser's arc scores into one dependency tree, in bounded time.

Stanza decodes every sentence with Chu-Liu/Edmonds (``chuliu_edmonds_one_root``),
a pure-Python loop (a Tarjan pass per contraction) that cost a tenth of the whole
extraction on news (52 ms per sentence that is not already a tree) and seconds per
sentence on degenerate input.  Here:

* Most of the time the best head of every word already forms a tree with one
  root; Chu-Liu/Edmonds then returns exactly that argmax, so we return it
  without running the loop (same result, bit for bit).
* Where it is not a tree, sentences up to `EXACT_LIMIT` words get the same
  exact algorithm on the same one-root reweighting, with each contraction done
  as whole-matrix numpy operations (`_max_arborescence`; the same tree as
  Stanza's wherever the best tree is unique, about 1 ms per sentence).
* Longer ones (only reachable without `quotecraft.nlp.bound`'s cut) get a greedy
  repair that breaks each cycle at its cheapest outside attachment, linear per
  cycle, since the exact algorithm's contractions grow as the cube of the length.

`install` swaps this in for one Stanza depparse model instance only, so other
Stanza pipelines in the same process keep Stanza's own decoder.
"""
from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["one_root_tree", "install", "EXACT_LIMIT"]

#: sentences up to this many words that are not already a tree get the exact decoder
#: (above `quotecraft.nlp.bound.MAX_WORDS`, so every piece the extractor parses is decoded exactly)
EXACT_LIMIT = 160


def _prepared(scores: np.ndarray, one_root: bool) -> np.ndarray:
    """Stanza's ``prepare_scores`` and, with ``one_root``, its one-root reweighting
    (Stanojević & Cohen 2021: every root arc loses the same large constant)."""
    s = scores.astype(np.float64)  # a copy: the caller's array stays as it was
    if one_root:
        finite = s[np.isfinite(s)]
        s[:, 0] += (finite.min() if finite.size else 0.0) * s.shape[0]
    np.fill_diagonal(s, -np.inf)
    s[0] = -np.inf
    s[0, 0] = 0
    return s


def _reaches_root(heads: np.ndarray) -> np.ndarray:
    """For every node, whether following heads leads to 0 (pointer doubling, log n steps)."""
    h = heads.copy()
    for _ in range(max(1, int(np.ceil(np.log2(len(h)))) + 1)):
        h = h[h]
    return h == 0


def _below(heads: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Nodes whose head chain enters ``group`` (the group itself included)."""
    inside = group.copy()
    changed = True
    while changed:  # at most depth-of-tree rounds, each one vectorised
        grow = inside[heads] & ~inside
        grow[0] = False
        changed = bool(grow.any())
        inside |= grow
    return inside


def _cycle_of(heads: np.ndarray, start: int) -> np.ndarray:
    seen: dict[int, int] = {}
    i, step = start, 0
    while i not in seen:
        seen[i] = step
        i, step = int(heads[i]), step + 1
    cycle = np.zeros(len(heads), dtype=bool)
    j = i
    while True:
        cycle[j] = True
        j = int(heads[j])
        if j == i:
            return cycle


def _max_arborescence(s: np.ndarray) -> np.ndarray:
    """Chu-Liu/Edmonds on prepared scores (``s[i, j]``: ``j`` heads ``i``; row 0 the root's).

    Contract one cycle of the best-head graph into a node, solve the smaller problem,
    expand; each step is a few numpy operations on the whole matrix, and the recursion
    is at most one level per word.
    """
    heads = np.argmax(s, axis=1)
    heads[0] = 0
    ok = _reaches_root(heads)
    if ok.all():
        return heads
    cycle = _cycle_of(heads, int(np.flatnonzero(~ok)[0]))
    members, rest = np.flatnonzero(cycle), np.flatnonzero(~cycle)  # rest[0] == 0: the root
    m = len(rest)
    sub = np.empty((m + 1, m + 1))
    sub[:m, :m] = s[np.ix_(rest, rest)]
    # an outside word headed by the cycle takes its best head inside it
    leaving = s[np.ix_(rest, members)]
    leave_from = members[np.argmax(leaving, axis=1)]
    sub[:m, m] = leaving.max(axis=1)
    # the cycle headed from outside: the entry word drops its cycle arc, so its gain is relative
    entering = s[np.ix_(members, rest)] - s[members, heads[members]][:, None]
    enter_at = members[np.argmax(entering, axis=0)]
    sub[m, :m] = entering.max(axis=0)
    sub[m, m] = -np.inf
    sub_heads = _max_arborescence(sub)
    out = heads.copy()  # cycle words keep their cycle arcs, except the entry word
    inner = sub_heads[:m]
    out[rest] = np.where(inner < m, rest[np.minimum(inner, m - 1)], leave_from)
    head_of_cycle = rest[sub_heads[m]]
    out[enter_at[sub_heads[m]]] = head_of_cycle
    out[0] = 0
    return out


def _greedy_repair(s: np.ndarray, heads: np.ndarray) -> np.ndarray:
    """Break cycles one by one: move the cycle word whose best head outside the cycle
    (and outside what hangs below it) loses least against its current head."""
    heads = heads.copy()
    while True:
        ok = _reaches_root(heads)
        ok[0] = True
        if ok.all():
            return heads
        cycle = _cycle_of(heads, int(np.flatnonzero(~ok)[0]))
        blocked = _below(heads, cycle)
        members = np.flatnonzero(cycle)
        cand = s[members][:, ~blocked]  # rows: cycle words; columns: allowed heads
        allowed = np.flatnonzero(~blocked)
        loss = s[members, heads[members]][:, None] - cand
        r, c = np.unravel_index(int(np.argmin(loss)), loss.shape)
        heads[members[r]] = allowed[c]


def one_root_tree(scores: np.ndarray, exact_limit: int = EXACT_LIMIT) -> np.ndarray:
    """Heads (``tree[i]`` = head of word ``i``; ``tree[0] == 0``) with exactly one root.

    ``scores[i, j]`` is the score of ``j`` heading ``i``, row and column 0 the root.
    Sentences up to ``exact_limit`` words whose best heads are not a tree get
    Chu-Liu/Edmonds, longer ones the greedy repair (``exact_limit=0``: always
    the greedy repair, as the fast path does: same dev LAS for its parser, measured
    with Stanza's slower decoder).
    """
    # The reweighting lowers every one-root tree by the same constant, so where the
    # plain best heads form a one-root tree, that tree is also what Chu-Liu/Edmonds
    # finds on the reweighted scores (which never has a root in its argmax).
    s = _prepared(scores, one_root=False)
    heads = np.argmax(s, axis=1)
    heads[0] = 0
    if _reaches_root(heads)[1:].all() and int((heads[1:] == 0).sum()) == 1:
        return heads
    if len(heads) - 1 <= exact_limit:
        return _max_arborescence(_prepared(scores, one_root=True))
    # greedy on the plain scores, so that the root is one the parser actually prefers
    heads = _greedy_repair(s, heads)
    roots = np.flatnonzero(heads[1:] == 0) + 1
    if len(roots) > 1:  # keep the best root; hang the others where they lose least
        keep = roots[np.argmax(s[roots, 0])]
        for r in roots[roots != keep]:
            allowed = ~_below(heads, np.arange(len(heads)) == r)  # no cycle through r
            allowed[0] = False  # and no second root
            heads[r] = int(np.argmax(np.where(allowed, s[r], -np.inf)))
    return heads


def _decode_graph_predictions(vocab: Any, batch_size: int, preds: Any, sentlens: Any,
                              resolve_head_constraints: bool = False) -> list:
    """Drop-in for Stanza's ``GraphParser.decode_graph_predictions`` (no head constraints)."""
    if resolve_head_constraints:
        raise ValueError("quotecraft's tree decoder does not implement Stanza's head constraints")
    out = []
    for i, n in enumerate(sentlens):
        tree = one_root_tree(preds[0][i][:n, :n])
        labels = preds[1][i]
        hs = tree[1:]
        rels = vocab.unmap([labels[j + 1][h] for j, h in enumerate(hs)])
        out.append([[int(h), r] for h, r in zip(hs, rels)])
    return out


def install(pipeline: Any) -> bool:
    """Use `one_root_tree` in ``pipeline``'s depparse model; False where it has none."""
    proc = getattr(pipeline, "processors", {}).get("depparse")
    model = getattr(getattr(proc, "_trainer", None), "model", None)
    if model is None or not hasattr(model, "decode_graph_predictions"):
        return False
    model.decode_graph_predictions = _decode_graph_predictions  # instance attribute: this model only
    return True
