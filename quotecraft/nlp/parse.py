"""Text blocks -> parsed sentences.

This is the only module of the extraction path that talks to Stanza.  It turns
Stanza's output into plain `Sentence`/`Word` records with absolute character
offsets, so the cue finder and the resolver can be tested on hand-made input.

Speed: every sentence is tokenized, tagged and lemmatized, but only sentences
that may hold a quotation (a quotation mark, a cue lemma, "according to") get a
dependency parse -- in news text that is under half of them.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence

from .bound import MAX_WORDS, split_points

__all__ = ["Word", "Sentence", "Parser", "sentences_from_conllu", "torch_threads"]


@dataclass(eq=False)  # identity semantics: words are hashed into sets
class Word:
    """One syntactic word with absolute character offsets."""

    id: int  # 1-based within its sentence
    text: str
    lemma: str
    upos: str
    xpos: str
    feats: str
    head: int  # 0 = root; -1 = not parsed
    deprel: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower()


@dataclass
class Sentence:
    words: list[Word]
    start: int
    end: int
    parsed: bool = True
    #: this sentence is a piece cut (see `quotecraft.nlp.bound`) from the same tokenized sentence as the one before
    continues: bool = False
    _children: Optional[dict[int, list[int]]] = field(default=None, repr=False)

    def word(self, wid: int) -> Word:
        return self.words[wid - 1]

    def children(self, wid: int) -> list[Word]:
        if self._children is None:
            kids: dict[int, list[int]] = {}
            for w in self.words:
                kids.setdefault(w.head, []).append(w.id)
            self._children = kids
        return [self.words[i - 1] for i in self._children.get(wid, [])]

    def subtree(self, wid: int, exclude: Iterable[int] = ()) -> list[Word]:
        """The words under ``wid`` (itself included), skipping the subtrees in ``exclude``."""
        skip = set(exclude)
        out, stack = [], [wid]
        while stack:
            i = stack.pop()
            if i in skip:
                continue
            out.append(self.words[i - 1])
            stack.extend(c.id for c in self.children(i))
        return sorted(out, key=lambda w: w.id)

    def root(self) -> Optional[Word]:
        return next((w for w in self.words if w.head == 0), None)


@dataclass
class _Piece:
    """Some consecutive tokens of one Stanza sentence (all of them, for most sentences)."""

    tokens: list[Any]

    @property
    def first_word_id(self) -> int:
        return self.tokens[0].words[0].id


def _pieces(sent: Any, max_words: int) -> list[_Piece]:
    """``sent`` cut (see `bound.split_points`) so that no piece is longer than ``max_words`` tokens."""
    tokens = list(sent.tokens)
    bounds = [0, *split_points([t.text for t in tokens], max_words), len(tokens)]
    return [_Piece(tokens[a:b]) for a, b in zip(bounds, bounds[1:]) if b > a]


def _piece_dicts(piece: _Piece) -> list[dict[str, Any]]:
    """CoNLL-U-like dicts of a piece, its word ids renumbered from 1, for Stanza's tagger and parser."""
    shift = piece.first_word_id - 1
    out = []
    for tok in piece.tokens:
        for d in tok.to_dict():
            i = d["id"]
            d["id"] = tuple(j - shift for j in i) if isinstance(i, (tuple, list)) else i - shift
            out.append(d)
    return out


def _words_of(piece: _Piece, base: int) -> list[Word]:
    words = []
    shift = piece.first_word_id - 1
    for tok in piece.tokens:
        for w in tok.words:
            # MWT parts share their token's span: their own offsets are None.
            start = w.start_char if w.start_char is not None else tok.start_char
            end = w.end_char if w.end_char is not None else tok.end_char
            words.append(Word(w.id - shift, w.text or "", (w.lemma or w.text or "").lower() if w.upos != "PROPN" else (w.lemma or w.text or ""),
                              w.upos or "X", w.xpos or "_", w.feats or "_",
                              w.head if w.head is not None else -1, w.deprel or "_",
                              base + start, base + end))
    return words


class Parser:
    """Runs Stanza over text blocks.

    Every block is tokenized (tokenize, mwt); ``needs_parse(words)`` then picks,
    from the untagged words, the sentences that get tagged, lemmatized and
    parsed (pos, lemma, depparse).  The other sentences keep ``upos == "X"``,
    ``head == -1``.  ``selective=False`` parses everything.  A tokenized
    sentence longer than ``max_words`` tokens is cut into pieces first (see
    `quotecraft.nlp.bound`), so tagging and parsing cost stays bounded per piece.
    """

    def __init__(self, needs_parse: Callable[[list[Word]], bool], model: str = "embedded",
                 model_dir: Optional[str] = None, selective: bool = True, max_words: int = MAX_WORDS,
                 threads: Optional[int] = 1) -> None:
        self.needs_parse = needs_parse
        self.max_words = max_words
        self.threads = threads
        self.model = model
        self.model_dir = model_dir
        self.selective = selective
        self._nlp: Any = None

    @property
    def pipeline(self) -> Any:
        if self._nlp is None:
            from .loading import load_stanza

            self._nlp = load_stanza(self.model, model_dir=self.model_dir)
        return self._nlp

    def parse(self, blocks: Sequence[tuple[int, str]]) -> list[Sentence]:
        """Parse ``(offset, text)`` blocks; returns sentences in text order."""
        import torch
        from stanza import Document

        blocks = [(off, t) for off, t in blocks if t.strip()]
        if not blocks:
            return []
        nlp = self.pipeline
        with torch.inference_mode(), torch_threads(self.threads):
            docs = nlp.bulk_process([Document([], text=t) for _, t in blocks], processors="tokenize,mwt")
            pending = []  # (stanza sentence, our sentence)
            sentences: list[Sentence] = []
            for (base, _), doc in zip(blocks, docs):
                for s in doc.sentences:
                    for k, piece in enumerate(_pieces(s, self.max_words)):
                        words = _words_of(piece, base)
                        if not words:
                            continue
                        sent = Sentence(words, words[0].start, words[-1].end, parsed=False, continues=k > 0)
                        sentences.append(sent)
                        if not self.selective or self.needs_parse(words):
                            pending.append((piece, sent))
            if pending and hasattr(nlp, "tag_and_parse"):
                # the fast path (quotecraft.nlp.fastparse) reads word texts: no second Stanza Document
                preds = nlp.tag_and_parse([[w.text for w in sent.words] for _, sent in pending])
                for (_, sent), pred in zip(pending, preds):
                    for w, (upos, xpos, feats, lemma, head, rel) in zip(sent.words, pred):
                        w.upos, w.xpos, w.feats = upos, xpos, feats
                        w.lemma = lemma if upos == "PROPN" else lemma.lower()
                        w.head, w.deprel = head, rel
                    sent.parsed = True
                    sent._children = None
            elif pending:
                sub = nlp.process(Document([_piece_dicts(p) for p, _ in pending]), processors="pos,lemma,depparse")
                for (_, sent), ps in zip(pending, sub.sentences):
                    flat = [w for t in ps.tokens for w in t.words]
                    for w, pw in zip(sent.words, flat):
                        w.upos, w.xpos, w.feats = pw.upos or "X", pw.xpos or "_", pw.feats or "_"
                        lemma = pw.lemma or pw.text or ""
                        w.lemma = lemma if w.upos == "PROPN" else lemma.lower()
                        w.head, w.deprel = pw.head, pw.deprel
                    sent.parsed = True
                    sent._children = None
        return sentences


@contextmanager
def torch_threads(n: Optional[int]) -> Iterator[None]:
    """Run with ``n`` torch threads (None: as torch is set), then restore torch's setting.

    Why one by default: Stanza's small LSTMs give a second thread little work
    between synchronisations, and a thread that waits for a core kept busy by
    another process can stall all of them (issue 10 saw 40x slower with 2
    threads beside a busy process; benchmarks/README.md has the 2026-11-30
    run, where neither setting slowed down).  Throughput on several cores
    comes from worker processes (`Extractor.pipe(n_process=...)`, Dask).
    """
    import torch

    before = torch.get_num_threads()
    if n is None or n == before:
        yield
        return
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def sentences_from_conllu(conllu: str, text: str) -> list[Sentence]:
    """Build sentences from CoNLL-U whose words appear in order in ``text``.

    For tests: the resolver can be exercised on hand-written parses.
    """
    sentences, words, pos = [], [], 0
    for line in conllu.strip().splitlines() + [""]:
        line = line.strip()
        if not line:
            if words:
                sentences.append(Sentence(words, words[0].start, words[-1].end))
                words = []
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if "-" in cols[0] or "." in cols[0]:
            continue
        form = cols[1]
        start = text.index(form, pos)
        pos = start + len(form)
        words.append(Word(int(cols[0]), form, cols[2] if cols[3] == "PROPN" else cols[2].lower(), cols[3], cols[4],
                          cols[5], int(cols[6]), cols[7], start, pos))
    return sentences
