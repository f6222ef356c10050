"""The extraction pipeline: text -> layout -> quotes and parse -> cues -> attributions -> Article."""
from __future__ import annotations

import bisect
import os
import sys
import threading
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Optional, Sequence, Union

from .cues import find_cues, sentence_may_quote
from .entities import EntityRegistry
from .layout import analyze_layout
from .lexicon import Cue, Lexicon
from .objects import Agency, Article, Quote, Span, Speaker
from .parse import Parser, Sentence
from .quotes import QUOTE_CHARS, find_quotes
from .resolve import Attribution, Party, _Resolver

__all__ = ["Extractor", "extract"]

#: text handed to Stanza at once; longer articles are parsed in pieces of about this size
CHUNK_CHARS = 20_000


def _chunks(blocks: list[tuple[int, str]], limit: int) -> Iterator[list[tuple[int, str]]]:
    """Group paragraphs into pieces of at most ``limit`` characters (splitting huge paragraphs
    at sentence-like boundaries), so memory stays flat however long the article is."""
    cur: list[tuple[int, str]] = []
    size = 0
    for off, t in blocks:
        pieces = [(off, t)]
        if len(t) > limit:
            pieces = []
            start = 0
            while start < len(t):
                end = min(len(t), start + limit)
                if end < len(t):
                    cut = max(t.rfind(". ", start, end), t.rfind("\n", start, end))
                    end = cut + 1 if cut > start else end
                pieces.append((off + start, t[start:end]))
                start = end
        for p in pieces:
            if cur and size + len(p[1]) > limit:
                yield cur
                cur, size = [], 0
            cur.append(p)
            size += len(p[1])
    if cur:
        yield cur


class Extractor:
    """Finds attributed quotes in English news text.

    Options: ``model`` (``"embedded"`` or ``"stanza"``, see `load_stanza`),
    ``model_dir``; ``extra_cues`` (cue lemmas, or ``"lemma<TAB>class<TAB>options"``
    lines as in ``data/cues.tsv``), ``extra_agencies`` (canonical name -> aliases),
    ``cue_file`` / ``agency_file`` (user files in the shipped formats);
    ``include_beliefs`` (also report "X believes/wants that ..." attributions);
    ``selective_parse`` (parse only sentences that may hold a quote; off = parse all);
    ``attribution``: ``"rules"`` (the resolver's own spans) or ``"learned"`` (spans from the
    model trained on PolNeAR, `quotecraft.learned`, named by the resolver; needs
    ``pip install 'quotecraft[learned]'``).

    One Extractor may be shared by threads: calls into Stanza are serialised
    by a lock.  For throughput on several cores use ``pipe(texts, n_process=2)``.
    """

    def __init__(self, *, model: str = "embedded", model_dir: Optional[Union[str, os.PathLike[str]]] = None,
                 extra_cues: Iterable[Union[str, Cue]] = (),
                 extra_agencies: Optional[Mapping[str, Iterable[str]]] = None,
                 cue_file: Optional[Union[str, os.PathLike[str]]] = None,
                 agency_file: Optional[Union[str, os.PathLike[str]]] = None,
                 include_beliefs: bool = False, selective_parse: bool = True,
                 attribution: str = "rules") -> None:
        if attribution not in ("rules", "learned"):
            raise ValueError(f"attribution must be 'rules' or 'learned', not {attribution!r}")
        lex = Lexicon.from_files(cue_file, agency_file) if (cue_file or agency_file) else Lexicon.default()
        if extra_cues or extra_agencies:
            if isinstance(extra_cues, str):
                raise TypeError("extra_cues must be a list of lemmas, not a single string")
            lex = lex.extended(extra_cues, extra_agencies)
        self.lexicon = lex
        self.include_beliefs = include_beliefs
        self._options: dict[str, Any] = dict(model=model, model_dir=str(model_dir) if model_dir else None,
                                             include_beliefs=include_beliefs, selective_parse=selective_parse,
                                             extra_cues=list(extra_cues), extra_agencies=dict(extra_agencies or {}),
                                             cue_file=cue_file, agency_file=agency_file, attribution=attribution)
        self.attribution = attribution
        self._learned: Optional[tuple[Any, Any, dict[str, Any]]] = None
        if attribution == "learned":
            # loaded here, not on first use, so a missing package or file fails at construction
            from .encoder import load_encoder
            from .learned import load_head

            head, config = load_head()
            self._learned = (load_encoder(), head, config)
        self._parser = Parser(lambda words: sentence_may_quote(words, lex, QUOTE_CHARS, include_beliefs), model=model,
                              model_dir=str(model_dir) if model_dir else None, selective=selective_parse)
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return (f"Extractor(model={self._options['model']!r}, include_beliefs={self.include_beliefs}, "
                f"attribution={self.attribution!r})")

    # ------------------------------------------------------------------ one article
    def parse(self, text: str, blocks: Sequence[tuple[int, int]]) -> list[Sentence]:
        """Sentences of the given (start, end) blocks of ``text``."""
        pieces = [(s, text[s:e]) for s, e in blocks]
        sentences: list[Sentence] = []
        for chunk in _chunks(pieces, CHUNK_CHARS):
            with self._lock:
                sentences.extend(self._parser.parse(chunk))
        return sentences

    def extract(self, text: str) -> Article:
        """All attributed quotes of one article."""
        _check_text(text)
        lex = self.lexicon
        layout = analyze_layout(text, lex)
        credits = tuple(Agency(c.name, Span.of(text, c.start, c.end), c.kind) for c in layout.credits)
        if not layout.prose:
            return Article(text, (), credits)
        quotes = find_quotes(text, layout.prose)
        sentences = self.parse(text, layout.prose)
        registry = EntityRegistry(lex)
        registry.add_sentences(text, sentences)
        starts = [q.start for q in quotes]

        def inside_quote(pos: int) -> bool:
            i = bisect.bisect_right(starts, pos) - 1
            return i >= 0 and any(s < pos < e - 1 for s, e in quotes[i].fragments)

        matches = find_cues(sentences, lex, inside_quote)
        resolver = _Resolver(text, sentences, quotes, matches, registry, lex, self.include_beliefs)
        atts = resolver.run()
        if self._learned is not None:
            atts = self._learned_attributions(text, layout.prose, quotes, atts, resolver)
        return Article(text, tuple(self._quote(text, a) for a in atts), credits)

    __call__ = extract

    def _learned_attributions(self, text: str, blocks: Sequence[tuple[int, int]], quotes: list[Any],
                              rules: list[Attribution], resolver: _Resolver) -> list[Attribution]:
        """The learned model's attributions, named by the resolver (see `learned.merge_with_rules`)."""
        from .learned import article_inputs, learned_attributions, merge_with_rules

        assert self._learned is not None
        encoder, head, config = self._learned
        with self._lock:  # torch modules are shared by threads like the Stanza pipeline
            # features are computed batch by batch inside the tagging (flat memory on long texts)
            inp = article_inputs(text, blocks, quotes, encoder, self.lexicon.forms(True), with_features=False)
            learned = learned_attributions(text, head, config, inp, quotes, encoder=encoder)

        def name_of(rng: tuple[int, int]) -> Party:
            sent = resolver.sentence_at(rng[0])
            words = [w for w in sent.words if rng[0] <= w.start and w.end <= rng[1]] if sent is not None else []
            p = resolver.party(words, None, rng[0]) if words and sent is not None and sent.parsed else None
            if p is not None:
                return Party(p.name, rng, p.kind)
            mention = text[rng[0]:rng[1]]
            ent = resolver.reg.lookup(mention)
            return Party(ent.name if ent else mention, rng, ent.kind if ent else resolver.reg.kind_of(mention))

        return merge_with_rules(text, learned, rules, name_of)

    @staticmethod
    def _party(text: str, p: Optional[Party]) -> Optional[Speaker]:
        if p is None:
            return None
        mention = Span.of(text, *p.mention) if p.mention else None
        return Speaker(p.name, mention, p.kind if p.kind in ("person", "organization", "agency", "place") else "unknown")

    def _quote(self, text: str, a: Attribution) -> Quote:
        return Quote(
            content=tuple(Span.of(text, s, e) for s, e in a.content),
            cue=Span.of(text, *a.cue) if a.cue else None,
            speaker=self._party(text, a.speaker),
            addressee=self._party(text, a.addressee),
            reported_by=tuple(Agency(name, Span.of(text, *rng) if rng else None, "relay")
                              for name, rng in _unique(a.reported_by)),
            kind=a.kind,  # type: ignore[arg-type]
            confidence=a.confidence,
        )

    # ------------------------------------------------------------------ many articles
    def pipe(self, texts: Iterable[str], batch_size: int = 8, n_process: int = 1,
             progress: Optional[bool] = None, total: Optional[int] = None) -> Iterator[Article]:
        """Articles for ``texts``, in input order.

        A text that fails yields an `Article` with ``error`` set instead of
        stopping the run.  ``n_process > 1`` spreads articles over worker
        processes (each loads its own model).  ``progress`` shows a tqdm bar
        (default: when stderr is a terminal).
        """
        # checked here, not in the generator, so a bad argument fails at the call
        if n_process < 1 or batch_size < 1:
            raise ValueError(f"n_process and batch_size must be >= 1, got n_process={n_process}, batch_size={batch_size}")
        return self._pipe(texts, batch_size, n_process, progress, total)

    def _pipe(self, texts: Iterable[str], batch_size: int, n_process: int, progress: Optional[bool],
              total: Optional[int]) -> Iterator[Article]:
        if total is None and hasattr(texts, "__len__"):
            total = len(texts)  # type: ignore[arg-type]
        if progress is None:
            progress = sys.stderr.isatty()
        results = self._pipe_serial(texts) if n_process == 1 else self._pipe_pool(texts, batch_size, n_process)
        if progress:
            from tqdm import tqdm  # plain bar: tqdm.auto warns in notebooks without ipywidgets

            results = tqdm(results, total=total, desc="quotecraft", unit="article")
        yield from results

    def _safe(self, text: Any) -> Article:
        try:
            return self.extract(text)
        except Exception as exc:  # one odd article must not end a corpus run
            safe_text = text if isinstance(text, str) else ""
            return Article(safe_text, error=f"{exc.__class__.__name__}: {exc}")

    def _pipe_serial(self, texts: Iterable[str]) -> Iterator[Article]:
        for t in texts:
            yield self._safe(t)

    def _pipe_pool(self, texts: Iterable[str], batch_size: int, n_process: int) -> Iterator[Article]:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        ctx = mp.get_context("spawn")  # fork after torch has started threads can deadlock
        with ProcessPoolExecutor(n_process, mp_context=ctx, initializer=_worker_init,
                                 initargs=(self._options,)) as pool:
            for d in pool.map(_worker_extract, texts, chunksize=batch_size):
                yield Article.from_dict(d)


def _check_text(text: Any) -> None:
    if not isinstance(text, str):
        raise TypeError(f"extract() needs the article text as str, not {type(text).__name__}"
                        + (" (decode bytes first, e.g. data.decode('utf-8'))" if isinstance(text, (bytes, bytearray)) else ""))


def _unique(items: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    seen, out = set(), []
    for name, rng in items:
        if name not in seen:
            seen.add(name)
            out.append((name, rng))
    return out


_worker: Optional[Extractor] = None


def _worker_init(options: dict[str, Any]) -> None:
    global _worker
    import torch

    torch.set_num_threads(1)  # one core per worker process
    _worker = Extractor(**options)


def _worker_extract(text: str) -> dict[str, Any]:
    assert _worker is not None
    return _worker._safe(text).to_dict()


_default: Optional[Extractor] = None
_default_lock = threading.Lock()


def extract(text: str) -> Article:
    """Attributed quotes of one article, with a default `Extractor` built on first use."""
    global _default
    _check_text(text)
    with _default_lock:
        if _default is None:
            _default = Extractor()
    return _default.extract(text)
