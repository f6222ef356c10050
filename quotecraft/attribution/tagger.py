"""The learned attribution model: word pieces -> BIO tags -> attribution spans.

A small tagger head (dilated convolutions, optionally with a BiLSTM on top) reads frozen
encoder features (`quotecraft.nlp.encoder`) plus cheap flags from the rules' own steps
(quotation-mark pairing: inside a quote, opening and closing marks, a quote running on
unclosed; paragraph edges; a cue-lexicon word) and tags every word piece with one BIO
label per role: source, cue, content.  `viterbi_tags` picks the best tag sequence that is
valid BIO (no I after O, no I at a paragraph's first piece); `decode_spans` turns the
tags into character spans and
`link` groups them into attributions (a content with its nearest cue in the paragraph,
the cue with its nearest source), as plain records with character ranges; the
extractor turns those into public objects, with the resolver's names.

The head's weights live in ``quotecraft/models/attribution/head.pt`` (float16), one head or
several whose tag probabilities are averaged (`ensemble`); `load_head` checks the file and
names it in every error.
"""
from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Sequence

import regex

from ..errors import HeadError
from ..lexicon import TIME_LEADS, TIME_NAMES, TIME_WORDS
from .quotes import QUOTE_CHARS, MarkedQuote

__all__ = ["ROLES", "LearnedSpan", "LearnedAttribution", "HeadError", "decode_spans", "link",
           "snap_to_quotes", "token_flags", "load_head", "ensemble", "ensemble_config", "over_floor", "HEAD_PATH"]

ROLES = ("source", "cue", "content")
O, B, I = 0, 1, 2
HEAD_PATH = Path(__file__).resolve().parent.parent / "models" / "attribution" / "head.pt"
#: flags per piece that `token_flags` computes; a head reads the first ``config["flags"]``
#: of them (5 for heads trained before the quote-edge and paragraph-end flags existed)
N_FLAGS = 9
#: a content whose mean tag probability is below this is not reported
MIN_CONTENT_SCORE = 0.5

Range = tuple[int, int]



@dataclass
class LearnedSpan:
    """One tagged span: role, character range, paragraph index, mean tag probability."""

    role: str
    start: int
    end: int
    para: int
    score: float


@dataclass
class LearnedAttribution:
    """One attribution as the tagger tagged it: content fragments, the cue phrase as tagged
    ("also blamed"), the source mention; `quotecraft.attribution.merge.from_tagger` makes it a
    candidate beside the resolver's."""

    content: list[Range]
    cue: Optional[Range] = None
    source: Optional[Range] = None
    confidence: float = 0.5
    kind: str = "indirect"
    extra: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------------------- features

def token_flags(text: str, offsets: Sequence[Range], quotes: Sequence[MarkedQuote],
                para_starts: Sequence[int], cue_forms: frozenset[str]) -> list[list[float]]:
    """Per word piece: inside a marked quote, a quotation mark, first piece of its paragraph,
    part of a cue-lexicon word, starts with a capital letter; then the quote pairing's own
    decisions: the opening mark of a quote fragment, its closing mark, inside a quote that
    is never closed (runs on to the paragraph's end, as multi-paragraph quotes do), and last
    piece of its paragraph.  The tagger's window sees a few dozen pieces; the pairing has
    looked at the whole paragraph, which is what a content's edges follow."""
    spans = sorted((s, e, q.closed) for q in quotes for s, e in q.fragments)
    starts = [s for s, _, _ in spans]
    opens = {s for s, _, _ in spans}
    closes = {e for _, e, closed in spans if closed}
    pstarts = set(para_starts)
    out = []
    word_end = -1
    cue_word = False
    n = len(offsets)
    for k, (s, e) in enumerate(offsets):
        if s >= word_end:  # a new word: pieces continue while there is no space between them
            we = s
            while we < len(text) and not text[we].isspace() and (we == s or text[we].isalnum() or text[we] in "'’-"):
                we += 1
            word_end = max(we, e)
            cue_word = text[s:word_end].lower() in cue_forms
        i = bisect.bisect_right(starts, s) - 1
        inside = i >= 0 and spans[i][0] <= s < spans[i][1]
        mark = 1.0 if text[s:e] and text[s] in QUOTE_CHARS and e - s == 1 else 0.0
        first = 1.0 if s in pstarts or (s > 0 and text[s - 1] == "\n") else 0.0
        cap = 1.0 if text[s:s + 1].isupper() else 0.0
        opening = 1.0 if mark and s in opens else 0.0
        closing = 1.0 if mark and e in closes else 0.0
        unclosed = 1.0 if inside and not spans[i][2] else 0.0
        nxt = offsets[k + 1][0] if k + 1 < n else len(text)
        last = 1.0 if k + 1 == n or nxt in pstarts or "\n" in text[e:nxt] else 0.0
        out.append([1.0 if inside else 0.0, mark, first, 1.0 if cue_word else 0.0, cap,
                    opening, closing, unclosed, last])
    return out


# ---------------------------------------------------------------------------- decoding

def viterbi_tags(probs: Sequence[Sequence[Sequence[float]]], para_of: Sequence[int],
                 o_weight: Sequence[float] = ()) -> tuple[list[list[int]], list[list[float]]]:
    """The most probable valid BIO sequence per role, and the probability of each chosen tag.

    ``probs[k][r]`` holds the (O, B, I) probabilities of piece ``k`` for role ``ROLES[r]``.
    Valid: an I follows a B or an I of the same paragraph.  Taking each piece's best tag on
    its own lets a long content break where one piece in its middle leans to O, or start
    with an I; here the whole run is weighed at once, so a span stays one span unless its
    pieces as a whole say otherwise.
    """
    import math

    n = len(probs)
    if n == 0:
        return [], []
    tiny = 1e-12
    n_roles = len(probs[0])
    tags = [[O] * n_roles for _ in range(n)]
    chosen = [[0.0] * n_roles for _ in range(n)]
    for r in range(n_roles):
        # one role at a time as plain lists: a 1 MB article has some 200k pieces
        role = probs[:, r].tolist() if hasattr(probs, "tolist") else [row[r] for row in probs]
        back: list[tuple[int, int, int]] = []
        o_bias = math.log(o_weight[r]) if r < len(o_weight) else 0.0
        lp = [math.log(max(role[0][t], tiny)) + (o_bias if t == O else 0.0) for t in (O, B, I)]
        score = [lp[O], lp[B], -math.inf]
        back.append((O, O, O))
        for k in range(1, n):
            lp = [math.log(max(role[k][t], tiny)) + (o_bias if t == O else 0.0) for t in (O, B, I)]
            best_any = O if score[O] >= score[B] and score[O] >= score[I] else (B if score[B] >= score[I] else I)
            if para_of[k] != para_of[k - 1]:
                from_in = -math.inf  # a paragraph starts a new span or none
                arg_in = O
            else:
                arg_in = B if score[B] >= score[I] else I
                from_in = score[arg_in]
            back.append((best_any, best_any, arg_in))
            score = [score[best_any] + lp[O], score[best_any] + lp[B], from_in + lp[I]]
        t = O if score[O] >= score[B] and score[O] >= score[I] else (B if score[B] >= score[I] else I)
        for k in range(n - 1, -1, -1):
            tags[k][r] = t
            chosen[k][r] = float(role[k][t])
            t = back[k][t]
    return tags, chosen


def _trim(text: str, role: str, idx: list[int], offsets: Sequence[Range]) -> list[int]:
    """Pieces of a content without a leading period or a trailing comma (it keeps its
    quotation marks and a closing period).  Sources and cues stay as tagged: trimming them
    cost exact F1 on dev (abbreviations such as "U.S." end in a period piece)."""
    if role != "content":
        return idx

    def punct(k: int) -> bool:
        piece = text[offsets[k][0]:offsets[k][1]]
        return bool(piece) and not any(ch.isalnum() for ch in piece)

    lo, hi = 0, len(idx)
    while lo < hi and punct(idx[lo]) and text[offsets[idx[lo]][0]] not in QUOTE_CHARS + "([":
        lo += 1
    while hi > lo and punct(idx[hi - 1]) and text[offsets[idx[hi - 1]][0]] in ",;:—–-":
        hi -= 1
    return idx[lo:hi]


def _whole_words(text: str, lo: int, hi: int) -> Range:
    """A span never cuts a word: the tagger tags word pieces, and a span that starts or ends
    inside a word ("item" of "item119", "A6" of "A62") grows to the whole word."""
    while lo > 0 and text[lo - 1].isalnum() and text[lo].isalnum():
        lo -= 1
    while hi < len(text) and text[hi].isalnum() and text[hi - 1].isalnum():
        hi += 1
    return lo, hi


def decode_spans(tags: Sequence[Sequence[int]], probs: Sequence[Sequence[float]], offsets: Sequence[Range],
                 para_of: Sequence[int], text: Optional[str] = None) -> list[LearnedSpan]:
    """Spans of each role from per-piece BIO tags (``tags[i][r]`` for role ``ROLES[r]``).

    An I after O starts a span as a B would (the tagger's slip, not a reason to lose the
    span); a span never runs across a paragraph.  ``probs[i][r]`` is the probability of the
    chosen tag; a span's score is their mean.  With ``text``, punctuation at a span's edges is
    trimmed (`_trim`).
    """
    out: list[LearnedSpan] = []
    tags = [list(t) for t in tags]
    c = ROLES.index("content")
    for k in range(1, len(tags) - 1):
        # a lone O inside a long content followed by I: a slip of the tagger, not two contents
        if tags[k][c] == O and tags[k - 1][c] in (B, I) and tags[k + 1][c] == I and para_of[k - 1] == para_of[k + 1]:
            tags[k][c] = I
    for r, role in enumerate(ROLES):
        cur: Optional[list[int]] = None

        def close() -> None:
            span = _trim(text, role, cur, offsets) if cur and text is not None else cur
            if span:
                ps = [probs[k][r] for k in span]
                lo, hi = offsets[span[0]][0], offsets[span[-1]][1]
                if text is not None:
                    lo, hi = _whole_words(text, lo, hi)
                out.append(LearnedSpan(role, lo, hi, para_of[span[0]], sum(ps) / len(ps)))

        for k, tag in enumerate(tags):
            t = tag[r]
            if t == B or (t == I and (cur is None or para_of[k] != para_of[cur[-1]])):
                close()
                cur = [k]
            elif t == I:
                assert cur is not None
                cur.append(k)
            else:
                close()
                cur = None
        close()
    out.sort(key=lambda s: (s.start, ROLES.index(s.role)))
    return out


# what lies between a content and a cue of the next clause: " and ", ", but later ", " and he "
_COORDINATED = regex.compile(r"\s*,?\s*(?:and|but)(?:\s+[\w-]+){0,2}\s*")


# a sentence end between two spans: a period, question or exclamation mark (closing quotation
# marks may follow), then a space
_SENTENCE_GAP = regex.compile(r"[.!?][\"”’']*\s")


class _SentenceEnds:
    """Whether a sentence end (`_SENTENCE_GAP`) lies wholly between two offsets, by bisection."""

    def __init__(self, text: str) -> None:
        found = [(m.start(), m.end()) for m in _SENTENCE_GAP.finditer(text)]
        self.starts = [s for s, _ in found]
        self.ends = [e for _, e in found]

    def __call__(self, lo: int, hi: int) -> bool:
        # matches do not overlap: if the first one starting at lo or after runs past hi, so do the rest
        i = bisect.bisect_left(self.starts, lo)
        return i < len(self.starts) and self.ends[i] <= hi


def _between(a: LearnedSpan, b: LearnedSpan) -> tuple[int, int]:
    """The characters between two spans that do not overlap."""
    return (a.end, b.start) if a.end <= b.start else (b.end, a.start)


def _gap(a: LearnedSpan | Range, b: LearnedSpan | Range) -> int:
    a0, a1 = (a.start, a.end) if isinstance(a, LearnedSpan) else a
    b0, b1 = (b.start, b.end) if isinstance(b, LearnedSpan) else b
    return max(0, b0 - a1, a0 - b1)


def _inside(x: LearnedSpan, lo: int, hi: int) -> bool:
    return lo <= x.start and x.end <= hi


def link(spans: Sequence[LearnedSpan], min_score: float = MIN_CONTENT_SCORE,
         text: Optional[str] = None) -> list[LearnedAttribution]:
    """Attributions from tagged spans: each content takes the nearest cue of its paragraph
    (not one inside it), contents sharing a cue become one attribution of several fragments
    (``"A," he said, "B."``), and the cue takes the nearest source of its paragraph outside
    the content.  A content with no cue in its paragraph keeps no cue and no source.  With
    ``text``, a cue that follows the content after "and" or "but" ("told reporters X and said
    Y") is another clause's, and a cue or source across a sentence end from the content or cue
    ('"A," Lopez said. "B," she added') comes after those of its own sentence: each is taken
    only where the paragraph has no other."""
    cues = [s for s in spans if s.role == "cue"]
    sources = [s for s in spans if s.role == "source"]
    by_cue: dict[int, LearnedAttribution] = {}
    out: list[LearnedAttribution] = []
    # sentence ends found once: a paragraph of 3,000 clauses has as many contents and cues
    crosses = _SentenceEnds(text) if text is not None else None
    for c in (s for s in spans if s.role == "content"):
        if c.score < min_score:
            continue
        near = [k for k in cues if k.para == c.para and not _inside(k, c.start, c.end)]
        if text is not None and crosses is not None:
            # a coordinated cue opens its own clause, whose content comes after it
            near = [k for k in near if not (k.start >= c.end and _COORDINATED.fullmatch(text, c.end, k.start))] or near
            # '"A," Lopez said. "B," she added': a cue of the content's own sentence before one across a sentence end
            near = [k for k in near if not crosses(*_between(k, c))] or near
        cue = min(near, key=lambda k: (_gap(k, c), k.start)) if near else None
        if cue is not None and id(cue) in by_cue:
            att = by_cue[id(cue)]
            att.content.append((c.start, c.end))
            att.extra["scores"].append(c.score)
            continue
        source = None
        if cue is not None:
            cands = [s for s in sources if s.para == c.para and not _inside(s, c.start, c.end)
                     and not (s.start < cue.end and cue.start < s.end)]
            if crosses is not None:
                # the cue's subject is in its own sentence where the tagger marked one there
                cands = [s for s in cands if not crosses(*_between(s, cue))] or cands
            if cands:
                source = min(cands, key=lambda s: (_gap(s, cue), s.start))
        att = LearnedAttribution([(c.start, c.end)], (cue.start, cue.end) if cue else None,
                                 (source.start, source.end) if source else None,
                                 extra={"scores": [c.score], "cue_score": cue.score if cue else None,
                                        "source_score": source.score if source else None})
        if cue is not None:
            by_cue[id(cue)] = att
        out.append(att)
    for att in out:
        scores = att.extra["scores"]
        conf = sum(scores) / len(scores)
        if att.extra["cue_score"] is not None:
            conf *= att.extra["cue_score"]
        else:
            conf *= 0.5  # an uncued content is a weaker call
        att.confidence = round(conf, 3)
        att.content.sort()
    out.sort(key=lambda a: a.content[0])
    return out


_WORD_CHAR = regex.compile(r"\w")


def _minus(ranges: Sequence[Range], holes: Sequence[Range]) -> list[Range]:
    """``ranges`` less ``holes`` (both sorted, holes disjoint)."""
    out = []
    for s, e in ranges:
        pos = s
        for hs, he in holes:
            if he <= pos or hs >= e:
                continue
            if hs > pos:
                out.append((pos, hs))
            pos = max(pos, he)
        if pos < e:
            out.append((pos, e))
    return out


def snap_to_quotes(text: str, atts: list[LearnedAttribution], quotes: Sequence[MarkedQuote]) -> None:
    """Keep direct quotes exact: a content edge that falls inside a marked quote moves out to
    the quote's own edge (marks included), and the kind says whether marks are inside."""
    frags = sorted((s, e) for q in quotes for s, e in q.fragments)
    starts = [s for s, _ in frags]
    for att in atts:
        new = []
        for s, e in att.content:
            i = bisect.bisect_right(starts, s) - 1
            if i >= 0 and frags[i][0] < s < frags[i][1]:
                s = frags[i][0]
            j = bisect.bisect_left(starts, e) - 1
            if j >= 0 and frags[j][0] < e < frags[j][1]:
                e = frags[j][1]
            new.append((s, e))
        new.sort()
        merged: list[Range] = []
        for s, e in new:
            if merged and s <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
            else:
                merged.append((s, e))
        att.content = merged
        quoted = [f for f in frags if any(s <= f[0] and f[1] <= e for s, e in merged)]
        # direct: no word of the content outside its marks ('it "remains attentive."' is mixed)
        outside = "".join(text[s:e] for s, e in _minus(merged, quoted))
        if quoted and not _WORD_CHAR.search(outside):
            att.kind = "direct"
        elif quoted:
            att.kind = "mixed"
        else:
            att.kind = "indirect"


# "as" and a quoted label: 'described the plan as "a disaster"', 'called her "a liar" as a "friend"'
_AS_LABEL = regex.compile(r"\bas (?:an? |the )?[“\"]", regex.I)


@functools.lru_cache(maxsize=None)
def _adjunct() -> "regex.Pattern[str]":
    """What opens an adjunct of the reporting clause: an occasion ("during", "while"), a time
    (its lead word, word or name: the time word lists), a place ("in", "at")."""
    words = {"during", "after", "before", "while", "when"} | TIME_LEADS | TIME_WORDS | TIME_NAMES
    return regex.compile(r"\s*,?\s*(?:%s)\b" % "|".join(sorted(map(regex.escape, words), key=len, reverse=True)))


def end_at_label(text: str, att: LearnedAttribution) -> None:
    """'The senator described the plan as "a disaster" during a rally in Ohio': a content that
    labels something "as" a quoted phrase ends with the label's closing mark; what follows it
    (a time, a place, an occasion) belongs to the reporting clause, not to what was said."""
    s, e = att.content[-1]
    seg = text[s:e]
    close = max(seg.rfind("”"), seg.rfind('"'))
    if close <= 0 or close == len(seg) - 1 or not _adjunct().match(seg, close + 1) \
            or not _AS_LABEL.search(seg, 0, close + 1):
        return
    att.content[-1] = (s, s + close + 1)


# ---------------------------------------------------------------------------- the head

def build_head(config: dict[str, Any]):  # type: ignore[no-untyped-def]
    """The tagger head as a torch module, from its config (also stored with the weights)."""
    import torch
    from torch import nn

    class Head(nn.Module):
        def __init__(self, feat_dim: int, vocab: int, emb: int, proj: int, hidden: int, layers: int,
                     dropout: float, arch: str, heads: int, n_flags: int) -> None:
            super().__init__()
            self.arch = arch
            self.emb = nn.Embedding(vocab, emb) if vocab else None
            self.drop = nn.Dropout(dropout)
            self.proj = nn.Linear(feat_dim + (emb if vocab else 0) + n_flags, proj)
            if arch == "lstm":
                self.lstm = nn.LSTM(proj, hidden, num_layers=layers, bidirectional=True, batch_first=True,
                                    dropout=dropout if layers > 1 else 0.0)
                width = 2 * hidden
            elif arch in ("conv", "convlstm"):
                # dilated convolutions (dilation 1, 2, 4, ...): context of a few dozen pieces at the
                # cost of a few matrix products; the cheapest head to train on one CPU core
                self.convs = nn.ModuleList(nn.Conv1d(proj, proj, 5, padding=2 * 2 ** k, dilation=2 ** k)
                                           for k in range(layers))
                width = proj
                if arch == "convlstm":
                    # one BiLSTM over the convolutions: the whole window as context, so a content
                    # that runs for a hundred pieces is seen end to end
                    self.lstm = nn.LSTM(proj, hidden, bidirectional=True, batch_first=True)
                    width = proj + 2 * hidden
            else:
                self.pos = nn.Embedding(512, proj)
                layer = nn.TransformerEncoderLayer(proj, heads, hidden, dropout, batch_first=True, norm_first=True)
                self.enc = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
                width = proj
            self.out = nn.Linear(width, 3 * len(ROLES))

        def forward(self, feats, ids, flags, lengths):  # type: ignore[no-untyped-def]
            parts = []
            if feats is not None:
                parts.append(feats)
            if self.emb is not None:
                parts.append(self.emb(ids))
            parts.append(flags)
            x = torch.relu(self.proj(self.drop(torch.cat(parts, dim=-1))))
            n = x.shape[1]
            if self.arch == "lstm":
                packed = nn.utils.rnn.pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
                y, _ = self.lstm(packed)
                y, _ = nn.utils.rnn.pad_packed_sequence(y, batch_first=True, total_length=n)
            elif self.arch in ("conv", "convlstm"):
                keep = (torch.arange(n, device=x.device)[None, :] < lengths[:, None]).unsqueeze(1).float()
                h = x.transpose(1, 2) * keep
                for conv in self.convs:
                    h = (h + torch.nn.functional.gelu(conv(self.drop(h)))) * keep  # padding stays zero
                y = h.transpose(1, 2)
                if self.arch == "convlstm":
                    packed = nn.utils.rnn.pack_padded_sequence(y, lengths.cpu(), batch_first=True, enforce_sorted=False)
                    z, _ = self.lstm(packed)
                    z, _ = nn.utils.rnn.pad_packed_sequence(z, batch_first=True, total_length=n)
                    y = torch.cat([y, z], dim=-1)
            else:
                pad = torch.arange(n, device=x.device)[None, :] >= lengths[:, None]
                y = self.enc(x + self.pos(torch.arange(n, device=x.device))[None], src_key_padding_mask=pad)
            return self.out(self.drop(y)).view(x.shape[0], n, len(ROLES), 3)

    return Head(config["feat_dim"], config.get("vocab", 0), config.get("emb", 0), config["proj"],
                config["hidden"], config["layers"], config.get("dropout", 0.0), config.get("arch", "lstm"),
                config.get("heads", 4), config.get("flags", 5))


def ensemble(members: Sequence[tuple[Any, dict[str, Any]]]):  # type: ignore[no-untyped-def]
    """(module, config) of heads whose per-piece tag probabilities are averaged.

    ``members`` are ``(module, config)`` pairs as `load_head` returns them, all over the same
    encoder features.  The module's output are log mean probabilities, so the softmax that
    `tag_article` applies to a single head's logits gives the members' mean probabilities:
    Viterbi, the span scores and the confidences then read the averaged distribution.  Heads
    trained apart err in different places; where they agree the mean stays sharp, where they
    disagree it flattens and the decoding weighs the whole span.  Each member reads the first
    ``flags`` flags its own config names.  The config is the first member's (decoding, floor,
    ``min_score``) with the widest flag count."""
    import torch
    from torch import nn

    if not members:
        raise ValueError("an ensemble needs at least one head")
    merged = ensemble_config([c for _, c in members])

    class Ensemble(nn.Module):
        def __init__(self, heads: Sequence[Any], flags: Sequence[int]) -> None:
            super().__init__()
            self.heads = nn.ModuleList(heads)
            self.flags = list(flags)

        def forward(self, feats, ids, flags, lengths):  # type: ignore[no-untyped-def]
            p = sum(torch.softmax(h(feats, ids, flags[..., :n], lengths), dim=-1)
                    for h, n in zip(self.heads, self.flags)) / len(self.heads)
            return torch.log(p.clamp_min(1e-12))

    module = Ensemble([h for h, _ in members], [c.get("flags", 5) for _, c in members])
    module.eval()
    return module, dict(merged, ensemble=len(members))


def ensemble_config(configs: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The settings of heads averaged together: the first head's (decoding, floor,
    ``min_score``) with the widest flag count; heads over encoder features of different
    widths cannot be averaged (ValueError)."""
    dims = {c["feat_dim"] for c in configs}
    if len(dims) != 1:
        raise ValueError(f"the heads read encoder features of different widths {sorted(dims)}")
    return dict(configs[0], flags=max(c.get("flags", 5) for c in configs))


def load_head(path: Optional[Path] = None):  # type: ignore[no-untyped-def]
    """(module in eval mode, config) from a weights file written by the training command.

    A file holds one head (``{"config", "state"}``) or several (``{"config", "members":
    [{"config", "state"}, ...]}``, written by ``--install`` with several checkpoints): the
    module then averages the members' tag probabilities (`ensemble`) and the file's own
    config (decoding, floor) is the one returned."""
    import torch

    path = Path(path) if path else HEAD_PATH
    if not path.exists():
        raise HeadError(f"attribution model weights {path} are missing; reinstall quotecraft, or train them "
                        f"with: python -m quotecraft.train attribution --data DIR")
    try:
        ckpt = torch.load(path, map_location="cpu", weights_only=True)
        parts = ckpt["members"] if "members" in ckpt else [ckpt]
        if not isinstance(parts, list) or not parts:
            raise ValueError("no heads in the file")
        members = []
        for part in parts:
            head = build_head(part["config"])
            head.load_state_dict({k: v.float() for k, v in part["state"].items()})
            head.eval()
            members.append((head, part["config"]))
        if "members" in ckpt:
            head, config = ensemble(members)
            config = dict(ckpt["config"], flags=config["flags"], ensemble=config["ensemble"])
        else:
            head, config = members[0]
    except Exception as e:
        raise HeadError(f"attribution model weights {path} cannot be read ({type(e).__name__}: {e}); "
                        f"the file is damaged or not a quotecraft attribution head") from None
    head.eval()
    return head, config


# ---------------------------------------------------------------------------- one article

@dataclass
class ArticleInputs:
    """What the head reads for one article: per window, piece ids, offsets, flags, paragraph
    index of each piece, and (for an encoder-based head) the encoder's features."""

    ids: list[Any]
    offsets: list[Any]
    flags: list[Any]
    para: list[Any]
    feats: list[Any]


def article_inputs(text: str, blocks: Sequence[Range], quotes: Sequence[MarkedQuote], encoder: Any,
                   cue_forms: frozenset[str], with_features: bool) -> ArticleInputs:
    """Windows of word pieces over the prose paragraphs ``blocks``, with everything the head reads."""
    import torch

    from ..nlp.encoder import encoded_windows

    windows = encoded_windows(encoder, text, blocks)
    res = inputs_from_windows(text, windows, [], blocks, quotes, cue_forms)
    if with_features:
        res.feats = [f.to(torch.float16) for f in encoder.encode(windows)]
    return res


def inputs_from_windows(text: str, windows: Sequence[Any], feats: Sequence[Any], blocks: Sequence[Range],
                        quotes: Sequence[MarkedQuote], cue_forms: frozenset[str]) -> ArticleInputs:
    """`ArticleInputs` of windows already encoded (``feats``, one per window; empty: the head's
    features are computed while tagging).  ``blocks``: every prose paragraph of the article, so
    paragraph indexes are the article's even when ``windows`` cover a part of it."""
    import torch

    pstarts = [s for s, _ in blocks]
    res = ArticleInputs([], [], [], [], list(feats))
    for w in windows:
        res.ids.append(torch.tensor(w.ids, dtype=torch.int32))
        res.offsets.append(torch.tensor(w.offsets, dtype=torch.int32).reshape(-1, 2))
        res.flags.append(torch.tensor(token_flags(text, w.offsets, quotes, pstarts, cue_forms),
                                      dtype=torch.float16).reshape(-1, N_FLAGS))
        res.para.append(torch.tensor([bisect.bisect_right(pstarts, s) - 1 for s, _ in w.offsets], dtype=torch.int32))
    return res


def tag_article(head: Any, config: dict[str, Any], inp: ArticleInputs, batch_size: int = 16,
                encoder: Any = None, cue_features: Optional[dict[Range, Any]] = None,
                span_features: Optional[tuple[Sequence[Range], dict[Range, Any]]] = None,
                ) -> tuple[list[list[int]], list[list[float]], list[Range], list[int]]:
    """BIO tags, their probabilities, offsets and paragraph indexes of every piece of the article.

    Tags are each piece's most probable ones, or with ``config["decode"] == "viterbi"`` the
    best valid BIO sequence (`viterbi_tags`).  Without ``inp.feats`` the encoder's features
    are computed batch by batch here and dropped after use, so memory stays flat however long
    the article (a 1 MB article has some 200k pieces: its features at once would take about
    600 MB).  With ``cue_features`` the encoder features of every piece the head tags as part
    of a cue are kept there (float16, by piece offsets), for the attribution type head
    (`quotecraft.attribution.speech`): the one encoder pass serves both.  ``span_features``
    (sorted character spans, a store): the same for every piece inside one of the spans (the
    names the entity-type head reads, `quotecraft.attribution.entitytype`)."""
    import torch

    from ..nlp.encoder import Window

    tags: list[list[int]] = []
    probs: list[list[float]] = []
    full: list[Any] = []
    offsets: list[Range] = []
    paras: list[int] = []
    use_feats = config["feat_dim"] > 0
    n_flags = config.get("flags", 5)
    viterbi = config.get("decode", "argmax") == "viterbi"
    with torch.inference_mode():
        for lo in range(0, len(inp.ids), batch_size):
            idx = list(range(lo, min(len(inp.ids), lo + batch_size)))
            lengths = [len(inp.ids[i]) for i in idx]
            n = max(lengths)
            ids = torch.zeros(len(idx), n, dtype=torch.long)
            flags = torch.zeros(len(idx), n, n_flags)
            feats = torch.zeros(len(idx), n, config["feat_dim"]) if use_feats else None
            if feats is not None and not inp.feats:
                if encoder is None:
                    raise ValueError("tag_article needs the encoder when the inputs hold no features")
                batch_feats = encoder.encode([Window(inp.ids[i].tolist(), [tuple(o) for o in inp.offsets[i].tolist()])
                                              for i in idx], batch_size=batch_size)
            else:
                batch_feats = [inp.feats[i] for i in idx] if feats is not None else []
            for r, i in enumerate(idx):
                ids[r, :lengths[r]] = inp.ids[i].long()
                flags[r, :lengths[r]] = inp.flags[i][:, :n_flags].float()
                if feats is not None:
                    # through float16 as in training, where the features are cached in float16
                    feats[r, :lengths[r]] = batch_feats[r].to(torch.float16).float()
            p = torch.softmax(head(feats, ids, flags, torch.tensor(lengths)), dim=-1)
            best, arg = p.max(dim=-1)
            if cue_features is not None and feats is not None:
                _keep_cue_features(cue_features, arg, feats, inp.offsets, idx, lengths)
            if span_features is not None and feats is not None:
                _keep_span_features(span_features, feats, inp.offsets, idx, lengths)
            for r, i in enumerate(idx):
                if viterbi:
                    full.append(p[r, :lengths[r]].clone())
                else:
                    tags.extend(arg[r, :lengths[r]].tolist())
                    probs.extend(best[r, :lengths[r]].tolist())
                offsets.extend(tuple(o) for o in inp.offsets[i].tolist())
                paras.extend(inp.para[i].tolist())
    if viterbi:
        tags, probs = viterbi_tags(torch.cat(full) if full else [], paras, config.get("o_weight", ()))
    return tags, probs, offsets, paras


def _keep_cue_features(store: dict[Range, Any], arg: Any, feats: Any, offsets: Sequence[Any],
                       idx: Sequence[int], lengths: Sequence[int]) -> None:
    """Keep the features of the pieces of a batch whose cue tag is not O."""
    cue = ROLES.index("cue")
    for r, i in enumerate(idx):
        for k in (arg[r, :lengths[r], cue] != O).nonzero().flatten().tolist():
            store[tuple(offsets[i][k].tolist())] = feats[r, k].half()


def _keep_span_features(spans: tuple[Sequence[Range], dict[Range, Any]], feats: Any, offsets: Sequence[Any],
                        idx: Sequence[int], lengths: Sequence[int]) -> None:
    """Keep the features of the pieces of a batch that lie inside one of the sorted spans."""
    ranges, store = spans
    starts = [s for s, _ in ranges]
    for r, i in enumerate(idx):
        for k, (s, e) in enumerate(offsets[i][:lengths[r]].tolist()):
            j = bisect.bisect_right(starts, s) - 1
            if j >= 0 and s < ranges[j][1]:
                store[(s, e)] = feats[r, k].half()


def over_floor(att: LearnedAttribution, floor: float) -> bool:
    """Whether an attribution stays at the confidence floor: at or above it, or holding a marked
    quote (kind direct or mixed), which vouches for the content whatever its confidence."""
    return att.confidence >= floor or att.kind in ("direct", "mixed")


def _only_names(att: LearnedAttribution, names: Sequence[MarkedQuote]) -> bool:
    """Every fragment of the content lies inside a quoted name."""
    return bool(names) and all(any(q.start <= s and e <= q.end for q in names) for s, e in att.content)


def learned_attributions(text: str, head: Any, config: dict[str, Any], inp: ArticleInputs,
                         quotes: Sequence[MarkedQuote], encoder: Any = None,
                         unsure: Optional[list[LearnedAttribution]] = None,
                         cue_features: Optional[dict[Range, Any]] = None,
                         span_features: Optional[tuple[Sequence[Range], dict[Range, Any]]] = None,
                         ) -> list[LearnedAttribution]:
    """The article's attributions as the model sees them, direct quotes snapped to their marks.

    An attribution whose confidence is under ``config["min_confidence"]`` is dropped unless its
    content holds a marked quote (kind direct or mixed): the quotation marks vouch for such a
    content, while a weak indirect content is mostly a fragment of a longer one or no
    attribution at all (the threshold is chosen on dev when the head is installed).  The
    dropped ones are appended to ``unsure`` when it is given (`quotecraft.attribution.merge.reconcile` lets them
    vouch for the resolver's reading of the same words).  ``cue_features``, ``span_features``:
    see `tag_article`."""
    tagged = tag_article(head, config, inp, encoder=encoder, cue_features=cue_features, span_features=span_features)
    return attributions_from_tags(text, config, tagged, quotes, unsure)


def attributions_from_tags(text: str, config: dict[str, Any],
                           tagged: tuple[list[Any], list[Any], list[Range], list[int]],
                           quotes: Sequence[MarkedQuote], unsure: Optional[list[LearnedAttribution]] = None,
                           ) -> list[LearnedAttribution]:
    """`learned_attributions` from `tag_article`'s output (the article's, or its chunks' joined
    in text order): spans decoded and linked, direct quotes snapped, the weak ones floored."""
    tags, probs, offsets, paras = tagged
    atts = link(decode_spans(tags, probs, offsets, paras, text), config.get("min_score", MIN_CONTENT_SCORE), text)
    snap_to_quotes(text, atts, quotes)
    for a in atts:
        end_at_label(text, a)
    floor = config.get("min_confidence", 0.0)
    names = [q for q in quotes if q.name]
    kept = []
    for a in atts:
        # marks vouch for a weak call, unless they mark a name ("'All Bets Are Off.'", a subheading)
        if over_floor(a, floor) and (a.confidence >= floor or not _only_names(a, names)):
            kept.append(a)
        elif unsure is not None:
            unsure.append(a)
    return kept
