"""One encoder pass per text window for every head (issue 22): the default model.

``Extractor()`` (``model="minilm"``) reads an article a chunk of paragraphs at a time:

1. the rule tokenizer (`quotecraft.nlp.tokenize`) splits the chunk into sentences and tokens
   (a sentence over `MAX_WORDS` tokens is cut as `quotecraft.nlp.bound` cuts it);
2. the paragraphs are packed into encoder windows (`encoded_windows`, the same windows the
   attribution tagger was trained on) and the encoder runs **once** over them, giving every
   hidden layer of every word piece;
3. from that one pass come the attribution heads' features (layers 3 and 6 per piece, kept in
   float16 for the chunk only) and the minilm parser's word features (layers 1-6 averaged over
   each word's pieces; the parser was adapted to this reading: EWT LAS 88.2, against 87.5 for
   its weights trained on one pass per sentence, MODEL_CARD.md);
4. the minilm tagger and parser (`quotecraft.nlp.tagparse`) tag and parse the sentences that may
   hold an attribution (``needs_parse``); lemmas are a look-up in the embedded model's dictionary
   (as the fast path's).

Nothing here knows of attributions: the extractor hands the chunk's windows and features to the
tagger (`quotecraft.attribution.tagger`) and drops them, so memory stays flat on long articles.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

from .bound import MAX_WORDS, split_points
from .encoder import Encoder, Window, encoded_windows, window_batch
from .parse import Sentence, Word
from .tokenize import tokenize

__all__ = ["Chunk", "SharedPass", "encode_pass", "load_shared"]

Range = tuple[int, int]


@dataclass
class Chunk:
    """One chunk of an article after the pass: its sentences (the selected ones tagged and
    parsed), its encoder windows, and per window the attribution heads' features."""

    sentences: list[Sentence]
    windows: list[Window]
    feats: list[Any]


def _sentences(text: str, blocks: Sequence[Range], max_words: int) -> list[Sentence]:
    """Untagged sentences of the blocks, each cut to at most ``max_words`` tokens."""
    out: list[Sentence] = []
    for s, e in blocks:
        # the layout joined the lines of a paragraph only where the break is inside a sentence
        for toks in tokenize(text, s, e, line_breaks_end=False):
            cuts = [0, *split_points([text[a:b] for a, b in toks], max_words), len(toks)]
            for k, (a, b) in enumerate(zip(cuts, cuts[1:])):
                if b <= a:
                    continue
                words = [Word(i + 1, text[ws:we], text[ws:we].lower(), "X", "_", "_", -1, "_", ws, we)
                         for i, (ws, we) in enumerate(toks[a:b])]
                out.append(Sentence(words, words[0].start, words[-1].end, parsed=False, continues=k > 0))
    return out


class SharedPass:
    """The tokenizer, the one encoder pass and the minilm tagger and parser of one extractor."""

    #: windows encoded together: one, since an article's windows differ in length and ONNX
    #: Runtime pads a batch to its longest (20 dev articles: encoder 1.7 s one by one, 2.6 s by 16)
    BATCH = 1

    def __init__(self, encoder: Encoder, needs_parse: Callable[[list[Word]], bool], tagparse_path: Path,
                 lemma_path: Path, selective: bool = True, max_words: int = MAX_WORDS) -> None:
        from .fastparse import _load_lemma_dict
        from .tagparse import load_tagparser

        self.encoder = encoder
        self.needs_parse = needs_parse
        self.selective = selective
        self.max_words = max_words
        model, self.vocab = load_tagparser(tagparse_path)
        self.model = _int8(model)
        self.lemmas = _load_lemma_dict(lemma_path)

    def run(self, text: str, blocks: Sequence[Range]) -> Chunk:
        """Tokenize, encode once, tag and parse the sentences that need it."""
        sentences = _sentences(text, blocks, self.max_words)
        pending = [s for s in sentences if not self.selective or self.needs_parse(s.words)]
        # every paragraph, even one with no cue word, quotation mark or colon: skipping those (15%
        # of PolNeAR dev's) saved no measurable time and lost 0.2 content+source F1 (benchmarks/README.md)
        windows = encoded_windows(self.encoder, text, blocks)
        feats, word_feats = self._encode(windows, [w for s in pending for w in s.words])
        self._parse(pending, word_feats)
        return Chunk(sentences, windows, feats)

    def _encode(self, windows: list[Window], words: list[Word]) -> tuple[list[Any], Any]:
        return encode_pass(self.encoder, windows, words, self.BATCH)

    def _parse(self, pending: list[Sentence], word_feats: Any) -> None:
        from .fastparse import dictionary_lemma
        from .tagparse import predict

        if not pending:
            return
        forms = [[w.text for w in s.words] for s in pending]
        rows, k = [], 0
        for s in pending:
            rows.append(word_feats[k:k + len(s.words)])
            k += len(s.words)
        for sent, pred in zip(pending, predict(self.model, self.vocab, forms, rows)):
            for w, (upos, xpos, feats, head, rel) in zip(sent.words, pred):
                w.upos, w.xpos, w.feats, w.head, w.deprel = upos, xpos, feats, head, rel
                lemma = dictionary_lemma(self.lemmas, w.text, upos, fold_case=True)
                w.lemma = lemma if upos == "PROPN" else lemma.lower()
            sent.parsed = True
            sent._children = None



def encode_pass(encoder: Encoder, windows: list[Window], words: list[Word], batch: int = 1) -> tuple[list[Any], Any]:
    """The one pass: per window its attribution features (float16), and the parser's feature of
    each of ``words`` (in text order): the mean of layers 1-6 over the pieces that overlap it."""
    import torch

    from .tagparse import LAYERS

    width = encoder.bert.width
    keep = [LAYERS.index(k) for k in Encoder.LAYERS]  # the tagger's layers among the parser's
    starts, ends = [w.start for w in words], [w.end for w in words]
    acc = torch.zeros(len(words), width * len(LAYERS))
    counts = torch.zeros(len(words), 1)
    feats: list[Any] = [None] * len(windows)
    order = sorted(range(len(windows)), key=lambda i: len(windows[i].ids))
    with torch.inference_mode():
        for lo in range(0, len(order), batch):
            idx = order[lo:lo + batch]
            h = encoder.bert(*window_batch([windows[i] for i in idx]), LAYERS)
            for r, i in enumerate(idx):
                n = len(windows[i].ids)
                piece = h[r, 1:1 + n]
                feats[i] = torch.cat([piece[:, k * width:(k + 1) * width] for k in keep], dim=-1).half()
                pk, wk = _overlaps(windows[i].offsets, starts, ends)
                if pk:
                    acc.index_add_(0, torch.tensor(wk), piece[torch.tensor(pk)])
                    counts.index_add_(0, torch.tensor(wk), torch.ones(len(wk), 1))
    return feats, acc / counts.clamp(min=1)


def _int8(model: Any) -> Any:
    """The minilm tagger and parser with int8 LSTM and linear weights (torch's dynamic
    quantization): a quarter faster on one core, EWT LAS 87.55 against 87.53 in fp32
    (benchmarks/README.md).  torch marks these functions deprecated in favour of torchao, which
    quotecraft does not ship: where they are gone, the fp32 network runs."""
    import warnings

    import torch

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return torch.ao.quantization.quantize_dynamic(model, {torch.nn.LSTM, torch.nn.Linear}, dtype=torch.qint8)
    except (AttributeError, RuntimeError, NotImplementedError):
        return model


def _overlaps(offsets: Sequence[Range], starts: list[int], ends: list[int]) -> tuple[list[int], list[int]]:
    """(piece index, word index) of every piece that overlaps a word (a piece across two words,
    "don" of "do" + "n't", counts for both)."""
    pk: list[int] = []
    wk: list[int] = []
    for k, (s, e) in enumerate(offsets):
        j = max(0, bisect.bisect_right(starts, s) - 1)
        while j < len(starts) and starts[j] < e:
            if ends[j] > s:
                pk.append(k)
                wk.append(j)
            j += 1
    return pk, wk


def load_shared(needs_parse: Callable[[list[Word]], bool], model_dir: Optional[Path] = None,
                selective: bool = True, backend: Optional[str] = None) -> SharedPass:
    """The default model's pass: the encoder (ONNX int8 where onnxruntime is installed), the
    minilm tagger and parser of ``model_dir`` (default: the package's ``models/en_minilm``)."""
    from .encoder import load_encoder
    from .paths import MINILM_FILE, MINILM_MODEL_DIR, MODEL_FILES, PACKAGE_MODEL_DIR

    return SharedPass(load_encoder(backend=backend), needs_parse, Path(model_dir or MINILM_MODEL_DIR) / MINILM_FILE,
                      PACKAGE_MODEL_DIR / MODEL_FILES["lemma"], selective)
