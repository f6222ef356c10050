"""The public result objects: small, frozen, Stanza-free.

An `Article` holds the text and its `Quote`s; a quote has content `Span`s, a
cue, a `Speaker`, maybe an addressee and the `Agency`s that relayed it.

Every span carries exact character offsets into the article text, so
``article.text[span.start:span.end] == span.text`` always holds; `Article`
checks this when it is built. All objects are frozen attrs classes: hashable,
comparable, and convertible with ``to_dict()`` / ``from_dict()`` (JSON-safe).
"""
from __future__ import annotations

import json
from typing import Any, Literal, Optional

import attrs

__all__ = ["Span", "Speaker", "Agency", "Quote", "Article", "SPEAKER_KINDS", "QUOTE_KINDS", "QUOTE_TYPES",
           "CREDIT_KINDS"]

#: the values of `Speaker.kind`
SPEAKER_KINDS = ("person", "organization", "group", "agency", "place", "unknown")
#: the values of `Quote.kind`
QUOTE_KINDS = ("direct", "indirect", "mixed")
#: what a quote reports: words said or written (``speech``), or not words at all
QUOTE_TYPES = ("speech", "belief", "intention", "perception", "finding", "other")
#: how an agency is tied to the text: relaying a quote, credited for the article, or for a photo;
#: named in the dateline or sign-off as the wire that wrote the story ("SEOUL, Nov. 27 (Yonhap) --",
#: "-- AFP"), or distributing a press release ("/PRNewswire/")
CREDIT_KINDS = ("relay", "credit", "photo", "dateline", "distributor")

SpeakerKind = Literal["person", "organization", "group", "agency", "place", "unknown"]
QuoteKind = Literal["direct", "indirect", "mixed"]
QuoteType = Literal["speech", "belief", "intention", "perception", "finding", "other"]
CreditKind = Literal["relay", "credit", "photo", "dateline", "distributor"]


def _non_negative(instance: Any, attribute: attrs.Attribute, value: int) -> None:
    if value < 0:
        raise ValueError(f"{attribute.name} must be >= 0, got {value}")


@attrs.frozen(order=True)
class Span:
    """A stretch of the article text: ``text == article.text[start:end]``.

    Spans sort by position (``start``, then ``end``); ``len(span)`` is its length
    in characters.

    Attributes:
        start: Offset of the first character, counted in Python ``str`` characters
            (code points) from the start of the article text.
        end: Offset just after the last character (``end >= start``).
        text: The characters themselves, ``article_text[start:end]``.

    Example:
        >>> Span.of("Kim said no.", 4, 8)
        Span(start=4, end=8, text='said')
    """

    start: int = attrs.field(validator=[attrs.validators.instance_of(int), _non_negative])
    end: int = attrs.field(validator=attrs.validators.instance_of(int))
    text: str = attrs.field(validator=attrs.validators.instance_of(str), order=False)

    @end.validator
    def _check_end(self, attribute: attrs.Attribute, value: int) -> None:
        if value < self.start:
            raise ValueError(f"end ({value}) before start ({self.start})")

    def __attrs_post_init__(self) -> None:
        if len(self.text) != self.end - self.start:
            raise ValueError(f"text of length {len(self.text)} does not fit offsets {self.start}:{self.end}")

    @classmethod
    def of(cls, text: str, start: int, end: int) -> "Span":
        """The span ``text[start:end]``.

        Args:
            text: The whole article text.
            start: Offset of the first character.
            end: Offset after the last character.

        Returns:
            A `Span` whose ``text`` is ``text[start:end]``.

        Raises:
            ValueError: ``start`` is negative or ``end`` is before ``start``.
        """
        return cls(start, end, text[start:end])

    def __len__(self) -> int:
        return self.end - self.start

    def to_dict(self) -> dict[str, Any]:
        """``{"start": ..., "end": ..., "text": ...}``, the inverse of `from_dict`."""
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Span":
        """The span of a `to_dict` result.

        Raises:
            KeyError: A key is missing.
            ValueError: The offsets do not fit the text.
        """
        return cls(d["start"], d["end"], d["text"])


def _opt_span(d: Optional[dict[str, Any]]) -> Optional[Span]:
    return None if d is None else Span.from_dict(d)


@attrs.frozen
class Speaker:
    """Who said a quote (or, as `Quote.addressee`, whom it was said to).

    Attributes:
        name: The canonical name: the fullest form the article uses for this
            party ("Donald Trump" for a quote cued by "Trump said" or "he said");
            for a description with no name, the description ("the ferry company");
            ``""`` for a pronoun the article never resolves (a "she" with no woman
            named before it: ``mention`` still holds "she"), and for the writer's own
            "I" or "we" outside quotation marks (an op-ed's "I told him ...").
        mention: The words at the cue that stand for the speaker ("he", "the
            president", "Trump"); ``None`` when there are none (a floating quote
            that takes the speaker of the quote before it).
        kind: ``"person"``, ``"organization"``, ``"group"`` (people named by
            a plural description: "teachers", "two engineers"), ``"agency"`` (a news agency
            speaking for itself: "KCNA said"), ``"place"`` (a country or capital
            speaking for its government: "Washington said") or ``"unknown"``.
    """

    name: str = attrs.field(validator=attrs.validators.instance_of(str))
    mention: Optional[Span] = attrs.field(default=None, validator=attrs.validators.optional(attrs.validators.instance_of(Span)))
    kind: SpeakerKind = attrs.field(default="unknown", validator=attrs.validators.in_(SPEAKER_KINDS))

    def to_dict(self) -> dict[str, Any]:
        """``{"name", "mention", "kind"}`` with the mention as a `Span.to_dict` (or ``None``)."""
        return {"name": self.name, "mention": self.mention.to_dict() if self.mention else None, "kind": self.kind}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Speaker":
        """The speaker of a `to_dict` result (``kind`` defaults to ``"unknown"``)."""
        return cls(d["name"], _opt_span(d.get("mention")), d.get("kind", "unknown"))


@attrs.frozen
class Agency:
    """A news agency, as a relay of a quote (`Quote.reported_by`) or a credit (`Article.credits`).

    Attributes:
        name: The canonical name from the agency list (``quotecraft/data/agencies.tsv``
            plus ``Extractor(extra_agencies=...)``): "Korean Central News Agency"
            and "KCNA" both give ``"KCNA"``.
        mention: Where the article names it; ``None`` if it is not named in the text.
        kind: ``"relay"`` (the agency reported the quote: "..., KCNA reported"),
            ``"credit"`` (a credit line: "With inputs from Xinhua") or ``"photo"``
            (a photo credit: "/Reuters Photo").
    """

    name: str = attrs.field(validator=attrs.validators.instance_of(str))
    mention: Optional[Span] = attrs.field(default=None, validator=attrs.validators.optional(attrs.validators.instance_of(Span)))
    kind: CreditKind = attrs.field(default="relay", validator=attrs.validators.in_(CREDIT_KINDS))

    def to_dict(self) -> dict[str, Any]:
        """``{"name", "mention", "kind"}`` with the mention as a `Span.to_dict` (or ``None``)."""
        return {"name": self.name, "mention": self.mention.to_dict() if self.mention else None, "kind": self.kind}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Agency":
        """The agency of a `to_dict` result (``kind`` defaults to ``"relay"``)."""
        return cls(d["name"], _opt_span(d.get("mention")), d.get("kind", "relay"))


def _spans(value: Any) -> tuple[Span, ...]:
    return tuple(value)


def _agencies(value: Any) -> tuple[Agency, ...]:
    return tuple(value)


def _confidence(instance: Any, attribute: attrs.Attribute, value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"confidence must lie in [0, 1], got {value}")


@attrs.frozen
class Quote:
    """One attributed quotation.

    Attributes:
        content: The quoted words: one `Span`, or several when the cue splits the
            quote (``"A," he said, "B."`` has two), in text order. A direct quote's
            fragments include their quotation marks.
        cue: The word(s) that introduce the quote ("said", "told", "according
            to"); ``None`` for a floating quote (a quoted paragraph with no cue of
            its own, given the speaker of the quote before it).
        cue_phrase: The cue with the words that modify it in place: auxiliaries,
            adverbs, particles ("has also *said*", "did not *deny*", "*called* on");
            ``None`` when the phrase is the cue alone. It carries tense, negation
            and stance, and it is what annotated corpora such as PolNeAR count as
            the cue. It always contains ``cue``.
        speaker: Who said it; ``None`` when no speaker was found.
        addressee: To whom it was said ("told *reporters*"); usually ``None``.
        reported_by: The news agencies that relayed it ("..., *KCNA* reported"),
            while ``speaker`` stays the person quoted; empty if none.
        kind: ``"direct"``: the speaker's own words, all inside quotation marks or set
            apart as theirs by the layout (an interview's answer, an embedded post);
            ``"indirect"``: reported speech with no quotation marks ("X said
            that ..."); ``"mixed"``: reported speech with a quoted part ("X
            blamed Washington's "unilateral" attitude").
        confidence: How much evidence the attribution rests on, in [0, 1]: a fixed
            score per kind of evidence, for ranking and filtering, not a calibrated
            probability. At present 0.95: a closed quotation linked to its cue by
            the parse; 0.8: reported speech from its cue, or a quotation followed by
            "— Name"; 0.75: a mixed quote; 0.7: a quotation whose closing mark is
            missing, or a transcript line ("NAME: ..."); 0.6: a speaker carried over
            from the quote before, or a title line ("Source: claim"); 0.5: a cue with
            no speaker ("it was reported that ..."); 0.3: a quotation with no cue and
            no speaker. `quotecraft.io.render` dashes quotes below 0.5.
        decided_by: Which step of the extraction decided the quote, for finding out
            why a quote came out as it did: ``"resolver"`` (the rules; all quotes
            of ``Extractor(attribution="rules")``), ``"tagger"`` (the learned
            tagger's reading, names lent by the rules), or the name of the
            reconcile step where rules and tagger met
            (`quotecraft.attribution.merge.STEPS`: ``"relay_frame"``,
            ``"cue_fragment"``, ``"glued_before_quote"``, ``"split_by_cue"``,
            ``"borrow_source"``, ``"passive_cue"``, ``"vouched"``, ``"backfill_direct"``,
            ``"linked_direct"``), or ``"continued_quote"`` (a quotation run on from the
            paragraph before, its speaker that one's); ``""`` for a quote made by hand.
        type: What the quote reports: ``"speech"``, words said or written (say, tell,
            write, announce, urge, "according to", a statement, a quotation); or not
            words at all: ``"belief"`` (think, fear, support), ``"intention"`` (want,
            plan, hope), ``"perception"`` (see, seem, realize), ``"finding"`` (what a
            study or count shows: find, show, conclude), ``"other"`` (a cue neither the
            lexicon nor the type model can tell as speech).  ``Extractor()`` returns
            speech only; ``Extractor(include_beliefs=True)`` every type.  Decided in
            `quotecraft.attribution.speech`: a direct quote is speech, else the cue's
            class in the lexicon, else the type model; an unknown cue is never speech
            unless the model is sure.

    The properties `text`, `start` and `end` describe the whole quote; for a
    quote of several fragments ``start``/``end`` is its *outer* range, which also
    covers what lies between the fragments (the cue), so ``article.text[q.start:q.end]``
    is the quote's text only when it has one fragment. Use ``content`` for exact
    offsets.
    """

    content: tuple[Span, ...] = attrs.field(converter=_spans)
    cue: Optional[Span] = None
    speaker: Optional[Speaker] = None
    addressee: Optional[Speaker] = None
    reported_by: tuple[Agency, ...] = attrs.field(default=(), converter=_agencies)
    kind: QuoteKind = attrs.field(default="direct", validator=attrs.validators.in_(QUOTE_KINDS))
    confidence: float = attrs.field(default=1.0, converter=float, validator=_confidence)
    cue_phrase: Optional[Span] = attrs.field(default=None)
    decided_by: str = attrs.field(default="")
    type: QuoteType = attrs.field(default="speech", validator=attrs.validators.in_(QUOTE_TYPES))

    @cue_phrase.validator
    def _check_cue_phrase(self, attribute: attrs.Attribute, value: Optional[Span]) -> None:
        if value is None:
            return
        if self.cue is None:
            raise ValueError("a cue_phrase needs a cue")
        if not (value.start <= self.cue.start and self.cue.end <= value.end):
            raise ValueError(f"cue_phrase {value.text!r} does not contain the cue {self.cue.text!r}")

    @content.validator
    def _check_content(self, attribute: attrs.Attribute, value: tuple[Span, ...]) -> None:
        if not value:
            raise ValueError("a quote needs at least one content span")
        if not all(isinstance(s, Span) for s in value):
            raise TypeError("content must hold Span objects")

    @property
    def text(self) -> str:
        """The content, fragments joined by a space."""
        return " ".join(s.text for s in self.content)

    @property
    def start(self) -> int:
        """Offset of the first fragment's start (the outer range's start)."""
        return self.content[0].start

    @property
    def end(self) -> int:
        """Offset of the last fragment's end (the outer range's end; see the class docs)."""
        return self.content[-1].end

    def to_dict(self) -> dict[str, Any]:
        """All fields, JSON-safe, plus ``"text"`` (`text`); the inverse of `from_dict`."""
        return {
            "text": self.text,
            "content": [s.to_dict() for s in self.content],
            "cue": self.cue.to_dict() if self.cue else None,
            "cue_phrase": self.cue_phrase.to_dict() if self.cue_phrase else None,
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "addressee": self.addressee.to_dict() if self.addressee else None,
            "reported_by": [a.to_dict() for a in self.reported_by],
            "kind": self.kind,
            "confidence": self.confidence,
            "decided_by": self.decided_by,
            "type": self.type,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Quote":
        """The quote of a `to_dict` result (``"text"`` is ignored: it follows from ``content``)."""
        return cls(
            content=tuple(Span.from_dict(s) for s in d["content"]),
            cue=_opt_span(d.get("cue")),
            cue_phrase=_opt_span(d.get("cue_phrase")),
            speaker=Speaker.from_dict(d["speaker"]) if d.get("speaker") else None,
            addressee=Speaker.from_dict(d["addressee"]) if d.get("addressee") else None,
            reported_by=tuple(Agency.from_dict(a) for a in d.get("reported_by", ())),
            kind=d.get("kind", "direct"),
            confidence=d.get("confidence", 1.0),
            decided_by=d.get("decided_by", ""),
            type=d.get("type", "speech"),
        )


def _all_spans(article: "Article") -> list[Span]:
    spans: list[Span] = []
    for q in article.quotes:
        spans.extend(q.content)
        for s in (q.cue, q.cue_phrase, q.speaker and q.speaker.mention, q.addressee and q.addressee.mention):
            if s:
                spans.append(s)
        spans.extend(a.mention for a in q.reported_by if a.mention)
    spans.extend(a.mention for a in article.credits if a.mention)
    return spans


@attrs.frozen
class Article:
    """An article's text with its quotes and its credits; what `quotecraft.extract` returns.

    In a notebook an Article displays itself as the highlighted text (`quotecraft.io.render`).

    Attributes:
        text: The article text exactly as given; all offsets refer to it.
        quotes: The attributed quotes, in text order (by their first fragment).
        credits: Agencies credited for the article or its photos (credit lines,
            "/Reuters Photo"); these lines are never quotes.
        error: ``None``, or why the article could not be processed in a corpus run
            (`quotecraft.Extractor.pipe`), which reports failures here instead of
            raising; ``quotes`` is then empty.

    Raises:
        ValueError: A span does not slice back into ``text``.

    Example:
        >>> article = quotecraft.extract(text)
        >>> for q in article.quotes:
        ...     print(q.speaker.name if q.speaker else "?", q.kind, q.text)
        >>> quotecraft.Article.from_json(article.to_json()) == article
        True
    """

    text: str = attrs.field(validator=attrs.validators.instance_of(str), repr=lambda t: repr(t[:40] + "…" if len(t) > 40 else t))
    quotes: tuple[Quote, ...] = attrs.field(default=(), converter=tuple)
    credits: tuple[Agency, ...] = attrs.field(default=(), converter=_agencies)
    error: Optional[str] = None

    def __attrs_post_init__(self) -> None:
        for span in _all_spans(self):
            if span.end > len(self.text) or self.text[span.start:span.end] != span.text:
                raise ValueError(f"span {span.start}:{span.end} {span.text!r} does not slice back into the text")

    def to_dict(self) -> dict[str, Any]:
        """``{"text", "quotes", "credits", "error"}``, JSON-safe; the inverse of `from_dict`."""
        return {
            "text": self.text,
            "quotes": [q.to_dict() for q in self.quotes],
            "credits": [a.to_dict() for a in self.credits],
            "error": self.error,
        }

    def to_json(self, **kwargs: Any) -> str:
        """JSON text of `to_dict`; keyword arguments go to `json.dumps`."""
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dict(), **kwargs)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Article":
        """The article of a `to_dict` result (from JSON, a database, another process).

        Raises:
            KeyError: ``"text"`` or another required key is missing.
            ValueError: A span does not slice back into the text.
        """
        return cls(
            text=d["text"],
            quotes=tuple(Quote.from_dict(q) for q in d.get("quotes", ())),
            credits=tuple(Agency.from_dict(a) for a in d.get("credits", ())),
            error=d.get("error"),
        )

    @classmethod
    def from_json(cls, s: str) -> "Article":
        """The article of a `to_json` string (one line of the CLI's ``--format jsonl`` works too)."""
        return cls.from_dict(json.loads(s))

    def _repr_html_(self) -> str:
        from .io.render import render

        return render(self)
