"""quotecraft.attribution.quotes.find_quotes: quotation marks in, character ranges out."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quotecraft.attribution.quotes import QUOTE_CHARS, MarkedQuote, find_quotes


def frags(text: str, paragraphs=None) -> list[list[str]]:
    return [[text[s:e] for s, e in q.fragments] for q in find_quotes(text, paragraphs)]


# ------------------------------------------------------------------- mark styles
@pytest.mark.parametrize("quoted", [
    '"the road stays shut"',
    "“the road stays shut”",
    "«the road stays shut»",
    "„the road stays shut“",
])
def test_double_mark_styles(quoted):
    text = f"The mayor said {quoted} on Tuesday."
    qs = find_quotes(text)
    assert len(qs) == 1
    q = qs[0]
    assert text[q.start:q.end] == quoted
    assert q.closed and not q.single
    assert q.inner(text) == "the road stays shut"


@pytest.mark.parametrize("quoted", ["'the road stays shut'", "‘the road stays shut’"])
def test_single_mark_styles(quoted):
    text = f"The mayor said {quoted} on Tuesday."
    qs = find_quotes(text)
    assert len(qs) == 1
    assert text[qs[0].start:qs[0].end] == quoted
    assert qs[0].single and qs[0].closed
    assert qs[0].inner(text) == "the road stays shut"


def test_several_quotes_in_order():
    text = '"We open at nine," the baker said. "We close at five," she added, calling it \'a long day\'.'
    assert frags(text) == [['"We open at nine,"'], ['"We close at five,"'], ["'a long day'"]]
    starts = [q.start for q in find_quotes(text)]
    assert starts == sorted(starts)


def test_split_quote_gives_two_quotes():
    text = "“The bridge is safe,” the engineer said, “but the road is not.”"
    assert frags(text) == [["“The bridge is safe,”"], ["“but the road is not.”"]]


def test_no_marks_no_quotes():
    assert find_quotes("The council met on Monday and nobody spoke.") == []
    assert find_quotes("") == []


# ------------------------------------------------------------------- nesting
@pytest.mark.parametrize("text,outer", [
    ('The clerk said: "He told me \'no way\' twice," and left.', '"He told me \'no way\' twice,"'),
    ("The clerk said: “He told me ‘no way’ twice,” and left.", "“He told me ‘no way’ twice,”"),
    ("The clerk said: “He called it ‘a farce’ and ‘a waste’,” and left.",
     "“He called it ‘a farce’ and ‘a waste’,”"),
])
def test_nested_single_inside_double_only_outermost(text, outer):
    qs = find_quotes(text)
    assert len(qs) == 1
    assert text[qs[0].start:qs[0].end] == outer
    assert qs[0].closed and not qs[0].single


def test_nested_curly_inside_guillemets_only_outermost():
    text = "The clerk said: «He told me “no way” twice,» and left."
    assert frags(text) == [["«He told me “no way” twice,»"]]


# ------------------------------------------------------------------- paragraphs
def test_quote_continued_over_paragraphs():
    text = ("“The first thing we did was count the boats.\n\n"
            "“Then we counted the nets.\n\n"
            "“Then we went home,” the fisher said. Later she added “nothing else.”")
    qs = find_quotes(text)
    assert len(qs) == 2
    first = qs[0]
    assert [text[s:e] for s, e in first.fragments] == [
        "“The first thing we did was count the boats.",
        "“Then we counted the nets.",
        "“Then we went home,”",
    ]
    assert first.closed
    assert first.inner(text) == "The first thing we did was count the boats. Then we counted the nets. Then we went home,"
    assert text[qs[1].start:qs[1].end] == "“nothing else.”"


def test_straight_quote_continued_over_paragraphs():
    text = '"One.\n\n"Two.\n\n"Three," he said.'
    assert frags(text) == [['"One.', '"Two.', '"Three,"']]
    assert find_quotes(text)[0].closed


def test_continued_quote_with_explicit_paragraphs():
    text = "“We will rebuild the pier.\n“It will take a year,” the mayor said."
    nl = text.index("\n")
    # one paragraph per line, as analyze_layout would give them
    qs = find_quotes(text, [(0, nl), (nl + 1, len(text))])
    assert [[text[s:e] for s, e in q.fragments] for q in qs] == [
        ["“We will rebuild the pier.", "“It will take a year,”"]]
    # the same text seen as one paragraph: the first quote is unclosed and the second stands alone
    qs = find_quotes(text, [(0, len(text))])
    assert len(qs) == 2 and not qs[0].closed and qs[1].closed


def test_unclosed_quote_ends_with_its_paragraph():
    text = "The mayor said “we will rebuild the pier.\n\nThe council agreed."
    qs = find_quotes(text)
    assert len(qs) == 1
    assert text[qs[0].start:qs[0].end] == "“we will rebuild the pier."
    assert qs[0].closed is False


def test_unclosed_quote_then_new_paragraph_with_its_own_quote():
    text = 'He said "we go now.\n\nShe replied "not yet" and stayed.'
    qs = find_quotes(text)
    assert [[text[s:e] for s, e in q.fragments] for q in qs] == [['"we go now.'], ['"not yet"']]
    assert [q.closed for q in qs] == [False, True]


def test_unclosed_quote_at_end_of_text():
    text = 'The mayor said "we will rebuild'
    qs = find_quotes(text)
    assert len(qs) == 1 and qs[0].closed is False
    assert qs[0].end == len(text)


@pytest.mark.parametrize("text, quotes", [
    # the same curly marks nested, as scraped vox pops write them: one quotation
    ("“I’d rather live in what he calls “hell” than here.” ― Ana Ruiz",
     ["“I’d rather live in what he calls “hell” than here.”"]),
    ("“Say “yes,” “no” or “maybe,”” she said.", ["“Say “yes,” “no” or “maybe,””"]),
    # an opener whose quote never closes around it is still a new quotation
    ("“We are ready. “We will vote,” she said. “Now.”", ["“We are ready.", "“We will vote,”", "“Now.”"]),
    ("“We are ready. “We will vote,” she said.\n\nThen “no” came.", ["“We are ready.", "“We will vote,”", "“no”"]),
])
def test_same_marks_nest_only_where_the_outer_quote_closes_around_them(text, quotes):
    assert [text[q.start:q.end] for q in find_quotes(text)] == quotes


def test_nesting_stays_linear_in_a_paragraph_of_openers():
    import time

    for text in ("“a " * 100_000, "“a " * 100_000 + "” ” ”", "“x “y” z” " * 20_000):
        t = time.perf_counter()
        quotes = find_quotes(text)
        assert time.perf_counter() - t < 10 and quotes


def test_two_openers_in_a_row():
    text = "“We are ready. “We will vote,” she said."
    qs = find_quotes(text)
    assert frags(text) == [["“We are ready."], ["“We will vote,”"]]
    assert [q.closed for q in qs] == [False, True]


# ------------------------------------------------------------------- apostrophes
@pytest.mark.parametrize("text", [
    "Officials of the Workers' Party met on Monday.",
    "The officials' cars were parked outside.",
    "I don't know, and she won't say.",
    "The Joneses' dog and Moon's cat are friends.",
    "It’s the council’s decision, and the officials’ too.",
])
def test_apostrophes_alone_are_not_quotes(text):
    assert find_quotes(text) == []


def test_apostrophes_do_not_disturb_real_quotes():
    text = "The Workers' Party said 'we don't agree' and the officials' cars left."
    assert frags(text) == [["'we don't agree'"]]
    text = "The Workers’ Party said ‘we don’t agree’ and the officials’ cars left."
    assert frags(text) == [["‘we don’t agree’"]]
    text = 'The Workers\' Party said "the officials\' plan won\'t work" today.'
    assert frags(text) == [['"the officials\' plan won\'t work"']]


def test_nineties_alone_is_not_a_quote():
    assert find_quotes("The '90s were good years for the port.") == []


def test_nineties_apostrophe_with_later_single_quote():
    text = "In the '90s the dockers said 'never again' often."
    assert frags(text) == [["'never again'"]]


def test_rock_n_roll_is_not_a_quote():
    assert find_quotes("She plays rock 'n' roll at the harbour bar.") == []


# ------------------------------------------------------------------- robustness
@pytest.mark.parametrize("text", ['"', "“", "”", "'", "''", '""', "“”", '" "', "a \" b", "«", "» a «",
                                  '"\n\n"', "“a\n\n“b\n\n“c", "x”y“z", "‘’‚'\"„«»‹›"])
def test_unbalanced_marks_never_raise(text):
    qs = find_quotes(text)
    assert all(isinstance(q, MarkedQuote) for q in qs)
    for q in qs:
        for s, e in q.fragments:
            assert 0 <= s < e <= len(text)


_ALPHABET = list("ab ") + [" ", "\n", "\n", "."] + list(dict.fromkeys(QUOTE_CHARS + "'\"“”‘’«»"))


def _line_paragraphs(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for i, c in enumerate(text):
        if c == "\n":
            out.append((pos, i))
            pos = i + 1
    out.append((pos, len(text)))
    return out


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(_ALPHABET), max_size=60), st.booleans())
def test_find_quotes_properties(text, by_line):
    qs = find_quotes(text, _line_paragraphs(text) if by_line else None)
    prev_end = 0
    for q in qs:
        assert q.fragments, "a quote without fragments"
        for s, e in q.fragments:
            assert 0 <= s < e <= len(text)
            assert s >= prev_end, f"fragments overlap or are out of order: {qs}"
            assert text[s] in QUOTE_CHARS
            prev_end = e
        assert isinstance(q.closed, bool)
        q.inner(text)  # never raises


@pytest.mark.parametrize("text, named", [
    ('On "Fox News Sunday," Gov. Ann Lee said the tweet was a joke.', True),  # a show after a preposition
    ("On Tuesday's episode of “The Morning Show,” she said the vote mattered.", True),
    ('He accused them of "Lying," Lee said.', False),  # one word after "of": a word of theirs
    ('She called it "a disaster," Lee said.', False),  # not a title
    ("Kim spoke.\n\n'All Bets Are Off.'\n\nEight years ago, Kim ran.", True),  # a subheading
    ('Kim spoke.\n\n"We are not leaving."\n\nShe smiled.', False),  # a sentence on its own line
    ('"We Will Win," Lee said.', False),
])
def test_a_quoted_name_is_told_from_a_quotation(text, named):
    from quotecraft.attribution.quotes import is_quoted_name

    assert is_quoted_name(text, find_quotes(text)[0]) is named
    # find_quotes marks it once, for the resolver and the tagger alike
    assert find_quotes(text)[0].name is named

