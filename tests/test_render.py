"""quotecraft.render: escaping, exact text round trip, labels, nesting of overlapping spans."""
from __future__ import annotations

import random
import re
from html.parser import HTMLParser
from typing import Optional

import pytest

from quotecraft.objects import Agency, Article, Quote, Span, Speaker
from quotecraft.io.render import render

# A made-up local news item; every offset below is found in it, never typed by hand.
TEXT = (
    '"We will not back down," Mayor Ana Ortiz said on Monday, according to Northwind Press.\n'
    "The council told residents that the bridge would reopen in May, the agency added.\n"
    '\n'
    'Ortiz blamed the "reckless" contractor for the delay.\n'
    "Photo: Harbor Wire"
)


def sp(needle: str, text: str = TEXT, nth: int = 0) -> Span:
    """The *nth* occurrence of *needle* in *text* as a Span."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Span.of(text, start, start + len(needle))


def sample_article() -> Article:
    northwind = Agency("Northwind Press", sp("Northwind Press"), "relay")
    return Article(
        TEXT,
        quotes=[
            Quote(
                content=[sp('"We will not back down,"')],
                cue=sp("said"),
                speaker=Speaker("Ana Ortiz", sp("Mayor Ana Ortiz"), "person"),
                reported_by=[northwind],
                kind="direct",
                confidence=0.93,
            ),
            Quote(
                content=[sp("that the bridge would reopen in May")],
                cue=sp("told"),
                speaker=Speaker("City Council", sp("The council"), "organization"),
                addressee=Speaker("residents", sp("residents"), "unknown"),
                reported_by=[Agency("Northwind Press", None, "relay")],
                kind="indirect",
                confidence=0.41,
            ),
            Quote(
                content=[sp('the "reckless" contractor for the delay')],
                cue=sp("blamed"),
                speaker=Speaker("Ana Ortiz", sp("Ortiz", nth=1), "person"),
                kind="mixed",
                confidence=0.8,
            ),
        ],
        credits=[Agency("Harbor Wire", sp("Harbor Wire"), "photo"), Agency("Northwind Press", None, "credit")],
    )


class Walk(HTMLParser):
    """Parses render() output: checks nesting, and records for each character of
    the article text (inside ``qc-text``, outside labels) the elements around it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, Optional[str]]]] = []
        self.errors: list[str] = []
        self.chars: list[tuple[str, tuple[dict[str, Optional[str]], ...]]] = []
        self.labels: list[str] = []
        self.tags: list[str] = []

    def _classes(self) -> list[set[str]]:
        return [set((a.get("class") or "").split()) for _, a in self.stack]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        self.tags.append(tag)
        a = dict(attrs)
        if "qc-label" in (a.get("class") or "").split() and not any("qc-label" in c for c in self._classes()):
            self.labels.append("")
        self.stack.append((tag, a))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack:
            self.errors.append(f"</{tag}> with nothing open")
        elif self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1][0]}>")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        classes = self._classes()
        if any("qc-label" in c for c in classes):
            self.labels[-1] += data
        elif any("qc-text" in c for c in classes):
            around = tuple(a for _, a in self.stack)
            self.chars.extend((ch, around) for ch in data)

    @property
    def text(self) -> str:
        return "".join(ch for ch, _ in self.chars)

    def covering(self, cls: str, attr: str = "data-quote") -> list[frozenset[str]]:
        """Per character: the *attr* values of enclosing elements of class *cls*."""
        return [
            frozenset(a.get(attr) or "" for a in around if cls in (a.get("class") or "").split())
            for _, around in self.chars
        ]


def body(markup: str) -> str:
    """The markup of the article text alone (no style, legend or credits)."""
    start = markup.index('<div class="qc-text">')
    return markup[start:markup.index('<div class="qc-footer">', start)]


def walk(markup: str) -> Walk:
    w = Walk()
    w.feed(markup)
    w.close()
    assert not w.errors, w.errors
    assert not w.stack, f"left open: {w.stack}"
    return w


def test_visible_text_is_the_article_text() -> None:
    w = walk(render(sample_article()))
    assert w.text == TEXT


def test_quote_spans_cover_exactly_the_content() -> None:
    article = sample_article()
    w = walk(render(article))
    covered = w.covering("qc-q")
    for number, quote in enumerate(article.quotes, start=1):
        expected = set()
        for s in quote.content:
            expected.update(range(s.start, s.end))
        got = {i for i, c in enumerate(covered) if str(number) in c}
        assert got == expected, f"quote {number}"


def test_kind_colour_classes_cue_and_speaker_marked() -> None:
    article = sample_article()
    w = walk(render(article))
    for quote in article.quotes:
        i = quote.content[0].start
        assert any(f"qc-{quote.kind}" in (a.get("class") or "") for a in w.chars[i][1])
    for cls, span in [("qc-cue", sp("said")), ("qc-cue", sp("told")), ("qc-speaker", sp("Mayor Ana Ortiz")),
                      ("qc-addressee", sp("residents")), ("qc-agency", sp("Northwind Press")),
                      ("qc-credit", sp("Harbor Wire"))]:
        flags = [bool(c) for c in w.covering(cls, "class")]
        assert flags[span.start:span.end] == [True] * len(span), cls
        assert not flags[span.start - 1] and True not in flags[span.end:span.end + 1], cls


def test_labels_name_speaker_addressee_and_relaying_agency() -> None:
    w = walk(render(sample_article()))
    assert len(w.labels) == 3
    assert "Ana Ortiz" in w.labels[0] and "via Northwind Press" in w.labels[0]
    assert "City Council" in w.labels[1] and "residents" in w.labels[1] and "via Northwind Press" in w.labels[1]
    assert "Ana Ortiz" in w.labels[2] and "via" not in w.labels[2]


def test_label_follows_its_quote() -> None:
    article = sample_article()
    markup = render(article)
    text_part = markup[markup.index('class="qc-text"'):]
    # the first label comes after the last character of quote 1 and before the next text
    first_label = text_part.index("qc-label")
    assert text_part.index('back down,"') < first_label < text_part.index("Mayor Ana Ortiz")


def test_hover_titles_carry_details() -> None:
    markup = render(sample_article())
    assert 'title="Quote 1 (direct, speech)\nSpeaker: Ana Ortiz (person)\n' in markup
    for detail in ("Speaker: Ana Ortiz (person)", "Cue: said", "Confidence: 0.93", "Via: Northwind Press",
                   "To: residents", "Confidence: 0.41"):
        assert detail in markup, detail


def test_low_confidence_is_flagged() -> None:
    text_part = body(render(sample_article()))
    assert text_part.count("qc-low") == 1  # only quote 2 (0.41)
    assert 'class="qc-q qc-indirect qc-low"' in text_part


def test_credits_listed_at_the_bottom() -> None:
    markup = render(sample_article())
    footer = markup[markup.index('class="qc-footer"'):]
    assert "Credits:" in footer and "Harbor Wire (photo)" in footer and "Northwind Press (article)" in footer
    assert "3 quotes" in footer


def test_script_in_text_and_names_is_escaped() -> None:
    text = 'Intro <script>alert(1)</script> & "x" said <b>Bob</b>.'
    evil = Speaker("<img src=x onerror=alert(2)>", sp("<b>Bob</b>", text), "person")
    article = Article(
        text,
        quotes=[Quote(content=[sp('"x"', text)], cue=sp("said", text), speaker=evil, kind="direct")],
        credits=[Agency("<i>Wire</i>", None, "credit")],
    )
    markup = render(article, title="<script>t()</script>")
    assert "<script" not in markup and "<img" not in markup and "<b>" not in markup and "<i>" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    w = walk(markup)
    assert set(w.tags) <= {"div", "span", "style"}
    assert w.text == text
    assert w.labels == ["1 <img src=x onerror=alert(2)>"]


def test_attribute_values_are_escaped() -> None:
    text = 'He said "ok".'
    article = Article(
        text,
        quotes=[Quote(content=[sp('"ok"', text)], cue=sp("said", text),
                      speaker=Speaker('Jo "the" <Boss>', sp("He", text), "person"), kind="direct")],
    )
    w = walk(render(article))
    titles = [a.get("title") for _, around in w.chars for a in around if a.get("title")]
    assert any('Speaker: Jo "the" <Boss> (person)' in t for t in titles)


def test_newlines_kept_and_pre_wrap() -> None:
    markup = render(sample_article())
    assert "white-space:pre-wrap" in markup
    assert walk(markup).text.count("\n") == TEXT.count("\n")


def test_title_error_and_empty_article() -> None:
    markup = render(Article("Nothing quoted here.", error="parser crashed <x>"), title="a/b.txt")
    w = walk(markup)
    assert w.text == "Nothing quoted here."
    assert 'class="qc-title">a/b.txt<' in markup
    assert "Extraction failed: parser crashed &lt;x&gt;" in markup
    assert "No quotes found" in markup
    assert walk(render(Article(""))).text == ""


def test_style_can_be_left_out() -> None:
    assert "<style>" in render(sample_article())
    assert "<style>" not in render(sample_article(), style=False)


def test_no_javascript() -> None:
    markup = render(sample_article()).lower()
    assert "<script" not in markup and "javascript:" not in markup and " onclick" not in markup


def test_repr_html_delegates() -> None:
    assert sample_article()._repr_html_() == render(sample_article())


def test_overlapping_quotes_and_crossing_mention_nest() -> None:
    text = "Alpha beta gamma delta epsilon zeta eta theta."
    a = sp("beta gamma delta", text)
    b = sp("delta epsilon zeta", text)  # shares "delta" with a
    mention = sp("gamma delta epsilon", text)  # crosses both quote boundaries
    cue = sp("zeta eta", text)  # starts inside b, ends outside
    article = Article(
        text,
        quotes=[
            Quote(content=[a], kind="direct", speaker=Speaker("Gamma", mention, "person")),
            Quote(content=[b], kind="indirect", cue=cue),
        ],
    )
    w = walk(render(article))
    assert w.text == text
    covered = w.covering("qc-q")
    assert {i for i, c in enumerate(covered) if "1" in c} == set(range(a.start, a.end))
    assert {i for i, c in enumerate(covered) if "2" in c} == set(range(b.start, b.end))
    for cls, span in (("qc-speaker", mention), ("qc-cue", cue)):
        got = {i for i, c in enumerate(w.covering(cls, "class")) if c}
        assert got == set(range(span.start, span.end)), cls
    # a label sits inside the still-open parts of other marks without breaking them
    assert len(w.labels) == 2


def test_identical_spans_shared_by_two_quotes_render_once() -> None:
    text = '"One," she said, "two."'
    cue = sp("said", text)
    she = Speaker("Dana Reyes", sp("she", text), "person")
    article = Article(
        text,
        quotes=[
            Quote(content=[sp('"One,"', text), sp('"two."', text)], cue=cue, speaker=she),
            Quote(content=[sp('"two."', text)], cue=cue, speaker=she, confidence=0.6),
        ],
    )
    markup = render(article)
    assert body(markup).count('class="qc-cue"') == 1
    w = walk(markup)
    assert w.text == text
    # the split quote is one quote: one label after its last fragment; both labels sit inside the
    # shared last fragment, quote 2's highlight inside quote 1's, so its label comes first
    assert w.labels == ["2 Dana Reyes", "1 Dana Reyes"]


@pytest.mark.parametrize("seed", range(25))
def test_random_overlapping_spans_round_trip(seed: int) -> None:
    rng = random.Random(seed)
    text = "".join(rng.choice("ab <>&\"'\n") for _ in range(rng.randint(1, 60)))
    n = len(text)

    def rand_span() -> Span:
        s = rng.randrange(n + 1)
        return Span.of(text, s, rng.randint(s, n))

    quotes = []
    for _ in range(rng.randint(1, 5)):
        content = sorted(rand_span() for _ in range(rng.randint(1, 3)))
        quotes.append(
            Quote(
                content=content,
                cue=rand_span() if rng.random() < 0.7 else None,
                speaker=Speaker("S", rand_span() if rng.random() < 0.7 else None),
                kind=rng.choice(["direct", "indirect", "mixed"]),
            )
        )
    article = Article(text, quotes=quotes)
    w = walk(render(article))
    assert w.text == text
    assert len(w.labels) == len(quotes)
    covered = w.covering("qc-q")
    for number, q in enumerate(quotes, start=1):
        expected = {i for s in q.content for i in range(s.start, s.end)}
        assert {i for i, c in enumerate(covered) if str(number) in c} == expected


def test_label_sits_inside_its_own_highlight() -> None:
    """Overlapping quotes: each label is inside the end of the highlight of the quote it names, and
    carries that quote's number, so one can tell which label belongs to which highlight."""
    text = 'Kim said the talks were "a waste of time" and "over", officials said.'
    outer = sp('the talks were "a waste of time" and "over"', text)
    inner = sp('"over"', text)
    article = Article(
        text,
        quotes=[
            Quote(content=[outer], cue=sp("said", text), speaker=Speaker("Kim Jong Un", sp("Kim", text), "person"), kind="mixed"),
            Quote(content=[inner], cue=sp("said", text, 1), speaker=Speaker("officials", sp("officials", text)), kind="direct"),
        ],
    )

    class Owners(Walk):
        """For each label: the data-quote values of the quote highlights around it."""

        def __init__(self) -> None:
            super().__init__()
            self.owners: list[set[str]] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
            a = dict(attrs)
            if "qc-label" in (a.get("class") or "").split():
                self.owners.append({x.get("data-quote") or "" for _, x in self.stack if "qc-q" in (x.get("class") or "").split()})
            super().handle_starttag(tag, attrs)

    w = Owners()
    w.feed(render(article))
    assert w.text == text and not w.errors
    assert w.labels == ["2 officials", "1 Kim Jong Un"]
    # the inner quote's label is inside both highlights; the outer one's only inside its own
    assert w.owners == [{"1", "2"}, {"1"}]


def test_legend_lists_every_mark() -> None:
    markup = render(sample_article())
    legend = markup[markup.index('class="qc-legend"'):markup.index("</div>", markup.index('class="qc-legend"'))]
    for cls in ("qc-direct", "qc-indirect", "qc-mixed", "qc-low", "qc-cue", "qc-speaker", "qc-addressee",
                "qc-agency", "qc-credit", "qc-legend-label"):
        assert f"{cls}" in legend, cls
    # every class used in the text is explained in the legend
    used = {c for c in re.findall(r'class="([^"]+)"', body(markup)) for c in c.split()}
    explained = {c for c in re.findall(r'class="([^"]+)"', legend) for c in c.split()}
    assert used - {"qc-label", "qc-label-direct", "qc-label-indirect", "qc-label-mixed", "qc-n", "qc-who", "qc-to",
                   "qc-via", "qc-text"} <= explained


def test_long_labels_are_cut_not_wrapped() -> None:
    style = render(sample_article())
    rule = re.search(r"\.quotecraft \.qc-label,[^{]*\{([^}]*)\}", style)
    assert rule is not None
    for prop in ("white-space:nowrap", "max-width:", "overflow:hidden", "text-overflow:ellipsis"):
        assert prop in rule.group(1), prop


def test_render_many_articles_and_page() -> None:
    one, two = sample_article(), Article("Nothing quoted.")
    markup = render([one, two], title=["one.txt", None])
    assert markup.count('<div class="quotecraft">') == 2 and markup.count("<style>") == 1
    assert 'class="qc-title">one.txt<' in markup and markup.count('class="qc-title"') == 1
    assert render((a for a in [one, two])) == render([one, two])  # any iterable
    page = render([one, two], page=True)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert '<meta charset="utf-8">' in page and page.count("<style>") == 1
    assert "<title>quotecraft</title>" in page
    assert "<title>one.txt</title>" in render(one, title="one.txt", page=True)
    w = walk(page[page.index("<body>") + 6:page.index("</body>")])
    assert w.text == TEXT + "Nothing quoted."
    assert len(w.labels) == 3
    # a single article is still what it was: one element with its own style
    assert render(one).startswith('<div class="quotecraft"><style>')


def test_render_bad_arguments() -> None:
    with pytest.raises(TypeError, match="got str"):
        render(["not an article"])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="2 headings for 1 articles"):
        render([sample_article()], title=["a", "b"])
