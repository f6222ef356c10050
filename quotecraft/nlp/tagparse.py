"""The ``minilm`` tagger and parser: pretrained encoder features under a small BiLSTM.

``load_stanza(model="minilm")`` keeps the compact model's tokenizer, MWT expander and
lemmatizer and replaces its tagger and parser by one network (this module) that reads
the frozen all-MiniLM-L6-v2 encoder of `quotecraft.nlp.encoder` (shared with the learned
attribution model: one copy per process):

* every word's pieces go through the encoder, sentence by sentence; a word's feature is
  the mean over its pieces of the hidden states of layers 1-6, concatenated (2,304 wide);
* that feature (projected), a word embedding and a character CNN feed a 2-layer BiLSTM;
* UPOS, XPOS and UFeats (whole feature strings) are read off the BiLSTM by linear
  layers, heads and relations by Dozat & Manning's biaffine scorers, and the arc scores
  become a tree with `quotecraft.nlp.treedecode.one_root_tree` (exactly one root).

The network is tiny next to the encoder, so the encoder's forward pass is most of the
cost.  The encoder is uncased: capitalisation reaches the tagger through the character
CNN.  A sentence of more than `WINDOW` pieces is encoded in consecutive windows cut at
word boundaries, so nothing is ever truncated and the encoder never sees more positions
than it was trained on.

The Stanza side is two processor *variants* (``pos_with_qcminilm``,
``depparse_with_qcminilm``): the ``pos`` step runs the whole network and sets tags,
heads and relations (one pass serves both), ``depparse`` only parses sentences whose
heads are still missing.  The weights file (``tagparse.pt``, float16) is read with
``torch.load(weights_only=True)``; a missing or damaged file is a `ModelError` naming it.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F

__all__ = ["TagParser", "word_features", "load_tagparser", "annotate", "WINDOW", "LAYERS", "FORMAT"]

#: hidden states used as features (0 would be the embeddings)
LAYERS = (1, 2, 3, 4, 5, 6)
#: most pieces per encoder window (the encoder was trained on 256 with [CLS]/[SEP])
WINDOW = 254
#: a word longer than this many pieces (a URL, a run of symbols) keeps its first ones
MAX_PIECES_PER_WORD = 16
FORMAT = "quotecraft-tagparse-1"
UNK_PIECE = 100  # [UNK] in the BERT vocabulary
MAX_CHARS = 20


# --------------------------------------------------------------------------- encoder features

def _word_pieces(encoder: Any, words: Sequence[str]) -> list[list[int]]:
    encs = encoder.tokenizer.encode_batch(list(words), add_special_tokens=False)
    out = []
    for e in encs:
        ids = list(e.ids[:MAX_PIECES_PER_WORD])
        out.append(ids or [UNK_PIECE])  # a word that normalises to nothing still gets a piece
    return out


def _windows(pieces: list[list[int]]) -> list[tuple[int, int]]:
    """Word ranges [a, b) whose pieces fit in one encoder window."""
    spans, a, n = [], 0, 0
    for i, p in enumerate(pieces):
        if n and n + len(p) > WINDOW:
            spans.append((a, i))
            a, n = i, 0
        n += len(p)
    spans.append((a, len(pieces)))
    return spans


def word_features(encoder: Any, sentences: Sequence[Sequence[str]], max_pieces: int = 4096) -> list[torch.Tensor]:
    """One float32 tensor [words, 384 * len(LAYERS)] per sentence: each word's pieces averaged."""
    units = []  # (sentence index, first word, pieces of each word)
    for si, words in enumerate(sentences):
        if not words:
            continue
        pieces = _word_pieces(encoder, words)
        for a, b in _windows(pieces):
            units.append((si, a, pieces[a:b]))
    out = [torch.zeros(len(w), encoder.bert.width * len(LAYERS)) for w in sentences]
    order = sorted(range(len(units)), key=lambda u: sum(len(p) for p in units[u][2]))
    lo = 0
    with torch.inference_mode():
        while lo < len(order):
            hi, longest = lo, 0
            while hi < len(order):  # batches of similar length, bounded in pieces
                n = sum(len(p) for p in units[order[hi]][2]) + 2
                if hi > lo and max(longest, n) * (hi - lo + 1) > max_pieces:
                    break
                longest = max(longest, n)
                hi += 1
            idx = order[lo:hi]
            ids = torch.zeros(len(idx), longest, dtype=torch.long)
            mask = torch.zeros(len(idx), longest, dtype=torch.long)
            for r, u in enumerate(idx):
                row = [101] + [t for p in units[u][2] for t in p] + [102]
                ids[r, :len(row)] = torch.tensor(row)
                mask[r, :len(row)] = 1
            h = encoder.bert(ids, mask, LAYERS)
            for r, u in enumerate(idx):
                si, a, pieces = units[u]
                owner = torch.tensor([k for k, p in enumerate(pieces) for _ in p])
                n = len(owner)
                acc = torch.zeros(len(pieces), h.shape[-1]).index_add_(0, owner, h[r, 1:1 + n])
                counts = torch.tensor([float(len(p)) for p in pieces]).unsqueeze(1)
                out[si][a:a + len(pieces)] = acc / counts
            lo = hi
    return out


# --------------------------------------------------------------------------- network

def char_ids(word: str, chars: dict[str, int]) -> list[int]:
    if len(word) > MAX_CHARS:  # keep the start and the (more telling) end
        word = word[:8] + word[-(MAX_CHARS - 8):]
    return [chars.get(c, 1) for c in word] or [1]


class TagParser(nn.Module):
    """Encoder features + word embedding + char CNN -> BiLSTM -> tags and biaffine parse."""

    def __init__(self, cfg: dict[str, Any], n_words: int, n_chars: int, n_upos: int, n_xpos: int,
                 n_feats: int, n_rels: int) -> None:
        super().__init__()
        self.cfg = cfg
        self.feat_proj = nn.Linear(cfg["feat_dim"], cfg["proj"])
        self.word_emb = nn.Embedding(n_words, cfg["word_dim"], padding_idx=0)
        self.char_emb = nn.Embedding(n_chars, cfg["char_emb"], padding_idx=0)
        self.char_cnn = nn.Conv1d(cfg["char_emb"], cfg["char_dim"], 3, padding=1)
        inp = cfg["proj"] + cfg["word_dim"] + cfg["char_dim"]
        self.lstm = nn.LSTM(inp, cfg["hidden"], num_layers=cfg["layers"], bidirectional=True,
                            batch_first=True, dropout=cfg["dropout"])
        out = 2 * cfg["hidden"]
        self.upos = nn.Linear(out, n_upos)
        self.xpos = nn.Linear(out, n_xpos)
        self.feats = nn.Linear(out, n_feats)
        self.arc_dep = nn.Linear(out, cfg["arc"])
        self.arc_head = nn.Linear(out, cfg["arc"])
        self.rel_dep = nn.Linear(out, cfg["rel"])
        self.rel_head = nn.Linear(out, cfg["rel"])
        self.arc_w = nn.Parameter(torch.zeros(cfg["arc"], cfg["arc"]))
        self.arc_b = nn.Parameter(torch.zeros(cfg["arc"]))
        self.rel_w = nn.Parameter(torch.zeros(n_rels, cfg["rel"] + 1, cfg["rel"] + 1))
        self.root = nn.Parameter(torch.zeros(out))  # the root's BiLSTM state, learned

    def forward(self, feats: torch.Tensor, words: torch.Tensor, chars: torch.Tensor,
                lengths: torch.Tensor) -> dict[str, torch.Tensor]:
        """feats [B, T, F], words [B, T], chars [B, T, C], lengths [B] -> scores.

        ``arc`` is [B, T+1, T+1]: ``arc[b, i, j]`` scores word j (0 = root) as head of word i."""
        p = self.cfg["dropout"]
        B, T = words.shape
        c = self.char_emb(chars.view(B * T, -1)).transpose(1, 2)
        c = F.relu(self.char_cnn(c)).max(dim=2).values.view(B, T, -1)
        x = torch.cat([F.dropout(self.feat_proj(F.dropout(feats, self.cfg["feat_dropout"], self.training)),
                                 p, self.training),
                       F.dropout(self.word_emb(words), p, self.training),
                       F.dropout(c, p, self.training)], dim=-1)
        packed = nn.utils.rnn.pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
        h, _ = self.lstm(packed)
        h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=T)
        h = F.dropout(h, p, self.training)
        hr = torch.cat([self.root.expand(B, 1, -1), h], dim=1)  # [B, T+1, 2H]
        dep = F.dropout(F.leaky_relu(self.arc_dep(hr), 0.1), p, self.training)
        head = F.dropout(F.leaky_relu(self.arc_head(hr), 0.1), p, self.training)
        arc = (dep @ self.arc_w) @ head.transpose(1, 2) + (head @ self.arc_b).unsqueeze(1)
        rd = F.dropout(F.leaky_relu(self.rel_dep(hr), 0.1), p, self.training)
        rh = F.dropout(F.leaky_relu(self.rel_head(hr), 0.1), p, self.training)
        one = torch.ones(B, T + 1, 1, device=hr.device)
        return {"upos": self.upos(h), "xpos": self.xpos(h), "feats": self.feats(h), "arc": arc,
                "rel_dep": torch.cat([rd, one], -1), "rel_head": torch.cat([rh, one], -1)}

    def rel_scores(self, rel_dep: torch.Tensor, rel_head: torch.Tensor, heads: torch.Tensor) -> torch.Tensor:
        """[B, T, n_rels]: relation scores of each word (1..T) under the given heads [B, T]."""
        hsel = rel_head.gather(1, heads.unsqueeze(-1).expand(-1, -1, rel_head.shape[-1]))
        return torch.einsum("btd,rde,bte->btr", rel_dep[:, 1:], self.rel_w, hsel)


# --------------------------------------------------------------------------- batches

def batch_inputs(sentences: Sequence[Sequence[str]], feats: Sequence[torch.Tensor], vocab: dict[str, Any],
                 word_dropout: float = 0.0, gen: Optional[torch.Generator] = None) -> tuple[torch.Tensor, ...]:
    """Padded tensors for `TagParser.forward`."""
    words_v, chars_v = vocab["words"], vocab["chars"]
    B, T = len(sentences), max(len(s) for s in sentences)
    C = max(len(char_ids(w, chars_v)) for s in sentences for w in s)
    # the features stay where they were computed (a GPU in fine-tuning); the ids are built here
    # and moved once, not word by word
    f = nn.utils.rnn.pad_sequence([fs.float() for fs in feats[:B]], batch_first=True)
    w = torch.zeros(B, T, dtype=torch.long)
    c = torch.zeros(B, T, C, dtype=torch.long)
    for b, s in enumerate(sentences):
        w[b, :len(s)] = torch.tensor([words_v.get(x.lower(), 1) for x in s])
        for t, x in enumerate(s):
            ids = char_ids(x, chars_v)
            c[b, t, :len(ids)] = torch.tensor(ids)
    if word_dropout:
        drop = (torch.rand(B, T, generator=gen) < word_dropout) & (w > 0)
        w = w.masked_fill(drop, 1)
    dev = f.device
    return f, w.to(dev), c.to(dev), torch.tensor([len(s) for s in sentences]).to(dev)


# --------------------------------------------------------------------------- loading and running

_lock = threading.Lock()
_loaded: dict[str, tuple["TagParser", dict[str, Any]]] = {}


def _model_error(msg: str) -> Exception:
    from ..errors import ModelError

    return ModelError(msg)


def load_tagparser(path: Path) -> tuple[TagParser, dict[str, Any]]:
    """The network and its vocabularies from ``path``; cached per process and path."""
    path = Path(path)
    key = str(path.resolve())
    with _lock:
        if key in _loaded:
            return _loaded[key]
        if not path.is_file():
            raise _model_error(f"minilm tagger/parser weights are missing: {path}; rebuild them with "
                               "`python -m quotecraft.train tagparse` (see MODEL_CARD.md)")
        try:
            ck = torch.load(path, map_location="cpu", weights_only=True)
            if not isinstance(ck, dict) or ck.get("format") != FORMAT:
                raise ValueError(f"not a {FORMAT} file")
            v = ck["vocab"]
            model = TagParser(ck["config"], len(v["words"]) + 2, len(v["chars"]) + 2, len(v["upos"]),
                              len(v["xpos"]), len(v["feats"]), len(v["rels"]))
            model.load_state_dict({k: t.float() for k, t in ck["state_dict"].items()})
        except Exception as e:
            why = (str(e).strip().splitlines() or [""])[0][:160]
            raise _model_error(f"minilm tagger/parser weights {path} cannot be read "
                               f"({e.__class__.__name__}: {why}); rebuild or reinstall them") from None
        model.eval()
        _loaded[key] = (model, v)
        return _loaded[key]


def _encoder() -> Any:
    from ..errors import EncoderError
    from .encoder import load_encoder

    try:
        return load_encoder()
    except EncoderError as e:
        raise _model_error(f"model='minilm' needs the pretrained encoder: {e}") from None


def predict(model: TagParser, vocab: dict[str, Any], sentences: Sequence[Sequence[str]],
            feats: Sequence[torch.Tensor], batch_words: int = 3000) -> list[list[tuple[str, str, str, int, str]]]:
    """(upos, xpos, feats, head, deprel) of every word of every sentence."""
    from .treedecode import one_root_tree

    inv = {k: {i: s for s, i in vocab[k].items()} if isinstance(vocab[k], dict) else dict(enumerate(vocab[k]))
           for k in ("upos", "xpos", "feats", "rels")}
    out: list[Any] = [None] * len(sentences)
    order = sorted((i for i in range(len(sentences)) if sentences[i]), key=lambda i: len(sentences[i]))
    for i in range(len(sentences)):
        if not sentences[i]:
            out[i] = []
    lo = 0
    with torch.inference_mode():
        while lo < len(order):
            hi = lo + 1
            while hi < len(order) and len(sentences[order[hi]]) * (hi - lo + 1) <= batch_words:
                hi += 1
            idx = order[lo:hi]
            f, w, c, lens = batch_inputs([sentences[i] for i in idx], [feats[i] for i in idx], vocab)
            s = model(f, w, c, lens)
            up, xp, fe = (s[k].argmax(-1) for k in ("upos", "xpos", "feats"))
            up, xp, fe = up.cpu(), xp.cpu(), fe.cpu()  # read word by word below: once off a GPU
            heads = torch.zeros(len(idx), w.shape[1], dtype=torch.long)
            arc = s["arc"].cpu()
            for r, i in enumerate(idx):
                n = len(sentences[i])
                logp = F.log_softmax(arc[r, :n + 1, :n + 1].double(), dim=-1)
                tree = one_root_tree(logp.numpy())
                heads[r, :n] = torch.from_numpy(tree[1:].astype("int64"))
            rels = model.rel_scores(s["rel_dep"], s["rel_head"], heads.to(w.device)).cpu()
            # the root relation only for the root word, never for another
            root_id = vocab["rels"].index("root")
            is_root = heads == 0
            rels[..., root_id] = torch.where(is_root, torch.tensor(1e9), torch.tensor(-1e9))
            rl = rels.argmax(-1)
            for r, i in enumerate(idx):
                n = len(sentences[i])
                out[i] = [(inv["upos"][int(up[r, t])], inv["xpos"][int(xp[r, t])], inv["feats"][int(fe[r, t])],
                           int(heads[r, t]), inv["rels"][int(rl[r, t])]) for t in range(n)]
            lo = hi
    return out


def annotate(sentences: Sequence[Any], model_path: Path) -> None:
    """Set upos, xpos, feats, head and deprel on the words of Stanza sentences."""
    model, vocab = load_tagparser(model_path)
    todo = [s for s in sentences if s.words]
    forms = [[w.text or "_" for w in s.words] for s in todo]
    if not forms:
        return
    feats = word_features(_encoder(), forms)
    for s, preds in zip(todo, predict(model, vocab, forms, feats)):
        for w, (up, xp, fe, head, rel) in zip(s.words, preds):
            w.upos, w.xpos, w.feats, w.head, w.deprel = up, xp, fe, head, rel
        s.build_dependencies()


# --------------------------------------------------------------------------- Stanza variants

VARIANT = "qcminilm"


def _register() -> None:
    from stanza.pipeline.processor import PROCESSOR_VARIANTS, ProcessorVariant, register_processor_variant

    if VARIANT in PROCESSOR_VARIANTS.get("pos", {}):
        return

    @register_processor_variant("pos", VARIANT)
    class _Tagger(ProcessorVariant):
        OVERRIDE = True

        def __init__(self, config: dict[str, Any]) -> None:
            self.path = Path(config["model_path"])
            load_tagparser(self.path)  # fail now, with the file's name, not at the first sentence
            _encoder()

        def process(self, doc: Any) -> Any:
            annotate(doc.sentences, self.path)
            return doc

        def bulk_process(self, docs: Any) -> Any:
            annotate([s for d in docs for s in d.sentences], self.path)  # one batching over all
            return docs

    @register_processor_variant("depparse", VARIANT)
    class _Parser(ProcessorVariant):
        OVERRIDE = True
        REQUIRES_DEFAULT = {"tokenize"}

        def __init__(self, config: dict[str, Any]) -> None:
            self.path = Path(config["model_path"])
            load_tagparser(self.path)

        def process(self, doc: Any) -> Any:
            # the tagger's pass parsed already; only sentences it did not see are run here
            annotate([s for s in doc.sentences if any(w.head is None for w in s.words)], self.path)
            return doc


try:
    _register()
except ImportError:  # fine-tuning on a machine without Stanza (a lent GPU) needs the network alone
    pass
