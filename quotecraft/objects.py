"""The public result objects: small, frozen, Stanza-free.

Every span carries exact character offsets into the article text, so
``article.text[span.start:span.end] == span.text`` always holds; `Article`
checks this when it is built.
"""
from __future__ import annotations

import json
from typing import Any, Literal, Optional

import attrs

__all__ = ["Span", "Speaker", "Agency", "Quote", "Article", "SPEAKER_KINDS", "QUOTE_KINDS", "CREDIT_KINDS"]

SPEAKER_KINDS = ("person", "organization", "agency", "place", "unknown")
QUOTE_KINDS = ("direct", "indirect", "mixed")
#: how an agency is tied to the text: relaying a quote, credited for the article, or for a photo;
#: named in the dateline or sign-off as the wire that wrote the story ("SEOUL, Nov. 27 (Yonhap) --",
#: "-- AFP"), or distributing a press release ("/PRNewswire/")
CREDIT_KINDS = ("relay", "credit", "photo", "dateline", "distributor")

SpeakerKind = Literal["person", "organization", "agency", "place", "unknown"]
QuoteKind = Literal["direct", "indirect", "mixed"]
CreditKind = Literal["relay", "credit", "photo", "dateline", "distributor"]


def _non_negative(instance: Any, attribute: attrs.Attribute, value: int) -> None:
    if value < 0:
        raise ValueError(f"{attribute.name} must be >= 0, got {value}")


@attrs.frozen(order=True)
class Span:
    """A stretch of the article text: ``text == article.text[start:end]``."""

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
        """The span ``text[start:end]``."""
        return cls(start, end, text[start:end])

    def __len__(self) -> int:
        return self.end - self.start

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Span":
        return cls(d["start"], d["end"], d["text"])


def _opt_span(d: Optional[dict[str, Any]]) -> Optional[Span]:
    return None if d is None else Span.from_dict(d)


@attrs.frozen
class Speaker:
    """Who said it: the canonical (fullest) name and the words used at the cue."""

    name: str = attrs.field(validator=attrs.validators.instance_of(str))
    mention: Optional[Span] = attrs.field(default=None, validator=attrs.validators.optional(attrs.validators.instance_of(Span)))
    kind: SpeakerKind = attrs.field(default="unknown", validator=attrs.validators.in_(SPEAKER_KINDS))

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "mention": self.mention.to_dict() if self.mention else None, "kind": self.kind}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Speaker":
        return cls(d["name"], _opt_span(d.get("mention")), d.get("kind", "unknown"))


@attrs.frozen
class Agency:
    """A news agency: relaying a quote, or credited for the article or a photo."""

    name: str = attrs.field(validator=attrs.validators.instance_of(str))
    mention: Optional[Span] = attrs.field(default=None, validator=attrs.validators.optional(attrs.validators.instance_of(Span)))
    kind: CreditKind = attrs.field(default="relay", validator=attrs.validators.in_(CREDIT_KINDS))

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "mention": self.mention.to_dict() if self.mention else None, "kind": self.kind}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Agency":
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

    ``content`` holds one fragment, or several when the cue splits the quote
    (``"A," he said, "B."``); a direct quote's fragments include their marks.
    """

    content: tuple[Span, ...] = attrs.field(converter=_spans)
    cue: Optional[Span] = None
    speaker: Optional[Speaker] = None
    addressee: Optional[Speaker] = None
    reported_by: tuple[Agency, ...] = attrs.field(default=(), converter=_agencies)
    kind: QuoteKind = attrs.field(default="direct", validator=attrs.validators.in_(QUOTE_KINDS))
    confidence: float = attrs.field(default=1.0, converter=float, validator=_confidence)

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
        return self.content[0].start

    @property
    def end(self) -> int:
        return self.content[-1].end

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "content": [s.to_dict() for s in self.content],
            "cue": self.cue.to_dict() if self.cue else None,
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "addressee": self.addressee.to_dict() if self.addressee else None,
            "reported_by": [a.to_dict() for a in self.reported_by],
            "kind": self.kind,
            "confidence": self.confidence,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Quote":
        return cls(
            content=tuple(Span.from_dict(s) for s in d["content"]),
            cue=_opt_span(d.get("cue")),
            speaker=Speaker.from_dict(d["speaker"]) if d.get("speaker") else None,
            addressee=Speaker.from_dict(d["addressee"]) if d.get("addressee") else None,
            reported_by=tuple(Agency.from_dict(a) for a in d.get("reported_by", ())),
            kind=d.get("kind", "direct"),
            confidence=d.get("confidence", 1.0),
        )


def _all_spans(article: "Article") -> list[Span]:
    spans: list[Span] = []
    for q in article.quotes:
        spans.extend(q.content)
        for s in (q.cue, q.speaker and q.speaker.mention, q.addressee and q.addressee.mention):
            if s:
                spans.append(s)
        spans.extend(a.mention for a in q.reported_by if a.mention)
    spans.extend(a.mention for a in article.credits if a.mention)
    return spans


@attrs.frozen
class Article:
    """An article's text with its quotes (in text order) and its credits.

    ``error`` is set instead of raising when a corpus run (`Extractor.pipe`)
    could not process this article; its quotes are then empty.
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
        return cls(
            text=d["text"],
            quotes=tuple(Quote.from_dict(q) for q in d.get("quotes", ())),
            credits=tuple(Agency.from_dict(a) for a in d.get("credits", ())),
            error=d.get("error"),
        )

    @classmethod
    def from_json(cls, s: str) -> "Article":
        return cls.from_dict(json.loads(s))

    def _repr_html_(self) -> str:
        from .render import render

        return render(self)
