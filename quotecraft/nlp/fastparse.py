"""The fast path: one small joint tagger and parser in place of Stanza's pos, lemma and depparse.

``load_stanza(model="fast")`` / ``Extractor(model="fast")``.  Tokenization and
MWT expansion stay Stanza's (the embedded model's ``tokenize.pt``/``mwt.pt``), so
offsets, sentence breaks and quotation-mark handling are exactly those of the
default model; only tagging, lemmas and the parse come from here.

Why it is cheaper than the embedded Stanza tagger + parser (two networks, each
with its own character LSTM and word BiLSTMs, and a 257 x 257 x 51 relation
biaffine computed for every word pair):

* one network for both jobs: word embeddings plus hashed affix/shape
  embeddings (no character LSTM), one 2-layer BiLSTM (128 per direction)
  shared by the tag heads (UPOS, XPOS, UFeats as whole strings) and the parser;
* a biaffine arc scorer of 128 dimensions, and a relation scorer applied only
  to the chosen head of each word (not to all pairs): 64-dimensional dependent
  and head vectors and their product, one linear layer to the labels;
* trees decoded by `quotecraft.nlp.treedecode` (argmax when it is already a tree);
* lemmas by a plain look-up in the embedded model's lemma dictionary (Stanza's
  own dictionary lemmatizer does the same look-up behind a data loader).

Sentences are run in batches of similar length.  Weights are float16 in
``quotecraft/models/fast/fastparse.pt`` (vocabularies inside).

Train (resumable, bounded by ``--minutes``; EWT + GUM non-NC train, selected
on their dev sets by LAS with greedy heads)::

    python -m quotecraft.train fastparse --ud-dir ../shared/data/ud --minutes 40

See MODEL_CARD.md ("The fast model") for data, wall time and scores.
"""
from __future__ import annotations

import gzip
import json
import re
import zlib
from pathlib import Path
from typing import Any, Optional, Sequence

__all__ = ["FastPipeline", "load_fast", "FAST_MODEL_DIR", "FAST_MODEL_FILE"]

FAST_MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "fast"
FAST_MODEL_FILE = "fastparse.pt"
REBUILD_HINT = "rebuild it with `python -m quotecraft.train fastparse --ud-dir PATH/TO/ud` (see MODEL_CARD.md)"

UNK, ROOT = "<unk>", "<root>"
_DIGITS = re.compile(r"\d")

# --------------------------------------------------------------------------- features


def _norm(form: str) -> str:
    return _DIGITS.sub("0", form.lower())


def _shape(form: str) -> str:
    out: list[str] = []
    for ch in form[:12]:
        c = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        if len(out) < 2 or not (out[-1] == c and out[-2] == c):  # runs of 3+ look like runs of 2
            out.append(c)
    return "".join(out)


def affix_ids(form: str, buckets: int) -> list[int]:
    """Hashed ids of the word's prefixes, suffixes, shape and exact-case form.

    Stable across processes (crc32, not Python's salted ``hash``), so that the
    ids at run time are the ids seen in training."""
    low = _norm(form)
    keys = (f"p1{low[:1]}", f"p2{low[:2]}", f"p3{low[:3]}", f"s1{low[-1:]}", f"s2{low[-2:]}",
            f"s3{low[-3:]}", f"s4{low[-4:]}", f"sh{_shape(form)}", f"w{form}")
    return [zlib.crc32(k.encode("utf-8")) % buckets for k in keys]


N_AFFIX = 9

# --------------------------------------------------------------------------- network


def _build_network(cfg: dict[str, Any]) -> Any:
    import torch
    from torch import nn

    class MLP(nn.Module):
        def __init__(self, i: int, o: int, dropout: float) -> None:
            super().__init__()
            self.lin = nn.Linear(i, o)
            self.drop = nn.Dropout(dropout)

        def forward(self, x):  # type: ignore[no-untyped-def]
            return self.drop(nn.functional.leaky_relu(self.lin(x), 0.1))

    class FastNet(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            h, d = cfg["hidden"], cfg["dropout"]
            self.word = nn.Embedding(cfg["n_words"], cfg["word_dim"], padding_idx=0)
            self.affix = nn.Embedding(cfg["buckets"], cfg["affix_dim"])
            self.drop = nn.Dropout(d)
            self.lstm = nn.LSTM(cfg["word_dim"] + cfg["affix_dim"], h, num_layers=cfg["layers"],
                                bidirectional=True, batch_first=True, dropout=d)
            self.upos = nn.Linear(2 * h, cfg["n_upos"])
            self.xpos = nn.Linear(2 * h, cfg["n_xpos"])
            self.feats = nn.Linear(2 * h, cfg["n_feats"])
            self.arc_dep, self.arc_head = MLP(2 * h, cfg["arc_dim"], d), MLP(2 * h, cfg["arc_dim"], d)
            self.rel_dep, self.rel_head = MLP(2 * h, cfg["rel_dim"], d), MLP(2 * h, cfg["rel_dim"], d)
            self.arc_w = nn.Parameter(torch.zeros(cfg["arc_dim"], cfg["arc_dim"]))
            self.arc_b = nn.Parameter(torch.zeros(cfg["arc_dim"]))  # how likely a word is a head at all
            # dependent, head and their product -> label: a diagonal bilinear form plus linear
            # terms, 3 x rel_dim x labels per word (a full bilinear form is rel_dim times more)
            self.rel_out = nn.Linear(3 * cfg["rel_dim"], cfg["n_rels"])

        def encode(self, words, affixes, lengths):  # type: ignore[no-untyped-def]
            x = torch.cat([self.word(words), self.affix(affixes).sum(2)], dim=-1)
            x = self.drop(x)
            packed = nn.utils.rnn.pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
            out, _ = self.lstm(packed)
            out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=words.shape[1])
            return self.drop(out)

        def arcs(self, enc, mask):  # type: ignore[no-untyped-def]
            dep, head = self.arc_dep(enc), self.arc_head(enc)
            scores = (dep @ self.arc_w) @ head.transpose(1, 2) + (head @ self.arc_b).unsqueeze(1)
            return scores.masked_fill(~mask.unsqueeze(1), float("-inf"))

        def rels(self, enc, heads):  # type: ignore[no-untyped-def]
            """Relation scores of each word with the given head (B, T) -> (B, T, n_rels)."""
            dep, head = self.rel_dep(enc), self.rel_head(enc)
            head = head.gather(1, heads.unsqueeze(-1).expand(-1, -1, head.shape[-1]))
            return self.rel_out(torch.cat([dep, head, dep * head], dim=-1))

    return FastNet()


# --------------------------------------------------------------------------- data


class Vocab:
    """Label and word inventories, saved with the weights."""

    def __init__(self, d: dict[str, list[str]]) -> None:
        self.lists = d
        self.index = {k: {s: i for i, s in enumerate(v)} for k, v in d.items()}

    @classmethod
    def build(cls, sents: list[list[tuple]], min_count: int = 2) -> "Vocab":
        from collections import Counter

        counts = Counter(_norm(w[0]) for s in sents for w in s)
        words = ["<pad>", UNK, ROOT] + sorted(w for w, n in counts.items() if n >= min_count)
        lab = {k: sorted({w[i] for s in sents for w in s}) for k, i in (("upos", 1), ("xpos", 2), ("feats", 3), ("rels", 5))}
        return cls({"words": words, **lab})

    def word_id(self, form: str) -> int:
        return self.index["words"].get(_norm(form), 1)


def _tensors(sents: Sequence[Sequence[str]], vocab: Vocab, buckets: int, cache: dict[str, tuple[int, list[int]]]):  # type: ignore[no-untyped-def]
    """Padded (words, affixes, lengths) with position 0 the root; lengths count the root."""
    import torch

    n = max(len(s) for s in sents) + 1
    words = torch.zeros(len(sents), n, dtype=torch.long)
    affixes = torch.zeros(len(sents), n, N_AFFIX, dtype=torch.long)
    root = cache.get(ROOT)
    if root is None:
        root = cache[ROOT] = (vocab.index["words"][ROOT], affix_ids(ROOT, buckets))
    for b, s in enumerate(sents):
        ids, affs = [root[0]], [root[1]]
        for form in s:
            hit = cache.get(form)
            if hit is None:
                hit = cache[form] = (vocab.word_id(form), affix_ids(form, buckets))
            ids.append(hit[0])
            affs.append(hit[1])
        words[b, :len(ids)] = torch.tensor(ids)
        affixes[b, :len(ids)] = torch.tensor(affs)
    lengths = torch.tensor([len(s) + 1 for s in sents])
    return words, affixes, lengths


# --------------------------------------------------------------------------- run time


class FastModel:
    """The loaded network with its vocabularies and the lemma dictionary."""

    #: sentences up to this many words whose best heads are no tree get the exact decoder,
    #: longer ones the greedy repair (see `quotecraft.nlp.treedecode`); 0: this path always
    #: repairs greedily, as when its scores and speed were measured
    exact_limit = 0

    def __init__(self, path: Path, lemma_path: Path) -> None:
        import torch

        from ..errors import ModelError

        if not path.is_file():
            raise ModelError(f"fast model file is missing: {path}; {REBUILD_HINT}")
        try:
            blob = torch.load(path, map_location="cpu", weights_only=True)
            self.cfg = dict(blob["config"])
            self.vocab = Vocab(blob["vocab"])
            self.net = _build_network(self.cfg)
            self.net.load_state_dict({k: v.float() for k, v in blob["state_dict"].items()})
        except Exception as exc:
            raise ModelError(f"fast model file {path} cannot be read ({exc.__class__.__name__}: {exc}); {REBUILD_HINT}") from exc
        self.net.eval()
        self.lemmas = _load_lemma_dict(lemma_path)
        self._root_rel = self.vocab.index["rels"]["root"]
        self._cache: dict[str, tuple[int, list[int]]] = {}

    def predict(self, sents: Sequence[Sequence[str]], batch_words: int = 2500) -> list[list[tuple[str, str, str, str, int, str]]]:
        """(upos, xpos, feats, lemma, head, deprel) for every word of every sentence."""
        import torch

        from . import treedecode

        if len(self._cache) > 200_000:  # bounded memory on endless streams of new words
            self._cache.clear()
        order = sorted(range(len(sents)), key=lambda i: len(sents[i]))
        out: list[Any] = [None] * len(sents)
        lists = self.vocab.lists
        k = 0
        with torch.inference_mode():
            while k < len(order):
                # similar lengths together: little padding; about batch_words words per batch
                longest = len(sents[order[min(len(order) - 1, k)]]) + 1
                j = k
                while j < len(order) and (j - k + 1) * (len(sents[order[j]]) + 1) <= max(batch_words, longest):
                    j += 1
                idx = order[k:max(j, k + 1)]
                k = max(j, k + 1)
                batch = [sents[i] for i in idx]
                words, affixes, lengths = _tensors(batch, self.vocab, self.cfg["buckets"], self._cache)
                mask = torch.arange(words.shape[1]).unsqueeze(0) < lengths.unsqueeze(1)
                enc = self.net.encode(words, affixes, lengths)
                upos = self.net.upos(enc).argmax(-1).tolist()
                xpos = self.net.xpos(enc).argmax(-1).tolist()
                feats = self.net.feats(enc).argmax(-1).tolist()
                arc = torch.log_softmax(self.net.arcs(enc, mask), dim=-1).numpy()
                heads = torch.zeros(words.shape, dtype=torch.long)
                trees = []
                for b, s in enumerate(batch):
                    n = len(s) + 1
                    tree = treedecode.one_root_tree(arc[b, :n, :n], exact_limit=self.exact_limit)
                    trees.append(tree)
                    heads[b, :n] = torch.as_tensor(tree)
                rel_scores = self.net.rels(enc, heads)
                # one root per tree: "root" for the word under 0 and for no other
                rel_scores[..., self._root_rel] = torch.where(heads == 0, float("inf"), float("-inf"))
                rels = rel_scores.argmax(-1).tolist()
                for b, (i, s) in enumerate(zip(idx, batch)):
                    row = []
                    for t, form in enumerate(s, start=1):
                        u = lists["upos"][upos[b][t]]
                        row.append((u, lists["xpos"][xpos[b][t]], lists["feats"][feats[b][t]],
                                    self.lemma(form, u), int(trees[b][t]), lists["rels"][rels[b][t]]))
                    out[i] = row
        return out

    def lemma(self, form: str, upos: str) -> str:
        """Stanza's dictionary lemmatizer (`dictionary_lemma`), on the form as written."""
        return dictionary_lemma(self.lemmas, form, upos)


def dictionary_lemma(lemmas: dict[str, dict[str, str]], form: str, upos: str, fold_case: bool = False) -> str:
    """Stanza's dictionary lemmatizer: the (word, UPOS) entry, else the word's own entry, else the
    word.  ``fold_case``: the lower-cased word is looked up too ("Said" opening a sentence is
    "say"), each entry after the form as written (the default model's one pass does this)."""
    forms = (form, form.lower()) if fold_case else (form,)
    for table in (lemmas.get(upos, {}), lemmas.get("*", {})):
        hit = next((table[f] for f in forms if f in table), None)
        if hit is not None:
            return hit
    return form


def _load_lemma_dict(path: Path) -> dict[str, dict[str, str]]:
    """The embedded model's lemma dictionary ({UPOS or '*': {word: lemma}}, Stanza's v3 format)."""
    import torch

    from ..errors import ModelError

    try:
        ck = torch.load(path, map_location="cpu", weights_only=True)
        if ck.get("dicts_version") != 3:
            raise ValueError(f"dictionary format {ck.get('dicts_version')!r}, expected 3")
        return json.loads(gzip.decompress(ck["dicts"]))
    except FileNotFoundError:
        raise ModelError(f"the embedded lemma dictionary is missing: {path}") from None
    except Exception as exc:
        raise ModelError(f"the embedded lemma dictionary {path} cannot be read ({exc.__class__.__name__}: {exc})") from exc


class FastPipeline:
    """What quotecraft needs of a ``stanza.Pipeline``, with the fast model behind it.

    ``tokenizer`` is a Stanza pipeline (tokenize[, mwt]) of the embedded model;
    tagging, lemmas and parse are filled in by `FastModel` on its Stanza
    ``Document``, so callers read the usual Stanza words (text, offsets, upos,
    xpos, feats, lemma, head, deprel).
    """

    def __init__(self, tokenizer: Any, model: FastModel, processors: Sequence[str]) -> None:
        self.tokenizer = tokenizer
        self.model = model
        self.processors = list(processors)

    def __call__(self, doc: Any, processors: Optional[str] = None) -> Any:
        return self.process(doc, processors)

    def process(self, doc: Any, processors: Optional[str] = None) -> Any:
        """Run ``processors`` (default: all loaded ones) on a text, a token list, a Document
        or a list of Documents (as ``stanza.Pipeline.process``)."""
        procs = [p.strip() for p in (processors or ",".join(self.processors)).split(",") if p.strip()]
        tok = [p for p in procs if p in ("tokenize", "mwt")]
        if tok:
            doc = self.tokenizer.process(doc, processors=",".join(tok))
        if any(p in procs for p in ("pos", "lemma", "depparse")):
            for d in (doc if isinstance(doc, list) else [doc]):
                self.annotate(d)
        return doc

    def bulk_process(self, docs: list[Any], processors: Optional[str] = None) -> list[Any]:
        from stanza import Document

        return self.process([d if isinstance(d, Document) else Document([], text=d) for d in docs], processors)

    def tag_and_parse(self, sentences: Sequence[Sequence[str]]) -> list[list[tuple[str, str, str, str, int, str]]]:
        """(upos, xpos, feats, lemma, head, deprel) of each word of each sentence (word texts)."""
        return self.model.predict(sentences)

    def annotate(self, doc: Any) -> None:
        """Set upos, xpos, feats, lemma, head, deprel on every word of ``doc``."""
        sents = [[w.text for w in s.words] for s in doc.sentences]
        keep = [i for i, s in enumerate(sents) if s]
        preds = self.model.predict([sents[i] for i in keep]) if keep else []
        for i, pred in zip(keep, preds):
            for w, (upos, xpos, feats, lemma, head, rel) in zip(doc.sentences[i].words, pred):
                w.upos, w.xpos, w.feats, w.lemma = upos, xpos, None if feats == "_" else feats, lemma
                w.head, w.deprel = head, rel
            doc.sentences[i].build_dependencies()


def load_fast(model_dir: Optional[Path], tokenizer: Any, processors: Sequence[str]) -> FastPipeline:
    """The fast pipeline: ``model_dir`` (default `FAST_MODEL_DIR`) holds ``fastparse.pt``."""
    from .paths import MODEL_FILES, PACKAGE_MODEL_DIR

    model = FastModel(Path(model_dir or FAST_MODEL_DIR) / FAST_MODEL_FILE, PACKAGE_MODEL_DIR / MODEL_FILES["lemma"])
    return FastPipeline(tokenizer, model, processors)
