"""HTML view of an `Article`: the text with its quotes, cues and speakers marked.

The output is a self-contained fragment (inline ``<style>``, no JavaScript) so
it can be dropped into a notebook cell (`Article._repr_html_`), an e-mail or a
static page. Two properties are kept on purpose and tested:

* all article text is HTML-escaped, so untrusted news text cannot inject markup;
* the article text survives verbatim: removing the tags and the ``qc-label``
  elements and unescaping gives back ``article.text`` character for character.

Spans may overlap (two quotes sharing words, a mention inside a quote), so the
markup is built from boundary events with a stack: when a span ends while
others opened after it are still open, those are closed and reopened around
the boundary. Tags therefore always nest, and no character is dropped or
repeated.
"""
from __future__ import annotations

import html
from collections import defaultdict
from typing import Iterable, Optional, Sequence, Union

import attrs

from ..objects import Agency, Article, Quote, Span

__all__ = ["render", "STYLE", "LOW_CONFIDENCE"]

# Lower rank = outer element when two marks cover exactly the same characters,
# so a cue that is also a whole quote still shows both, cue inside.
_RANK = {"quote": 0, "credit": 1, "agency": 1, "addressee": 2, "speaker": 2, "cue": 3}

#: confidence below which a quote is drawn with a dashed underline
LOW_CONFIDENCE = 0.5

_CREDIT_WORDS = {"relay": "relayed", "credit": "article", "photo": "photo", "dateline": "dateline",
                 "distributor": "distributed"}

STYLE = """
.quotecraft{font-family:Georgia,'Times New Roman',serif;font-size:15px;line-height:1.85;color:#1f2328;
 background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:14px 18px;max-width:62em;box-sizing:border-box}
.quotecraft .qc-title{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:16px;font-weight:600;
 margin:0 0 8px;padding-bottom:6px;border-bottom:1px solid #e5e7eb;overflow-wrap:anywhere}
.quotecraft .qc-text{white-space:pre-wrap;overflow-wrap:break-word}
.quotecraft .qc-q{border-radius:3px;padding:2px 0;cursor:help;
 -webkit-box-decoration-break:clone;box-decoration-break:clone}
.quotecraft .qc-direct{background:#fff0a6;border-bottom:2px solid #d9a800}
.quotecraft .qc-indirect{background:#dcecff;border-bottom:2px solid #4f8fd1}
.quotecraft .qc-mixed{background:#eedcff;border-bottom:2px solid #9461d1}
.quotecraft .qc-q .qc-q{box-shadow:inset 0 -4px 0 rgba(0,0,0,.12)}
.quotecraft .qc-low{border-bottom-style:dashed}
.quotecraft .qc-cue{font-weight:700;text-decoration:underline;text-decoration-thickness:2px;text-underline-offset:3px;cursor:help}
.quotecraft .qc-speaker{font-weight:700;color:#0a6b4b;cursor:help}
.quotecraft .qc-addressee{font-style:italic;color:#8a4600;cursor:help}
.quotecraft .qc-agency{color:#b42318;font-weight:600;border-bottom:1px dashed #b42318;cursor:help}
.quotecraft .qc-credit{color:#57606a;background:#eef0f3;border-radius:3px;padding:1px 2px}
.quotecraft .qc-label,.quotecraft .qc-legend-label{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:11px;font-weight:600;
 font-style:normal;line-height:1.2;white-space:nowrap;display:inline-block;vertical-align:middle;margin:-2px 2px 0 5px;
 padding:2px 7px 2px 2px;border-radius:10px;color:#fff;background:#57606a;cursor:help;text-decoration:none;
 max-width:22em;overflow:hidden;text-overflow:ellipsis}
.quotecraft .qc-label .qc-n,.quotecraft .qc-legend-label .qc-n{display:inline-block;min-width:1.3em;margin-right:1px;padding:0 3px;border-radius:8px;
 background:#fff;color:#1f2328;text-align:center;box-sizing:border-box}
.quotecraft .qc-label-direct{background:#8f6b00}
.quotecraft .qc-label-indirect{background:#2f6fb3}
.quotecraft .qc-label-mixed{background:#7445b0}
.quotecraft .qc-label .qc-via{font-weight:400;opacity:.85}
.quotecraft .qc-footer{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:12px;line-height:1.6;color:#57606a;
 margin-top:10px;padding-top:6px;border-top:1px solid #e5e7eb}
.quotecraft .qc-footer .qc-q,.quotecraft .qc-footer .qc-cue,.quotecraft .qc-footer .qc-speaker,
.quotecraft .qc-footer .qc-addressee,.quotecraft .qc-footer .qc-agency,.quotecraft .qc-footer .qc-credit{padding:0 3px;cursor:default}
.quotecraft .qc-footer .qc-legend-label{padding:1px 7px 1px 2px;margin:0;vertical-align:baseline;cursor:default}
.quotecraft .qc-legend{display:flex;flex-wrap:wrap;gap:2px 12px;align-items:center}
.quotecraft .qc-credits{margin-top:4px}
.quotecraft .qc-error{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:13px;color:#8b0000;
 background:#fdecea;border:1px solid #f5c2c0;border-radius:4px;padding:6px 10px;margin-bottom:8px;white-space:pre-wrap}
"""


@attrs.frozen
class _Mark:
    """One element to wrap around ``text[start:end]``."""

    start: int
    end: int
    rank: int
    seq: int  # first-seen order, to make ties deterministic
    open_tag: str
    label: str = ""  # put just inside this element's end (a quote's last fragment), so the label sits in its highlight


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _attr(text: str) -> str:
    return html.escape(text, quote=True)


def _quote_title(number: int, quote: Quote) -> str:
    """The hover text: everything the label has no room for."""
    lines = [f"Quote {number} ({quote.kind}, {quote.type})"]
    if quote.speaker is not None:
        lines.append(f"Speaker: {quote.speaker.name} ({quote.speaker.kind})")
    else:
        lines.append("Speaker: unknown")
    if quote.addressee is not None:
        lines.append(f"To: {quote.addressee.name}")
    lines.append(f"Cue: {quote.cue.text if quote.cue is not None else '-'}")
    if quote.reported_by:
        lines.append("Via: " + ", ".join(a.name for a in quote.reported_by))
    lines.append(f"Confidence: {quote.confidence:.2f}")
    if quote.decided_by:
        lines.append(f"Decided by: {quote.decided_by}")
    return "\n".join(lines)


def _label(number: int, quote: Quote, title: str) -> str:
    who = quote.speaker.name if quote.speaker is not None else "unknown speaker"
    parts = [
        f'<span class="qc-label qc-label-{quote.kind}" data-quote="{number}" title="{_attr(title)}">',
        # the number ties the label to the highlight (whose hover title says "Quote N") when quotes overlap
        f'<span class="qc-n">{number}</span> ',
        f'<span class="qc-who">{_esc(who)}</span>',
    ]
    if quote.addressee is not None:
        parts.append(f'<span class="qc-to"> \u2192 {_esc(quote.addressee.name)}</span>')
    if quote.reported_by:
        names = ", ".join(a.name for a in quote.reported_by)
        # a real space, not only CSS margin, so copied or read-aloud labels stay words
        parts.append(f'<span class="qc-via"> via {_esc(names)}</span>')
    parts.append("</span>")
    return "".join(parts)


def _collect(article: Article) -> tuple[list[_Mark], dict[int, list[str]]]:
    """All marks (deduplicated) and the labels to insert at each offset."""
    # (role, start, end, owner) -> (classes, extra attrs, titles). Cues and
    # mentions shared by several quotes (one cue for both halves of a split
    # quote) become one element with the titles joined; content keeps one
    # element per quote (owner), so each quote's extent stays visible.
    found: dict[tuple[str, int, int, int], tuple[str, str, list[str]]] = {}

    def add(role: str, span: Optional[Span], classes: str, title: Optional[str], extra: str = "", owner: int = 0) -> None:
        if span is None or span.end <= span.start:
            return  # an empty span has nothing to wrap
        key = (role, span.start, span.end, owner)
        if key not in found:
            found[key] = (classes, extra, [])
        if title and title not in found[key][2]:
            found[key][2].append(title)

    labels: dict[int, list[str]] = defaultdict(list)
    label_in: dict[tuple[str, int, int, int], str] = {}
    for number, quote in enumerate(article.quotes, start=1):
        title = _quote_title(number, quote)
        classes = f"qc-q qc-{quote.kind}" + (" qc-low" if quote.confidence < LOW_CONFIDENCE else "")
        for span in quote.content:
            add("quote", span, classes, title, f' data-quote="{number}"', owner=number)
        last = quote.content[-1]
        label = _label(number, quote, title)
        if last.end > last.start:
            label_in[("quote", last.start, last.end, number)] = label
        else:  # an empty last fragment has no element to hold the label
            labels[quote.end].append(label)
        add("cue", quote.cue, "qc-cue", title)
        if quote.speaker is not None:
            add("speaker", quote.speaker.mention, "qc-speaker", title)
        if quote.addressee is not None:
            add("addressee", quote.addressee.mention, "qc-addressee", f"Addressee: {quote.addressee.name}")
        for agency in quote.reported_by:
            add("agency", agency.mention, "qc-agency", f"Relayed by {agency.name}")
    for agency in article.credits:
        add("credit", agency.mention, "qc-credit", f"Credit ({agency.kind}): {agency.name}")

    marks = []
    for seq, (key, (classes, extra, titles)) in enumerate(found.items()):
        role, start, end, _ = key
        title_attr = f' title="{_attr(chr(10).join(titles))}"' if titles else ""
        marks.append(_Mark(start, end, _RANK[role], seq, f'<span class="{classes}"{extra}{title_attr}>',
                           label_in.get(key, "")))
    return marks, labels


def _markup(text: str, marks: list[_Mark], labels: dict[int, list[str]]) -> str:
    """Interleave escaped text with properly nested tags and labels."""
    opens_at: dict[int, list[_Mark]] = defaultdict(list)
    for m in marks:
        opens_at[m.start].append(m)
    boundaries = sorted({m.start for m in marks} | {m.end for m in marks} | set(labels))

    def nesting(m: _Mark) -> tuple[int, int, int]:
        # longest first, so the elements opened later (inside) end no later
        return (-m.end, m.rank, m.seq)

    out: list[str] = []
    stack: list[_Mark] = []
    pos = 0
    for b in boundaries:
        out.append(_esc(text[pos:b]))
        pos = b
        # Close everything from the outermost mark ending here upwards; marks
        # above it that continue past b are reopened below (split, not lost).
        reopen: list[_Mark] = []
        first = next((i for i, m in enumerate(stack) if m.end == b), None)
        if first is not None:
            closing = stack[first:]
            for m in reversed(closing):
                if m.end == b and m.label:
                    out.append(m.label)
                out.append("</span>")
            del stack[first:]
            reopen = [m for m in closing if m.end != b]
        out.extend(labels.get(b, ()))
        for m in sorted(reopen + opens_at.get(b, []), key=nesting):
            out.append(m.open_tag)
            stack.append(m)
    out.append(_esc(text[pos:]))
    # every mark ends within the text, so the last boundary emptied the stack
    assert not stack, "unclosed marks"
    return "".join(out)


def _credits(credits: Iterable[Agency]) -> str:
    items = [f"{_esc(a.name)} ({_CREDIT_WORDS.get(a.kind, a.kind)})" for a in credits]
    if not items:
        return ""
    return '<div class="qc-credits">Credits: ' + " \u00b7 ".join(items) + "</div>"


def _legend(article: Article) -> str:
    """Every kind of mark the text can carry, drawn as it is drawn in the text."""
    n = len(article.quotes)
    count = "No quotes found" if n == 0 else f"{n} quote{'s' if n != 1 else ''}"
    keys = [f'<span class="qc-q qc-{k}">{k}</span>' for k in ("direct", "indirect", "mixed")]
    keys += [
        f'<span class="qc-q qc-indirect qc-low">confidence &lt; {LOW_CONFIDENCE:g}</span>',
        '<span class="qc-cue">cue</span>',
        '<span class="qc-speaker">speaker</span>',
        '<span class="qc-addressee">addressee</span>',
        '<span class="qc-agency">relaying agency</span>',
        '<span class="qc-credit">credit</span>',
        # not class qc-label: readers of the page (and its tests) count those as the quotes' labels
        '<span class="qc-legend-label"><span class="qc-n">N</span> speaker of quote N</span>',
    ]
    return f'<div class="qc-legend"><span>{count}:</span>' + "".join(f"<span>{k}</span>" for k in keys) + "</div>"


PAGE_STYLE = "body{margin:24px;background:#f6f8fa}.quotecraft{margin:0 auto 24px}"


def render(articles: Union[Article, Iterable[Article]], *,
           title: Union[None, str, Sequence[Optional[str]]] = None, style: bool = True, page: bool = False) -> str:
    """Render one article, or several, as self-contained HTML (no JavaScript).

    Quote fragments are highlighted by kind (direct, indirect, mixed; dashed when
    the confidence is below `LOW_CONFIDENCE`), cues underlined, speaker mentions
    in bold, addressees in italics, relaying agencies underlined in red. Inside
    the end of each quote's highlight a numbered label names its speaker (and
    addressee and relaying agencies); hover a highlight or label for speaker,
    kind, cue, confidence and the step that decided the quote (`Quote.decided_by`). A legend and the credits close each article. All
    article text is HTML-escaped.

    Args:
        articles: One `Article`, or an iterable of them (rendered one after the
            other, as displaCy does with a list of docs).
        title: A heading for the article; with several articles, a sequence of
            headings (one per article, ``None`` for none).
        style: Include the ``<style>`` element (once, however many articles).
            ``False`` for pages that include `STYLE` themselves.
        page: Return a whole HTML page (``<!DOCTYPE html>``, ``<head>``, ``<body>``)
            to save as a file, instead of a fragment for a notebook or a page of yours.

    Returns:
        The HTML as a string. In a notebook, wrap it in ``IPython.display.HTML``
        (a single `Article` also displays itself).

    Raises:
        TypeError: ``articles`` holds something that is not an `Article`.
        ValueError: ``title`` is a sequence of another length than ``articles``.

    Example:
        >>> html = quotecraft.io.render([a1, a2], title=["a1.txt", "a2.txt"], page=True)
        >>> Path("quotes.html").write_text(html, encoding="utf-8")
    """
    if isinstance(articles, Article):
        items = [articles]
        titles: list[Optional[str]] = [title if isinstance(title, str) or title is None else _one_title(title)]
    else:
        items = list(articles)
        bad = next((a for a in items if not isinstance(a, Article)), None)
        if bad is not None:
            raise TypeError(f"render() takes an Article or an iterable of Articles, got {type(bad).__name__} in it")
        if title is None:
            titles = [None] * len(items)
        elif isinstance(title, str):
            titles = [title] + [None] * (len(items) - 1)
        else:
            titles = list(title)
            if len(titles) != len(items):
                raise ValueError(f"title has {len(titles)} headings for {len(items)} articles")
    body = "".join(_render_one(a, t) for a, t in zip(items, titles))
    if page:
        heading = next((t for t in titles if t), None) if len(items) == 1 else None
        return (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{_esc(heading or 'quotecraft')}</title>\n"
            + (f"<style>{STYLE}\n{PAGE_STYLE}</style>\n" if style else "")
            + f"</head>\n<body>\n{body}\n</body>\n</html>\n"
        )
    if len(items) == 1:
        # the style inside the article's own element keeps a single fragment self-contained
        return body.replace('<div class="quotecraft">', f'<div class="quotecraft"><style>{STYLE}</style>', 1) if style else body
    return (f"<div class=\"quotecraft-list\"><style>{STYLE}</style>{body}</div>" if style
            else f'<div class="quotecraft-list">{body}</div>')


def _one_title(title: Sequence[Optional[str]]) -> Optional[str]:
    if len(title) != 1:
        raise ValueError(f"title has {len(title)} headings for 1 article")
    return title[0]


def _render_one(article: Article, title: Optional[str]) -> str:
    """One article's ``<div class="quotecraft">``, without the style."""
    marks, labels = _collect(article)
    parts = ['<div class="quotecraft">']
    if title is not None:
        parts.append(f'<div class="qc-title">{_esc(title)}</div>')
    if article.error:
        parts.append(f'<div class="qc-error">Extraction failed: {_esc(article.error)}</div>')
    parts.append(f'<div class="qc-text">{_markup(article.text, marks, labels)}</div>')
    parts.append(f'<div class="qc-footer">{_legend(article)}{_credits(article.credits)}</div>')
    parts.append("</div>")
    return "".join(parts)
