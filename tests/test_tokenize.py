"""quotecraft.nlp.tokenize: the rule tokenizer and sentence splitter.

Every sentence here is made up for the test; none is taken from a corpus.
"""
from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotecraft.nlp.tokenize import abbreviations, tokenize


def words(text: str) -> list[str]:
    return [text[s:e] for sent in tokenize(text) for s, e in sent]


def sentences(text: str) -> list[str]:
    return [text[sent[0][0]:sent[-1][1]] for sent in tokenize(text)]


def check_offsets(text: str, sents: list[list[tuple[int, int]]], start: int = 0, end: int | None = None) -> None:
    """The offset contract: tokens slice back non-empty, hold no whitespace, lie inside the
    range, in order, without overlap; sentences are never empty."""
    end = len(text) if end is None else end
    prev = start
    for sent in sents:
        assert sent, "an empty sentence"
        for s, e in sent:
            assert start <= prev <= s < e <= end, (prev, s, e)
            assert not any(c.isspace() for c in text[s:e]), repr(text[s:e])
            prev = e
    # every non-space character is in some token
    covered = sum(e - s for sent in sents for s, e in sent)
    assert covered == sum(1 for c in text[start:end] if not c.isspace())


# ------------------------------------------------------------------- clitics


@pytest.mark.parametrize("text,expected", [
    ("They don't know.", ["They", "do", "n't", "know", "."]),
    ("We can't stay and we won't go.", ["We", "ca", "n't", "stay", "and", "we", "wo", "n't", "go", "."]),
    ("The mayor's plan is what we're after.", ["The", "mayor", "'s", "plan", "is", "what", "we", "'re", "after", "."]),
    ("I'm sure they'll say I'd done it and you've not.",
     ["I", "'m", "sure", "they", "'ll", "say", "I", "'d", "done", "it", "and", "you", "'ve", "not", "."]),
    ("The mayor’s aides didn’t call.", ["The", "mayor", "’s", "aides", "did", "n’t", "call", "."]),
    ("THE MAYOR'S CAR ISN'T HERE", ["THE", "MAYOR", "'S", "CAR", "IS", "N'T", "HERE"]),
    ("The players' union cannot wait.", ["The", "players", "'", "union", "can", "not", "wait", "."]),
    ("We're gonna win, I wanna say.", ["We", "'re", "gon", "na", "win", ",", "I", "wan", "na", "say", "."]),
    ("O'Brien met the ma'am at five o'clock.", ["O'Brien", "met", "the", "ma'am", "at", "five", "o'clock", "."]),
])
def test_clitics_split_as_in_ud(text: str, expected: list[str]) -> None:
    assert words(text) == expected


# ------------------------------------------------------------------- abbreviations, initials


@pytest.mark.parametrize("text,expected", [
    ("Mr. Lee and Dr. Ortiz met Gov. Hale.", ["Mr.", "Lee", "and", "Dr.", "Ortiz", "met", "Gov.", "Hale", "."]),
    ("Acme Corp. and Bolt Inc. agreed on Jan. 4.",
     ["Acme", "Corp.", "and", "Bolt", "Inc.", "agreed", "on", "Jan.", "4", "."]),
    ("It starts at 9 a.m. and ends at 5 p.m. sharp.",
     ["It", "starts", "at", "9", "a.m.", "and", "ends", "at", "5", "p.m.", "sharp", "."]),
    ("Sen. Rona Vale (D-Ill.) spoke.", ["Sen.", "Rona", "Vale", "(", "D", "-", "Ill.", ")", "spoke", "."]),
    ("He wore the No. 9 shirt.", ["He", "wore", "the", "No.", "9", "shirt", "."]),
    ("The answer was No. Then silence.", ["The", "answer", "was", "No", ".", "Then", "silence", "."]),
    ("Writer J. K. Doyle and J.R. Mott came.", ["Writer", "J.", "K.", "Doyle", "and", "J.R.", "Mott", "came", "."]),
    ("(Gov. Hale)", ["(", "Gov.", "Hale", ")"]),
    ("Fruit, bread, etc., were sold.", ["Fruit", ",", "bread", ",", "etc.", ",", "were", "sold", "."]),
])
def test_abbreviations_and_initials_keep_their_period(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def test_no_sentence_break_after_a_title_or_an_initial() -> None:
    assert len(sentences("She called Mr. Hale. He was out.")) == 2
    assert sentences("We met Dr. Vance at noon.") == ["We met Dr. Vance at noon."]
    assert sentences("A poem by T. S. Marsh was read aloud.") == ["A poem by T. S. Marsh was read aloud."]


def test_us_mid_sentence_and_at_the_end() -> None:
    text = "The U.S. Navy left port. Ships came from the U.S. The crew was tired."
    assert sentences(text) == ["The U.S. Navy left port.", "Ships came from the U.S.", "The crew was tired."]
    assert words("Ships came from the U.S.")[-1] == "U.S."  # the period is the abbreviation's
    assert sentences("He moved to the U.S. in May.") == ["He moved to the U.S. in May."]
    assert sentences("She works for Bolt Inc. It makes nails.") == ["She works for Bolt Inc.", "It makes nails."]


def test_abbreviation_file_reads_flags() -> None:
    abbr = abbreviations()
    assert "Mr." in abbr.whole and "Mr." not in abbr.ends
    assert "Inc." in abbr.ends
    assert "No." in abbr.numeric and "No." not in abbr.whole


# ------------------------------------------------------------------- quotes, brackets, dashes


def test_quotes_straight_curly_and_guillemets() -> None:
    assert words('He said "no way" loudly.') == ["He", "said", '"', "no", "way", '"', "loudly", "."]
    assert words("“We’ll see,” she said.") == ["“", "We", "’ll", "see", ",", "”", "she", "said", "."]
    assert words("‘Fine,’ he said.") == ["‘", "Fine", ",", "’", "he", "said", "."]
    assert words("«Oui», dit-il.")[:4] == ["«", "Oui", "»", ","]
    assert words("He said ''yes.''") == ["He", "said", "''", "yes", ".", "''"]


def test_dashes_and_hyphens() -> None:
    assert words("The vote—a close one—passed.") == [
        "The", "vote", "—", "a", "close", "one", "—", "passed", "."]
    assert words("He left--quickly.") == ["He", "left", "--", "quickly", "."]
    assert words("Pages 10–12 only") == ["Pages", "10", "–", "12", "only"]
    # UD splits compounds but keeps prefixes ("e-mail") and phone numbers whole
    assert words("a well-known e-mail from an anti-war co-founder") == [
        "a", "well", "-", "known", "e-mail", "from", "an", "anti-war", "co-founder"]
    assert words("Call 555-0142 now") == ["Call", "555-0142", "now"]
    assert words("President Moon Jae-in spoke.") == ["President", "Moon", "Jae", "-", "in", "spoke", "."]
    assert words("The U.S.-led talks") == ["The", "U.S.", "-", "led", "talks"]


def test_keep_hyphens_keeps_letter_compounds_whole() -> None:
    text = "Moon Jae-in met Abu al-Marri in a well-known café--twice."
    toks = [text[s:e] for sent in tokenize(text, keep_hyphens=True) for s, e in sent]
    assert toks == ["Moon", "Jae-in", "met", "Abu", "al-Marri", "in", "a", "well-known", "café", "--", "twice", "."]


def test_ellipses_and_brackets() -> None:
    assert words("Wait... what?") == ["Wait", "...", "what", "?"]
    assert words("Well…no") == ["Well", "…", "no"]
    assert words("(see below) [sic] {x}") == ["(", "see", "below", ")", "[", "sic", "]", "{", "x", "}"]
    assert words("the governor(s) of it") == ["the", "governor(s)", "of", "it"]


# ------------------------------------------------------------------- numbers, money, web


@pytest.mark.parametrize("text,expected", [
    ("It cost $1,200.50 today.", ["It", "cost", "$", "1,200.50", "today", "."]),
    ("Prices rose 5% to £30.", ["Prices", "rose", "5", "%", "to", "£", "30", "."]),
    ("We meet at 10:30 on 3/4.", ["We", "meet", "at", "10:30", "on", "3/4", "."]),
    ("Sales hit $20bn by 5pm.", ["Sales", "hit", "$", "20", "bn", "by", "5", "pm", "."]),
    ("The 3rd and 21st of the 1990s", ["The", "3rd", "and", "21st", "of", "the", "1990s"]),
    ("It fell to -5 and rose 0.75 points", ["It", "fell", "to", "-", "5", "and", "rose", "0.75", "points"]),
    ("Back in '68 and the '90s", ["Back", "in", "'68", "and", "the", "'90s"]),
])
def test_numbers_and_money(text: str, expected: list[str]) -> None:
    assert words(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("See https://example.org/a-b/c?d=1&e=2.", ["See", "https://example.org/a-b/c?d=1&e=2", "."]),
    ("(www.example.com)", ["(", "www.example.com", ")"]),
    ("Write to jo.doe+news@example.co.uk, please.", ["Write", "to", "jo.doe+news@example.co.uk", ",", "please", "."]),
    ("Follow @townhall and #floodwatch!", ["Follow", "@townhall", "and", "#floodwatch", "!"]),
    ("Example.com's chief", ["Example.com", "'s", "chief"]),
])
def test_urls_emails_handles_stay_whole(text: str, expected: list[str]) -> None:
    assert words(text) == expected


# ------------------------------------------------------------------- sentences


def test_sentence_ends_after_closing_quote() -> None:
    text = '"We will be back next season." She said it twice. He nodded.'
    assert sentences(text) == ['"We will be back next season."', "She said it twice.", "He nodded."]
    text = "“Are we done?” he asked. “Not yet!” She smiled."
    assert sentences(text) == ["“Are we done?” he asked.", "“Not yet!”", "She smiled."]


def test_sentence_ends_before_opening_quote_and_digit() -> None:
    assert sentences('He left. "Why?" asked Ana.') == ["He left.", '"Why?" asked Ana.']
    assert sentences("Rain fell. 40 homes flooded.") == ["Rain fell.", "40 homes flooded."]


def test_closing_bracket_and_note_after_the_period() -> None:
    assert sentences("It rained (a lot.) Then it stopped.") == ["It rained (a lot.)", "Then it stopped."]
    assert sentences("The bridge opened in 1901. [4] It is still used.") == [
        "The bridge opened in 1901. [4]", "It is still used."]


def test_lower_case_after_a_period_in_informal_text() -> None:
    assert sentences("i was there. you were not.") == ["i was there.", "you were not."]
    assert sentences('"Why?" she asked.') == ['"Why?" she asked.']  # a closing quote: not a sentence end


def test_paragraphs_and_newlines() -> None:
    text = "A heading without a period\n\nThe story starts here and\ngoes on here.\nA new line starts."
    assert sentences(text) == ["A heading without a period", "The story starts here and\ngoes on here.",
                               "A new line starts."]
    assert len(tokenize("one\r\n\r\ntwo")) == 2
    assert len(tokenize("One\u2029Two")) == 2


def test_list_numbers_opening_a_line() -> None:
    text = "Steps:\n\n1. Mix the flour.\n2. Bake it."
    assert [w for w in words(text) if w[0].isdigit()] == ["1.", "2."]
    assert sentences(text) == ["Steps:", "1. Mix the flour.", "2. Bake it."]


# ------------------------------------------------------------------- offsets


@pytest.mark.parametrize("text", [
    "", "   ", "\n\n", "a", ".", "Mr.", "'s", "“", "—", "...", "U.S.", "$", "-5", "a-", "-a-", "''",
    "He said: “I’m leaving the U.S.” She cried.",
    "Tabs\tand\u00a0no-break\u2003spaces\u3000here.",
])
def test_offsets_are_valid(text: str) -> None:
    check_offsets(text, tokenize(text))


def test_start_and_end_give_absolute_offsets() -> None:
    text = "Intro text. The mayor's car didn't start. Outro."
    start, end = text.index("The"), text.index(" Outro")
    sents = tokenize(text, start, end)
    check_offsets(text, sents, start, end)
    assert [text[s:e] for s, e in sents[0]] == ["The", "mayor", "'s", "car", "did", "n't", "start", "."]
    # a range that starts inside a word sees only its part of it
    assert [text[s:e] for sent in tokenize(text, 1, 5) for s, e in sent] == ["ntro"]
    assert tokenize(text, 5, 5) == []
    # read as slice bounds: negative from the end, out of range clamped; offsets stay absolute
    assert [[text[s:e] for s, e in sent] for sent in tokenize(text, -7)] == [["Outro", "."]]
    assert tokenize(text, len(text) + 5) == []


def test_long_runs_stay_linear() -> None:
    # suffix search backwards, short-piece look-ups, bounded URL matching: no quadratic run
    for text in ('"' * 60000, "x" + "." * 60000 + "x", "mailto:" + "a." * 30000, "http://a" + ".)" * 30000,
                 "'" * 60000 + "s", "1. " * 20000, "-a" * 60000):
        t0 = time.process_time()
        check_offsets(text, tokenize(text))
        assert time.process_time() - t0 < 5, text[:20]


characters = st.characters(exclude_categories=())  # any code point, surrogates and unassigned ones too
pieces = st.one_of(
    st.text(characters, min_size=1, max_size=6),
    st.sampled_from([" ", "\n", "\n\n", "\r\n", "\u00a0", "\u2029", "\x1c", ". ", "? ", '." ', "” ", "’s",
                     "n't", "Mr.", "U.S.", "--", "—", "...", "-", "'", '"', "“", "(", ")", "[1]", "$", "5",
                     "1,000", "Word", "word", "http://a.b/c", "a@b.com", "#x", "@y", "gonna", "e-mail",
                     "Jae-in", "1.", "''"]),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.lists(pieces, max_size=40).map("".join), keep=st.booleans())
def test_random_text_never_raises_and_offsets_hold(text: str, keep: bool) -> None:
    check_offsets(text, tokenize(text, keep_hyphens=keep))


@settings(max_examples=100, deadline=None)
@given(text=st.lists(pieces, max_size=20).map("".join), data=st.data())
def test_random_ranges(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    check_offsets(text, tokenize(text, start, end), start, end)



def test_a_single_line_break_ends_no_sentence_when_asked():
    text = "They met Foreign\nMinister Ana Lopez.\n\nShe left."
    default = [[text[s:e] for s, e in sent] for sent in tokenize(text)]
    joined = [[text[s:e] for s, e in sent] for sent in tokenize(text, line_breaks_end=False)]
    assert default[0] == ["They", "met", "Foreign"]  # a capital after a line break opens a sentence
    assert joined == [["They", "met", "Foreign", "Minister", "Ana", "Lopez", "."], ["She", "left", "."]]
