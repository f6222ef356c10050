"""The extraction pipeline: text -> layout -> quotes and parse -> cues -> attributions -> Article.

`Extractor` holds the lexicon and the (lazily loaded) Stanza model; `extract` is a
shortcut through a shared default `Extractor`. `Extractor.pipe` runs a corpus,
optionally over several worker processes.
"""
from __future__ import annotations

import collections
import multiprocessing.context
import os
import sys
import threading
import warnings
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Literal, Mapping, Optional, Sequence, Tuple, TypeVar, Union, overload

from .attribution.rejoin import join_cut_contents
from .attribution.entitytype import load_entity_type_head, typer
from .attribution.speech import load_type_head, type_attributions
from .errors import LearnedExtraMissing
from .attribution.cue_phrase import settle_cues
from .attribution.cues import find_cues, sentence_may_quote
from .attribution.entities import EntityRegistry
from .attribution.layout import analyze_layout
from .lexicon import Cue, Lexicon
from .objects import SPEAKER_KINDS, Agency, Article, Quote, Span, Speaker
from .nlp.parse import Parser, Sentence, torch_threads
from .attribution.quotes import QUOTE_CHARS, find_quotes, inside_quotes
from .attribution.resolve import Attribution, Party, _Resolver

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


#: how many batches per worker process may wait in the pool at once: enough to keep the
#: workers busy, few enough that a long (lazy) corpus is never all read into memory
_BATCHES_IN_FLIGHT = 2

T = TypeVar("T")


class Extractor:
    """Finds attributed quotes in English news text.

    Build one Extractor and call it on many articles: the Stanza model is loaded
    on the first call and kept. All options are checked here, so a wrong one
    fails at once rather than at the first article.

    One Extractor may be shared by threads (calls into Stanza are serialised by
    a lock). For throughput on several cores use ``pipe(texts, n_process=2)``.

    Example:
        >>> ex = quotecraft.Extractor(extra_cues=["grumble"],
        ...                           extra_agencies={"Harbor Wire": ["HW"]})
        >>> article = ex.extract('"Fares rise in May," the ferry company grumbled.')
        >>> [(q.speaker.name, q.cue.text) for q in article.quotes]
        [('ferry company', 'grumbled')]

    Args:
        model: What tokenizes and parses the text. ``None``, the default: ``"minilm"``,
            or ``"embedded"`` where the encoder's packages (onnxruntime, tokenizers) are
            missing. ``"minilm"``: the rule tokenizer (`quotecraft.nlp.tokenize`) and one
            pass of the pretrained encoder shipped in the package (int8, ONNX Runtime) per
            window of text, which feeds the minilm tagger and parser and the learned
            attribution heads alike (`quotecraft.nlp.shared`; the most accurate parse,
            EWT LAS 88.9). ``"embedded"``: quotecraft's compact Stanza model (offline).
            ``"fast"``: the embedded tokenizer with the small, faster tagger and parser of
            `quotecraft.nlp.fastparse` (``model_dir``: the folder of its ``fastparse.pt``);
            with the rules, the fastest path. ``"stanza"``: Stanza's official English
            models from ``STANZA_RESOURCES_DIR``. See `quotecraft.load_stanza`.
        model_dir: A folder to load the model from instead of the default one (for
            ``"embedded"``: a folder with ``tokenize.pt``, ``pos.pt``, ...; for
            ``"minilm"``: the folder holding ``tagparse.pt``).
        extra_cues: More cue words: lemmas (``"grumble"``), lines in the format of
            ``quotecraft/data/cues.tsv`` (``"lemma<TAB>class<TAB>options"``) or
            `quotecraft.lexicon.Cue` objects. Must be a list, not a single string.
        extra_agencies: More news agencies, canonical name -> aliases
            (``{"Harbor Wire": ["HW"]}``); a single alias may be a string.
        cue_file: A file of cue lines in the ``cues.tsv`` format, added to the
            shipped cues.
        agency_file: A file of agency lines in the ``agencies.tsv`` format
            (``name<TAB>alias|alias``), added to the shipped agencies.
        extra_furniture: More page-furniture patterns: regular expressions matched
            against whole lines (as in ``quotecraft/data/furniture.txt``); such lines
            are never a quote, a speaker or a pronoun's antecedent.
        include_beliefs: Also report what is not speech -- beliefs, intentions,
            perceptions and findings ("X believes / wants / sees / the poll found
            that ...") -- each with its `Quote.type`; off by default, since readers
            of quotes want what was said.  On every path: the learned tagger's
            attributions are typed as the rules' are (`quotecraft.attribution.speech`).
        selective_parse: Give a dependency parse only to the sentences that may
            hold a quotation (a quotation mark, a cue word, "according to"); the
            others are only tokenized, which is faster.
            ``False`` parses every sentence.
        threads: torch threads used while this extractor parses; default 1.
            A second thread gains little on Stanza's small networks and can stall
            badly when another process keeps a core busy (40x slower once, as
            reported in issue 10; not reproduced in the 2026-11-30 benchmark);
            use ``pipe(n_process=...)`` or Dask for several cores. ``None``
            leaves torch's own setting.
        attribution: Where the source, cue and content spans come from: ``"learned"``
            (a tagger trained on PolNeAR, `quotecraft.attribution.tagger`, whose spans the resolver
            then names; on the encoder shipped in the package, loaded here so that a
            missing package or file fails at once) or ``"rules"`` (the resolver's own:
            less accurate; with ``model="minilm"`` about a fifth less time). ``None``, the
            default: ``"learned"``, the more accurate on PolNeAR dev, except with
            ``model="fast"`` (the fast path stays fast) or where the encoder cannot run
            (onnxruntime or tokenizers missing: then ``"rules"``, with a `UserWarning`
            saying how to install them). `Extractor.attribution` says which one was taken.

    Raises:
        ValueError: An option has a value that is not allowed; the message lists
            the allowed ones.
        TypeError: An option has the wrong type (e.g. ``extra_cues="grumble"``).
        FileNotFoundError: ``model_dir``, ``cue_file`` or ``agency_file`` does not exist.
        quotecraft.errors.EncoderError, quotecraft.errors.HeadError:
            ``attribution="learned"`` (asked for, or the default with the extra
            installed) and the encoder's or the tagger's files are missing or not the
            expected ones (the message names the file).

    Warns:
        UserWarning: ``attribution`` left to its default without the ``learned``
            extra installed: the rules are used.
    """

    def __init__(self, *, model: Optional[str] = None, model_dir: Optional[Union[str, os.PathLike[str]]] = None,
                 extra_cues: Iterable[Union[str, Cue]] = (),
                 extra_agencies: Optional[Mapping[str, Iterable[str]]] = None,
                 cue_file: Optional[Union[str, os.PathLike[str]]] = None,
                 agency_file: Optional[Union[str, os.PathLike[str]]] = None,
                 extra_furniture: Iterable[str] = (),
                 include_beliefs: bool = False, selective_parse: bool = True,
                 threads: Optional[int] = 1, attribution: Optional[str] = None) -> None:
        """Check the options and build the lexicon (see the class for each option)."""
        _check_options(model=model, model_dir=model_dir, extra_cues=extra_cues, extra_agencies=extra_agencies,
                       extra_furniture=extra_furniture, cue_file=cue_file, agency_file=agency_file, include_beliefs=include_beliefs,
                       selective_parse=selective_parse, threads=threads, attribution=attribution)
        if _in_notebook():
            # before any model loads: Stanza's import of tqdm.auto would warn in a notebook
            _import_tqdm_auto_quietly()
        if model is None:
            model = _default_model()
        if attribution is None:
            attribution = _default_attribution(model)
        extra_cues = list(extra_cues)  # read once: a generator would be empty for the worker processes' copy
        extra_furniture = list(extra_furniture)
        lex = Lexicon.from_files(cue_file, agency_file) if (cue_file or agency_file) else Lexicon.default()
        if extra_cues or extra_agencies or extra_furniture:
            lex = lex.extended(extra_cues, extra_agencies, extra_furniture)
        #: the cue words, agencies and word lists this extractor uses
        self.lexicon = lex
        #: whether belief attributions ("X thinks that ...") are reported
        self.include_beliefs = include_beliefs
        self._options: dict[str, Any] = dict(model=model, model_dir=str(model_dir) if model_dir else None,
                                             include_beliefs=include_beliefs, selective_parse=selective_parse,
                                             extra_cues=list(extra_cues), extra_agencies=dict(extra_agencies or {}),
                                             cue_file=cue_file, agency_file=agency_file, threads=threads,
                                             extra_furniture=list(extra_furniture), attribution=attribution)
        #: ``"rules"`` or ``"learned"``: where the attribution spans come from
        self.attribution = attribution
        self._learned: Optional[tuple[Any, Any, dict[str, Any]]] = None
        if attribution == "learned":
            # loaded here, not on first use, so a missing package or file fails at construction
            from .nlp.encoder import load_encoder
            from .attribution.tagger import load_head

            head, config = load_head()
            self._learned = (load_encoder(), head, config)
        # the type of a learned attribution whose cue the lexicon does not know (speech or not)
        self._type_head = load_type_head() if attribution == "learned" else None
        # the kind of a name the rules cannot type ("Yakutsk", "Digital Domain"), from the same pass
        self._entity_head = load_entity_type_head() if attribution == "learned" else None
        needs_parse = (lambda words: sentence_may_quote(words, lex, QUOTE_CHARS, include_beliefs))
        self._parser = Parser(needs_parse, model=model, model_dir=str(model_dir) if model_dir else None,
                              selective=selective_parse, threads=threads)
        #: the default model's one encoder pass (`quotecraft.nlp.shared`): tokens, parse and the
        #: attribution heads' features from one run of the encoder; None for the Stanza models
        self._shared: Any = None
        if model == "minilm":
            from .nlp.shared import load_shared

            self._shared = load_shared(needs_parse, Path(model_dir) if model_dir else None, selective_parse)
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return (f"Extractor(model={self._options['model']!r}, include_beliefs={self.include_beliefs}, "
                f"attribution={self.attribution!r})")

    # ------------------------------------------------------------------ one article
    def parse(self, text: str, blocks: Sequence[tuple[int, int]],
              on_chunk: Optional[Callable[[int], None]] = None) -> list[Sentence]:
        """Parse the given blocks of a text into sentences (the Stanza step of `extract`).

        Args:
            text: The article text.
            blocks: ``(start, end)`` character ranges of ``text`` to parse (paragraphs).
            on_chunk: Called with the number of characters after each piece of text
                is parsed (long texts are parsed in pieces of about 20,000 characters).

        Returns:
            The sentences, in text order, with absolute character offsets.
        """
        pieces = [(s, text[s:e]) for s, e in blocks]
        sentences: list[Sentence] = []
        for chunk in _chunks(pieces, CHUNK_CHARS):
            with self._lock, torch_threads(self._options["threads"]):
                if self._shared is not None:
                    sentences.extend(self._shared.run(text, [(o, o + len(t)) for o, t in chunk]).sentences)
                else:
                    sentences.extend(self._parser.parse(chunk))
            if on_chunk is not None:
                on_chunk(sum(len(t) for _, t in chunk))
        return sentences

    def extract(self, text: str, *, progress: bool = False) -> Article:
        """Find the attributed quotes of one article.

        Args:
            text: The article, plain text. Paragraphs are separated by line breaks;
                a title line, datelines and credit lines are recognised.
            progress: Show a progress bar over the characters parsed (worth it for
                texts of hundreds of thousands of characters).

        Returns:
            The `Article`: the text unchanged, its quotes in text order and its credits.
            Every span slices back: ``article.text[span.start:span.end] == span.text``.

        Raises:
            TypeError: ``text`` is not a ``str`` (bytes must be decoded first).
            quotecraft.ModelError: The model cannot be loaded (first call only).

        Example:
            >>> article = ex.extract('"We will rebuild," Mayor Ana Ortiz said.')
            >>> article.quotes[0].speaker.name, article.quotes[0].kind
            ('Ana Ortiz', 'direct')
        """
        _check_text(text)
        bar = _progress_bar(total=len(text), desc="quotecraft", unit="char", unit_scale=True) if progress else None
        try:
            return self._extract(text, bar.update if bar is not None else None)
        finally:
            if bar is not None:
                bar.update(bar.total - bar.n)
                bar.close()

    def __call__(self, text: str, *, progress: bool = False) -> Article:
        """Same as `extract`."""
        return self.extract(text, progress=progress)

    def _extract(self, text: str, on_chunk: Optional[Callable[[int], None]]) -> Article:
        lex = self.lexicon
        layout = analyze_layout(text, lex)
        credits = tuple(Agency(c.name, Span.of(text, c.start, c.end), c.kind) for c in layout.credits)
        if not layout.prose:
            return Article(text, (), credits)
        quotes = find_quotes(text, layout.prose)
        registry = EntityRegistry(lex)
        pieces: dict[tuple[int, int], Any] = {}
        if self._shared is not None and "parse" not in self.__dict__:
            # the default: one encoder pass per chunk serves the parse and every head
            sentences, tagged, unsure = self._one_pass(text, layout.prose, quotes, registry, pieces, on_chunk)
        else:
            # two arguments unless a bar is drawn: tools and tests put their own parse(text, blocks) in place
            sentences = self.parse(text, layout.prose) if on_chunk is None else self.parse(text, layout.prose, on_chunk)
            registry.add_sentences(text, sentences)
            names = registry.unsure_spans()
            name_pieces: dict[tuple[int, int], Any] = {}
            # the tagger's encoder pass first: it also reads the names whose kind the rules left open
            tagged, unsure = self._tagger_candidates(text, layout.prose, quotes, pieces, (names, name_pieces))
            if self._entity_head is not None:
                registry.type_unsure(typer(self._entity_head, name_pieces))
        matches = find_cues(sentences, lex, inside_quotes(quotes))
        resolver = _Resolver(text, sentences, quotes, matches, registry, lex, self.include_beliefs)
        atts = resolver.run()
        join_cut_contents(atts, sentences)
        # every candidate's cue word and phrase, from the direction its proposer read it in
        settle_cues(text, [*atts, *tagged, *unsure], resolver.sentence_at,
                    lambda w: lex.cue_for(w.lemma, w.text) is not None, lex.forms(True), lex.verb_phrase_forms)
        if self._learned is not None:
            from .attribution.merge import reconcile
            atts = reconcile(text, tagged, atts, self._name_of(text, resolver), unsure=unsure,
                             floor=self._learned[2].get("min_confidence", 0.0), cue_forms=lex.forms(True),
                             addressed_forms=lex.addressed_forms)
        # speech only, unless beliefs, plans and findings were asked for (on every path)
        atts = type_attributions(text, atts, lex, self.include_beliefs, self._type_head, pieces)
        # the wire named in the dateline or sign-off wrote the story: it relays all its speech,
        # after any relay inside the story ("..., KCNA said" in a Yonhap story: KCNA, then Yonhap)
        wires = [(c.name, (c.start, c.end)) for c in layout.credits if c.kind == "dateline"]
        for a in atts:
            a.reported_by.extend(w for w in wires if a.speaker is None or a.speaker.name != w[0])
        return Article(text, tuple(self._quote(text, a) for a in atts), credits)

    def _one_pass(self, text: str, blocks: Sequence[tuple[int, int]], quotes: list[Any], registry: EntityRegistry,
                  pieces: dict[tuple[int, int], Any], on_chunk: Optional[Callable[[int], None]],
                  ) -> tuple[list[Sentence], list[Attribution], list[Attribution]]:
        """Sentences and the tagger's candidates (as `_tagger_candidates`) from one encoder pass
        per chunk of about `CHUNK_CHARS` (`quotecraft.nlp.shared`): each chunk is tokenized,
        encoded, parsed and tagged, and its features dropped before the next."""
        from .attribution.merge import from_tagger
        from .attribution.tagger import attributions_from_tags, inputs_from_windows, tag_article

        sentences: list[Sentence] = []
        tagged: tuple[list[Any], list[Any], list[Any], list[Any]] = ([], [], [], [])
        name_pieces: dict[tuple[int, int], Any] = {}
        for chunk in _chunks([(s, text[s:e]) for s, e in blocks], CHUNK_CHARS):
            cblocks = [(o, o + len(t)) for o, t in chunk]
            with self._lock, torch_threads(self._options["threads"]):
                c = self._shared.run(text, cblocks)
                registry.add_sentences(text, c.sentences)
                if self._learned is not None:
                    _, head, config = self._learned
                    names = [r for r in registry.unsure_spans() if cblocks[0][0] <= r[0] < cblocks[-1][1]]
                    inp = inputs_from_windows(text, c.windows, c.feats, blocks, quotes, self.lexicon.forms(True))
                    for acc, part in zip(tagged, tag_article(head, config, inp, cue_features=pieces,
                                                             span_features=(names, name_pieces) if names else None)):
                        acc.extend(part)
            sentences.extend(c.sentences)
            if on_chunk is not None:
                on_chunk(sum(len(t) for _, t in chunk))
        if self._learned is None:
            return sentences, [], []
        if self._entity_head is not None:
            registry.type_unsure(typer(self._entity_head, name_pieces))
        unsure: list[Any] = []
        learned = attributions_from_tags(text, self._learned[2], tagged, quotes, unsure)
        return sentences, [from_tagger(text, la) for la in learned], [from_tagger(text, la) for la in unsure]

    def _tagger_candidates(self, text: str, blocks: Sequence[tuple[int, int]], quotes: list[Any],
                           pieces: dict[tuple[int, int], Any],
                           names: Optional[tuple[list[tuple[int, int]], dict[tuple[int, int], Any]]] = None,
                           ) -> tuple[list[Attribution], list[Attribution]]:
        """The learned tagger's candidates (`quotecraft.attribution.merge.from_tagger`): those
        over its confidence floor, and those under it (``unsure``); none on the rules path.
        ``pieces`` receives the encoder features of the pieces tagged as cues (for the type head),
        ``names`` (spans, store) those of the pieces inside the spans (for the entity-type head)."""
        if self._learned is None:
            return [], []
        from .attribution.tagger import article_inputs, learned_attributions
        from .attribution.merge import from_tagger

        encoder, head, config = self._learned
        with self._lock:  # torch modules are shared by threads like the Stanza pipeline
            # features are computed batch by batch inside the tagging (flat memory on long texts)
            inp = article_inputs(text, blocks, quotes, encoder, self.lexicon.forms(True), with_features=False)
            unsure: list[Any] = []
            learned = learned_attributions(text, head, config, inp, quotes, encoder=encoder, unsure=unsure,
                                           cue_features=pieces, span_features=names if names and names[0] else None)
        return [from_tagger(text, la) for la in learned], [from_tagger(text, la) for la in unsure]

    @staticmethod
    def _name_of(text: str, resolver: _Resolver) -> Callable[[tuple[int, int]], Party]:
        """Names a tagged source mention the resolver did not name: as the resolver names a
        phrase in a parsed sentence, else through the article's entities."""
        def name_of(rng: tuple[int, int]) -> Party:
            sent = resolver.sentence_at(rng[0])
            words = [w for w in sent.words if rng[0] <= w.start and w.end <= rng[1]] if sent is not None else []
            p = resolver.party(words, None, rng[0]) if words and sent is not None and sent.parsed else None
            if p is not None:
                return Party(p.name, rng, p.kind)
            mention = text[rng[0]:rng[1]]
            ent = resolver.reg.lookup(mention)
            return Party(ent.name if ent else mention, rng, ent.kind if ent else resolver.reg.kind_of(mention))

        return name_of

    def _party(self, text: str, p: Optional[Party]) -> Optional[Speaker]:
        if p is None:
            return None
        mention = Span.of(text, *p.mention) if p.mention else None
        # a pronoun the article never resolves names nobody: "" (its mention still says "she"),
        # so that counting quotes by name never counts a person called "she"
        name = "" if p.name.lower() in self.lexicon.pronouns else p.name
        return Speaker(name, mention, p.kind if p.kind in SPEAKER_KINDS else "unknown")

    def _quote(self, text: str, a: Attribution) -> Quote:
        return Quote(
            content=tuple(Span.of(text, s, e) for s, e in a.content),
            cue=Span.of(text, *a.cue) if a.cue else None,
            cue_phrase=Span.of(text, *a.cue_phrase) if a.cue and a.cue_phrase and a.cue_phrase != a.cue else None,
            speaker=self._party(text, a.speaker),
            addressee=self._party(text, a.addressee),
            reported_by=tuple(Agency(name, Span.of(text, *rng) if rng else None, "relay")
                              for name, rng in _unique(a.reported_by)),
            kind=a.kind,  # type: ignore[arg-type]
            confidence=a.confidence,
            decided_by=a.step,
            type=a.type or "speech",  # type: ignore[arg-type]
        )

    # ------------------------------------------------------------------ many articles
    @overload
    def pipe(self, texts: Iterable[str], batch_size: int = ..., n_process: int = ...,
             progress: Optional[bool] = ..., total: Optional[int] = ..., *, as_tuples: Literal[False] = ...
             ) -> Iterator[Article]: ...

    @overload
    def pipe(self, texts: Iterable[Tuple[str, T]], batch_size: int = ..., n_process: int = ...,
             progress: Optional[bool] = ..., total: Optional[int] = ..., *, as_tuples: Literal[True]
             ) -> Iterator[Tuple[Article, T]]: ...

    def pipe(self, texts: Iterable[Any], batch_size: int = 8, n_process: int = 1,
             progress: Optional[bool] = None, total: Optional[int] = None, *,
             as_tuples: bool = False) -> Iterator[Any]:
        """Extract many articles, lazily and in input order.

        A text that fails (not a string, an internal error) yields an `Article`
        whose ``error`` says why, instead of stopping the run; its ``text`` is the
        input when that was a string.

        ``n_process > 1`` spreads the articles over worker processes, each with its
        own copy of the model and one torch thread. It
        works from a plain script with no ``if __name__ == "__main__":`` guard: the
        workers are fresh interpreters that import only quotecraft, never the
        calling script, so what the script does at its top level runs once.
        Options of this Extractor are passed to them, so a custom `Cue` subclass
        must be importable (not defined in the script itself).

        Args:
            texts: The article texts, any iterable (read as the results are
                consumed, so a generator over a large corpus is fine). With
                ``as_tuples=True``: ``(text, context)`` pairs.
            batch_size: How many articles one worker process takes at a time
                (only with ``n_process > 1``): larger batches cost less
                communication, smaller ones balance uneven article lengths.
            n_process: Number of worker processes; 1 (default) runs in this process.
            progress: Show a progress bar: on stderr in a terminal, as a widget
                in Jupyter (when ipywidgets is installed, else as text). Default:
                on when stderr is a terminal or a notebook front end is detected.
            total: The number of texts, for the progress bar, when ``texts`` has
                no ``len()``.
            as_tuples: Take ``(text, context)`` pairs and yield ``(Article,
                context)`` pairs, so ids or metadata travel with each article
                (as in spaCy's ``nlp.pipe(..., as_tuples=True)``).

        Yields:
            One `Article` per text, or ``(Article, context)`` with ``as_tuples``.

        Raises:
            ValueError: ``n_process`` or ``batch_size`` below 1, or (with
                ``as_tuples``) an item that is not a pair; raised at the call,
                not when the results are first read.

        Example:
            >>> items = [("Mayor Ana Ortiz said the bridge will close.", "doc-1")]
            >>> for article, doc_id in ex.pipe(items, as_tuples=True):
            ...     print(doc_id, len(article.quotes))
            doc-1 1
        """
        # checked here, not in the generator, so a bad argument fails at the call
        for name, value in (("n_process", n_process), ("batch_size", batch_size)):
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"{name} must be an int, got {type(value).__name__}")
        if n_process < 1 or batch_size < 1:
            raise ValueError(f"n_process and batch_size must be >= 1, got n_process={n_process}, batch_size={batch_size}")
        if not as_tuples:
            return self._pipe(texts, batch_size, n_process, progress, total)
        return self._pipe_tuples(texts, batch_size, n_process, progress, total)

    def _pipe_tuples(self, items: Iterable[Any], batch_size: int, n_process: int, progress: Optional[bool],
                     total: Optional[int]) -> Iterator[tuple[Article, Any]]:
        # Results come back in input order, so the contexts wait in a queue; it
        # holds only the items read ahead of the results (bounded by the pool).
        contexts: collections.deque[Any] = collections.deque()

        def texts() -> Iterator[Any]:
            for i, item in enumerate(items):
                if not (isinstance(item, tuple) and len(item) == 2):
                    raise ValueError(f"pipe(as_tuples=True) needs (text, context) pairs; item {i} is {item!r:.60}")
                contexts.append(item[1])
                yield item[0]

        if total is None and hasattr(items, "__len__"):
            total = len(items)  # type: ignore[arg-type]
        for article in self._pipe(texts(), batch_size, n_process, progress, total):
            yield article, contexts.popleft()

    def _pipe(self, texts: Iterable[str], batch_size: int, n_process: int, progress: Optional[bool],
              total: Optional[int]) -> Iterator[Article]:
        if total is None and hasattr(texts, "__len__"):
            total = len(texts)  # type: ignore[arg-type]
        if progress is None:
            progress = sys.stderr.isatty() or _in_notebook()
        results = self._pipe_serial(texts) if n_process == 1 else self._pipe_pool(texts, batch_size, n_process)
        if progress:
            results = _progress_bar(results, total=total, desc="quotecraft", unit="article")
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
        from concurrent.futures import Future, ProcessPoolExecutor

        # Executor.map would read the whole input at once; submitting batch by batch
        # with a bounded queue keeps memory flat on a long, lazy corpus.
        pool = ProcessPoolExecutor(n_process, mp_context=_worker_context(), initializer=_worker_init,
                                   initargs=(self._options,))
        pending: collections.deque[Future[list[dict[str, Any]]]] = collections.deque()
        try:
            for batch in _batched(texts, batch_size):
                pending.append(pool.submit(_worker_extract_batch, batch))
                while len(pending) >= _BATCHES_IN_FLIGHT * n_process:
                    yield from (Article.from_dict(d) for d in pending.popleft().result())
            while pending:
                yield from (Article.from_dict(d) for d in pending.popleft().result())
        finally:
            # also when the caller stops early: drop the queued work, do not wait for it
            pool.shutdown(wait=True, cancel_futures=True)


def _batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _in_notebook() -> bool:
    """Whether this process is a Jupyter (or similar) kernel with a front end that draws widgets."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    try:
        shell = ipython.get_ipython()
    except Exception:
        return False
    # terminal IPython has no kernel; Jupyter, JupyterLab, VS Code and Colab kernels do
    return shell is not None and getattr(shell, "kernel", None) is not None


def _import_tqdm_auto_quietly() -> None:
    """Import ``tqdm.auto`` with its "IProgress not found" warning silenced.

    Stanza imports ``tqdm.auto`` when it loads; in a notebook without ipywidgets that
    import warns (TqdmWarning) and falls back to the text bar. Imported once here
    first, the module is cached and Stanza's import stays quiet.
    """
    import warnings

    from tqdm import TqdmWarning

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=TqdmWarning)
        import tqdm.auto  # noqa: F401


def _progress_bar(iterable: Optional[Iterable[T]] = None, **kwargs: Any) -> Any:
    """A tqdm bar: a widget in a notebook when ipywidgets is there, else text on stderr.

    tqdm.auto alone would pick the widget bar in a notebook even without ipywidgets
    and then warn "IProgress not found" on every run; the text bar is shown instead.
    """
    if _in_notebook():
        try:
            import ipywidgets  # noqa: F401
            from tqdm.notebook import tqdm
        except ImportError:
            from tqdm.std import tqdm
    else:
        from tqdm.std import tqdm
    return tqdm(iterable, **kwargs)



def _default_model() -> str:
    """``Extractor(model=None)``: the one-pass model over the encoder shipped in the package, or
    the embedded Stanza model where the encoder cannot run (its packages missing)."""
    from .nlp.encoder import installed

    return "minilm" if installed() else "embedded"


def _default_attribution(model: str) -> str:
    """``Extractor(attribution=None)``: the learned spans, the more accurate on PolNeAR dev,
    unless the fast path was asked for or the ``learned`` extra is missing."""
    if model == "fast":
        return "rules"
    from .nlp.encoder import EXTRA_HINT, installed

    if installed():
        return "learned"
    # a plain `pip install quotecraft` still works, on the rules; the user is told what the extra adds
    warnings.warn(LearnedExtraMissing("the learned attribution model (the default, more accurate) is not "
                                      f"installed, so the rules are used; to install it: {EXTRA_HINT}"),
                  stacklevel=3)
    return "rules"


def _check_options(*, model: Any, model_dir: Any, extra_cues: Any, extra_agencies: Any, extra_furniture: Any,
                   cue_file: Any,
                   agency_file: Any, include_beliefs: Any, selective_parse: Any, threads: Any,
                   attribution: Any) -> None:
    """Raise for an option `Extractor` cannot work with, naming what is allowed."""
    from .nlp.loading import KNOWN_MODELS

    if model is not None and (not isinstance(model, str) or model not in KNOWN_MODELS):
        raise ValueError(f"model={model!r} is not a known model; valid values: "
                         + ", ".join(repr(m) for m in KNOWN_MODELS))
    for name, value in (("include_beliefs", include_beliefs), ("selective_parse", selective_parse)):
        if not isinstance(value, bool):
            raise TypeError(f"{name} must be True or False, got {value!r}")
    if attribution is not None and attribution not in ("rules", "learned"):
        raise ValueError(f"attribution={attribution!r} is not known; valid values: 'rules', 'learned'")
    if threads is not None and (isinstance(threads, bool) or not isinstance(threads, int) or threads < 1):
        raise ValueError(f"threads must be a positive int or None (leave torch's setting), got {threads!r}")
    for name, value, want_dir in (("model_dir", model_dir, True), ("cue_file", cue_file, False),
                                  ("agency_file", agency_file, False)):
        if value is None:
            continue
        if not isinstance(value, (str, os.PathLike)):
            raise TypeError(f"{name} must be a path (str or os.PathLike), got {type(value).__name__}")
        path = Path(value)
        if not (path.is_dir() if want_dir else path.is_file()):
            raise FileNotFoundError(f"{name}={str(value)!r}: no such {'folder' if want_dir else 'file'}")
    if isinstance(extra_cues, (str, bytes)):
        raise TypeError(f"extra_cues must be a list of cue lemmas, not a single string: extra_cues=[{extra_cues!r}]")
    if isinstance(extra_furniture, (str, bytes)):
        raise TypeError(f"extra_furniture must be a list of patterns, not a single string: "
                        f"extra_furniture=[{extra_furniture!r}]")
    if extra_agencies is not None:
        if not isinstance(extra_agencies, Mapping):
            raise TypeError("extra_agencies must map each canonical name to its aliases, e.g. "
                            f"{{'Harbor Wire': ['HW']}}; got {type(extra_agencies).__name__}")
        for name, aliases in extra_agencies.items():
            if not isinstance(name, str) or not name.strip():
                raise TypeError(f"extra_agencies: names must be non-empty strings, got {name!r}")
            if isinstance(aliases, str):
                continue
            if not isinstance(aliases, Iterable) or not all(isinstance(a, str) for a in aliases):
                raise TypeError(f"extra_agencies[{name!r}] must be an alias string or a list of them, got {aliases!r}")


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


# ---------------------------------------------------------------------- worker processes
_worker: Optional[Extractor] = None
_prep_lock = threading.Lock()


class _WorkerProcess(multiprocessing.context.SpawnProcess):
    """A spawned process that does not import the parent's main script (see `_worker_context`)."""

    @staticmethod
    def _Popen(process_obj: Any) -> Any:
        from multiprocessing import spawn

        original = spawn.get_preparation_data

        def without_main(name: str) -> dict[str, Any]:
            data = original(name)
            data.pop("init_main_from_path", None)
            data.pop("init_main_from_name", None)
            return data

        # the pool may start workers from its own thread too: one patch at a time
        with _prep_lock:
            spawn.get_preparation_data = without_main
            try:
                return multiprocessing.context.SpawnProcess._Popen(process_obj)
            finally:
                spawn.get_preparation_data = original


class _WorkerContext(multiprocessing.context.SpawnContext):
    Process = _WorkerProcess


def _worker_context() -> Any:
    """A spawn context whose workers do not import the caller's ``__main__``.

    Spawned workers normally re-run the main script (to find functions defined
    there); a script without a ``__main__`` guard then starts workers from inside
    the worker and dies with "An attempt has been made to start a new process
    before ... bootstrapping". Our workers need nothing from the script, only
    quotecraft, so the main module is left out of what they are told to import.
    fork is no way out: forking after torch has started its threads can deadlock.
    """
    return _WorkerContext()


def _worker_init(options: dict[str, Any]) -> None:
    global _worker
    import torch

    torch.set_num_threads(options.get("threads") or 1)  # one core per worker process by default
    _worker = Extractor(**options)


def _worker_extract_batch(texts: list[Any]) -> list[dict[str, Any]]:
    assert _worker is not None
    return [_worker._safe(text).to_dict() for text in texts]


_default: Optional[Extractor] = None
_default_lock = threading.Lock()


def extract(text: str, *, progress: bool = False) -> Article:
    """Find the attributed quotes of one article, with the default `Extractor`.

    The default Extractor (embedded model, shipped lexicon, the learned attribution
    model where the ``learned`` extra is installed, else the rules: see `Extractor`'s
    ``attribution``) is built on the first call, which loads the models (a few
    seconds); later calls reuse it. For other options (more cue words, agencies,
    another model, the rules or the fast path) build an `Extractor`; for many articles
    use `Extractor.pipe`.

    Args:
        text: The article, plain text; paragraphs separated by line breaks.
        progress: Show a progress bar over the characters parsed (long texts).

    Returns:
        An `Article` with the text unchanged, its quotes (`Quote`) in text order
        and its credits. Every span slices back into the text:
        ``article.text[span.start:span.end] == span.text``.

    Raises:
        TypeError: ``text`` is not a ``str`` (decode bytes first).
        quotecraft.ModelError: The embedded model cannot be loaded.

    Example:
        >>> article = quotecraft.extract('"We will rebuild," Mayor Ana Ortiz said.')
        >>> q = article.quotes[0]
        >>> q.speaker.name, q.cue.text, q.kind, q.text
        ('Ana Ortiz', 'said', 'direct', '"We will rebuild,"')
    """
    global _default
    _check_text(text)
    with _default_lock:
        if _default is None:
            _default = Extractor()
    return _default.extract(text, progress=progress)
