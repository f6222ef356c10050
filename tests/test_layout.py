"""quotecraft.attribution.layout.analyze_layout: paragraphs, captions, credit lines."""
from __future__ import annotations

from pathlib import Path

import pytest

from quotecraft.attribution.layout import analyze_layout
from quotecraft.lexicon import Lexicon

EXAMPLE = Path(__file__).parent / "data" / "kim-returns-from-russia.txt"


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return Lexicon.default()


def paras(text: str, lex: Lexicon) -> list[str]:
    return [text[s:e] for s, e in analyze_layout(text, lex).paragraphs]


def credits(text: str, lex: Lexicon) -> list[tuple[str, str]]:
    return [(c.name, c.kind) for c in analyze_layout(text, lex).credits]


def check_offsets(text: str, lex: Lexicon) -> None:
    lay = analyze_layout(text, lex)
    for s, e in lay.paragraphs:
        assert 0 <= s < e <= len(text)
        assert text[s:e] == text[s:e].strip(), "paragraphs are trimmed"
        for xs, xe in lay.excluded:
            assert xe <= s or xs >= e, "an excluded line inside a paragraph"
    for c in lay.credits:
        assert 0 <= c.start < c.end <= len(text)
        assert c.kind in ("credit", "photo", "dateline", "distributor")


# ------------------------------------------------------------------- paragraphs
def test_line_ending_with_comma_continues(lex):
    text = "Speaking after the vote on Monday,\nthe mayor said the pier would reopen.\nThe council agreed."
    assert paras(text, lex) == ["Speaking after the vote on Monday,\nthe mayor said the pier would reopen.",
                                "The council agreed."]
    check_offsets(text, lex)


def test_line_ending_with_lowercase_word_continues(lex):
    text = "The mayor visited the\nnew pier on Monday.\nThe council agreed."
    assert paras(text, lex) == ["The mayor visited the\nnew pier on Monday.", "The council agreed."]


def test_next_line_starting_lowercase_continues(lex):
    text = "The mayor visited the Harbour Trust\non Monday."
    assert paras(text, lex) == [text]


@pytest.mark.parametrize("end", [".", "!", "?", ":", "”", '."', ")"])
def test_sentence_punctuation_ends_paragraph(lex, end):
    text = f"The mayor spoke{end}\nThe council agreed."
    assert paras(text, lex) == [f"The mayor spoke{end}", "The council agreed."]


@pytest.mark.parametrize("text", ['"We are ready to talk," said Foreign\nMinister Ana Lopez on Monday.',
                                  "The talks will resume in May, Foreign Minister\nAna Lopez told reporters."])
def test_a_title_cut_from_its_name_by_a_line_break_continues(lex, text):
    assert paras(text, lex) == [text]


def test_a_title_case_heading_ending_in_a_title_stays_apart(lex):
    text = "Interview With the Foreign Minister\nAna Lopez met reporters on Monday."
    assert paras(text, lex) == ["Interview With the Foreign Minister", "Ana Lopez met reporters on Monday."]


def test_heading_line_is_its_own_paragraph(lex):
    text = "Pier Reopens After Storm\nThe mayor opened the pier on Monday."
    assert paras(text, lex) == ["Pier Reopens After Storm", "The mayor opened the pier on Monday."]


def test_blank_lines_separate_paragraphs(lex):
    text = "The mayor visited the\n\nnew pier on Monday."
    assert paras(text, lex) == ["The mayor visited the", "new pier on Monday."]


def test_prose_equals_paragraphs(lex):
    text = "The mayor spoke.\nA view of the pier. /Reuters Photo\nThe council agreed."
    lay = analyze_layout(text, lex)
    assert lay.prose == lay.paragraphs


# ------------------------------------------------------------------- captions
@pytest.mark.parametrize("caption,agency", [
    ("A crane lifts a boat onto the pier on May 3, 2021. /Reuters Photo", "Reuters"),
    ("A crane lifts a boat onto the pier. (Photo: AFP)", "AFP"),
    ("A crane lifts a boat onto the pier. /Xinhua Photo", "Xinhua"),
    ("A crane lifts a boat onto the pier, May 3. AP Photo/Jane Doe", "AP"),
])
def test_photo_caption_excluded_and_credited(lex, caption, agency):
    text = f"The mayor opened the pier.\n{caption}\nThe council agreed."
    lay = analyze_layout(text, lex)
    assert [text[s:e] for s, e in lay.paragraphs] == ["The mayor opened the pier.", "The council agreed."]
    assert [text[s:e] for s, e in lay.excluded] == [caption]
    assert [(c.name, c.kind) for c in lay.credits] == [(agency, "photo")]
    c = lay.credits[0]
    assert text[c.start:c.end] == agency
    check_offsets(text, lex)


def test_unknown_photo_agency_by_name(lex):
    text = "The mayor opened the pier.\nBoats in the harbour. /Harbourside Photo"
    assert credits(text, lex) == [("Harbourside", "photo")]
    assert paras(text, lex) == ["The mayor opened the pier."]


def test_duplicate_captions_give_one_credit(lex):
    cap = "Boats in the harbour on Monday. /Reuters Photo"
    text = f"{cap}\n{cap}\nThe mayor opened the pier."
    lay = analyze_layout(text, lex)
    assert len(lay.excluded) == 2
    assert [(c.name, c.kind) for c in lay.credits] == [("Reuters", "photo")]
    assert [text[s:e] for s, e in lay.paragraphs] == ["The mayor opened the pier."]


def test_two_captions_two_agencies(lex):
    text = "Boats. /Reuters Photo\nThe mayor opened the pier.\nNets. /Yonhap Photo"
    assert credits(text, lex) == [("Reuters", "photo"), ("Yonhap", "photo")]


# ------------------------------------------------------------------- credit lines
def test_with_inputs_from_three_agencies(lex):
    text = "The mayor opened the pier.\n(With inputs from Xinhua, Yonhap and AFP)"
    lay = analyze_layout(text, lex)
    assert [(c.name, c.kind) for c in lay.credits] == [("Xinhua", "credit"), ("Yonhap", "credit"), ("AFP", "credit")]
    assert [text[c.start:c.end] for c in lay.credits] == ["Xinhua", "Yonhap", "AFP"]
    assert [text[s:e] for s, e in lay.paragraphs] == ["The mayor opened the pier."]
    assert [text[s:e] for s, e in lay.excluded] == ["(With inputs from Xinhua, Yonhap and AFP)"]


@pytest.mark.parametrize("line", ["(With inputs from Harbour Wire)", "With reporting by Harbour Wire"])
def test_unknown_agency_in_credit_line(lex, line):
    text = f"The mayor opened the pier.\n{line}"
    lay = analyze_layout(text, lex)
    assert [(c.name, c.kind) for c in lay.credits] == [("Harbour Wire", "credit")]
    assert [text[c.start:c.end] for c in lay.credits] == ["Harbour Wire"]
    assert [text[s:e] for s, e in lay.paragraphs] == ["The mayor opened the pier."]


def test_unknown_agencies_in_credit_line_comma(lex):
    text = "The mayor opened the pier.\n(With inputs from Harbour Wire, Lakeside Radio)"
    assert credits(text, lex) == [("Harbour Wire", "credit"), ("Lakeside Radio", "credit")]


def test_unknown_agencies_in_credit_line_with_and(lex):
    text = "The mayor opened the pier.\n(With inputs from Harbour Wire, Lakeside Radio and Tidewire)"
    assert credits(text, lex) == [("Harbour Wire", "credit"), ("Lakeside Radio", "credit"), ("Tidewire", "credit")]


def test_known_and_unknown_agencies_in_credit_line(lex):
    text = "The mayor opened the pier.\n(With inputs from Xinhua and Harbour Wire)"
    assert credits(text, lex) == [("Xinhua", "credit"), ("Harbour Wire", "credit")]


def test_unknown_agency_credit_line_trailing_period(lex):
    text = "The mayor opened the pier.\nWith reporting by Harbour Wire, Tidewire."
    assert credits(text, lex) == [("Harbour Wire", "credit"), ("Tidewire", "credit")]


# ------------------------------------------------------------------- links, datelines
@pytest.mark.parametrize("line", ["Read more:", "Read more", "READ MORE:", "Related stories", "Also read:"])
def test_link_lines_excluded(lex, line):
    text = f"The mayor opened the pier.\n{line}\nThe council agreed."
    lay = analyze_layout(text, lex)
    assert [text[s:e] for s, e in lay.excluded] == [line]
    assert [text[s:e] for s, e in lay.paragraphs] == ["The mayor opened the pier.", "The council agreed."]
    assert lay.credits == []


def test_read_more_inside_a_sentence_is_prose(lex):
    text = "Residents can read more about the pier on the council website."
    assert paras(text, lex) == [text]
    assert analyze_layout(text, lex).excluded == []


@pytest.mark.parametrize("dash", ["—", "-", "–"])
def test_dateline_credits_agency_and_is_cut_from_the_first_sentence(lex, dash):
    text = f"PORTSMOUTH (AP) {dash} The mayor opened the new pier on Monday.\nThe council agreed."
    lay = analyze_layout(text, lex)
    assert [(c.name, c.kind) for c in lay.credits] == [("AP", "dateline")]
    c = lay.credits[0]
    assert text[c.start:c.end] == "AP"
    # the dateline would otherwise be parsed into the first sentence's subject
    assert [text[s:e] for s, e in lay.paragraphs] == ["The mayor opened the new pier on Monday.", "The council agreed."]
    assert [text[s:e].strip() for s, e in lay.excluded] == [f"PORTSMOUTH (AP) {dash}"]


def test_dateline_with_a_date(lex):
    text = "NEW YORK, Nov. 19 (UPI) — Former Secretary Ana Ruiz called for calm."
    lay = analyze_layout(text, lex)
    assert [text[s:e] for s, e in lay.paragraphs] == ["Former Secretary Ana Ruiz called for calm."]
    assert [(c.name, c.kind) for c in lay.credits] == [("UPI", "dateline")]


def test_plain_text_has_no_credits(lex):
    text = "The mayor opened the pier.\nThe council agreed, and Reuters was not there."
    lay = analyze_layout(text, lex)
    assert lay.credits == [] and lay.excluded == []


# ------------------------------------------------------------------- the example article
@pytest.fixture(scope="module")
def example() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def test_example_credits(lex, example):
    got = sorted((c.name, c.kind) for c in analyze_layout(example, lex).credits)
    assert got == sorted([("Xinhua", "credit"), ("Yonhap", "credit"), ("AFP", "credit"),
                          ("Reuters", "photo"), ("Yonhap", "photo")])


def test_example_paragraphs(lex, example):
    lay = analyze_layout(example, lex)
    texts = [example[s:e] for s, e in lay.paragraphs]
    assert not any("/Reuters Photo" in p or "/Yonhap Photo" in p for p in texts)
    assert not any("Read more:" in p for p in texts)
    assert not any("With inputs from" in p for p in texts)
    # broken lines inside sentences are joined
    assert any(p.startswith("Speaking to reporters after the meeting,\nPutin said") for p in texts)
    assert any("breakdown of\nHanoi talks." in p for p in texts)
    assert any("They issued\na joint declaration" in p for p in texts)
    # 26 lines: 5 left out (2 captions, cover caption, "Read more:", credit line), 3 line breaks joined
    assert len(texts) == 18
    assert texts[0].startswith("Democratic People's Republic of Korea")
    assert texts[-1].startswith("The two leaders also had two more summits")
    check_offsets(example, lex)


def test_dateline_after_a_headline_and_standfirst(lex):
    # the story's dateline follows the title (and often a one-line summary)
    text = "Ruiz Calls for Calm\n\nThe mayor spoke.\n\nNEW YORK, Nov. 19 (UPI) — Former Secretary Ana Ruiz called for calm."
    lay = analyze_layout(text, lex)
    assert [text[s:e] for s, e in lay.paragraphs][-1] == "Former Secretary Ana Ruiz called for calm."
    assert [(c.name, c.kind) for c in lay.credits] == [("UPI", "dateline")]


def test_dateline_deep_in_the_story_is_prose(lex):
    text = "One.\n\nTwo.\n\nThree.\n\nNEW YORK (AP) — Four."
    lay = analyze_layout(text, lex)
    assert lay.credits == []


@pytest.mark.parametrize("dateline", ["RENO, Nev. (AP) —", "CAMBRIDGE, Mass., Dec. 11 (UPI) —", "NEW YORK, Nov. 19 (UPI) —"])
def test_dateline_with_a_state_and_a_date(lex, dateline):
    text = f"{dateline} Ana Ruiz says the port will reopen."
    lay = analyze_layout(text, lex)
    assert [text[s:e] for s, e in lay.paragraphs] == ["Ana Ruiz says the port will reopen."]


# ------------------------------------------------------------------- wire datelines and sign-offs
@pytest.mark.parametrize("dateline,agency,kind", [
    ("SEOUL, Nov. 27 (Yonhap) --", "Yonhap", "dateline"),
    ("BEIJING, Dec. 3 (Xinhua) --", "Xinhua", "dateline"),
    ("WASHINGTON (Reuters) -", "Reuters", "dateline"),
    ("PYONGYANG, March 4 (KCNA) --", "KCNA", "dateline"),
    ("SANTIAGO, Chile, 9 May (Harbour Wire) —", "Harbour Wire", "dateline"),
    ("LAS VEGAS, June 12, 2025 /PRNewswire/ --", "PRNewswire", "distributor"),
    ("TORONTO, Jan. 8, 2026 /CNW/ -", "CNW", "distributor"),
])
def test_wire_datelines(lex, dateline, agency, kind):
    text = f"{dateline} Lena Ortiz said the port would reopen on Friday.\nThe council agreed."
    lay = analyze_layout(text, lex)
    assert [(c.name, c.kind) for c in lay.credits] == [(agency, kind)]
    assert [text[s:e] for s, e in lay.paragraphs] == ["Lena Ortiz said the port would reopen on Friday.",
                                                      "The council agreed."]
    check_offsets(text, lex)


def test_dateline_without_an_agency_is_cut_but_credits_nothing(lex):
    text = "OTTAWA -- Lena Ortiz said the port would reopen."
    lay = analyze_layout(text, lex)
    assert lay.credits == []
    assert paras(text, lex) == ["Lena Ortiz said the port would reopen."]


@pytest.mark.parametrize("line", ["— AFP", "-- Reuters", "(AFP)", "AFP/Reuters", "-- Yonhap News Agency"])
def test_signoff_line_credits_the_wire(lex, line):
    text = f"Lena Ortiz said the port would reopen.\n\nThe council agreed.\n{line}"
    lay = analyze_layout(text, lex)
    assert {c.kind for c in lay.credits} == {"dateline"}
    assert [c.name for c in lay.credits][:1] in (["AFP"], ["Reuters"], ["Yonhap"])
    assert paras(text, lex) == ["Lena Ortiz said the port would reopen.", "The council agreed."]


@pytest.mark.parametrize("line", ["Reuters said the port would reopen.", "-- AFP reported the talks failed."])
def test_a_sentence_naming_a_wire_is_no_signoff(lex, line):
    text = f"The council agreed.\n{line}"
    assert analyze_layout(text, lex).credits == []


# ------------------------------------------------------------------- page furniture
@pytest.mark.parametrize("line", [
    "Story continues below advertisement",
    "Article Continued Below",
    "ADVERTISEMENT",
    "READ MORE: Council votes to close the pier for the winter",
    "Related: Harbour authority fined over spill",
    "Protesters gather outside the legislature on Monday. (Photo: Ana Lee/Harbour Times)",
    "Firefighters at the scene in Surrey, B.C. (Darren Cole/Getty Images)",
    "A ferry leaves the terminal on Tuesday. Getty Images",
    "By Ana Lee and Tom Fox",
    "By Ana Lee, Staff Reporter",
    "WHAT HAPPENS NEXT:",
    "Posted: Nov. 3, 2025 5:04 PM ET",
    "Share this article",
    "Follow Pam Key on Twitter @pamkey",
    '"Follow Dana Whitfield on Twitter @dwhitfield.',  # inside a run of quoted paragraphs
])
def test_page_furniture_is_excluded(lex, line):
    text = f"The mayor opened the pier.\n{line}\nThe council agreed."
    lay = analyze_layout(text, lex)
    assert [text[s:e] for s, e in lay.excluded] == [line]
    assert paras(text, lex) == ["The mayor opened the pier.", "The council agreed."]


@pytest.mark.parametrize("line", [
    "By the end of the day, the council had agreed.",
    "Related charges were dropped, the court said.",
    "The advertisement ran in three papers, Lee said.",
    "WHAT HAPPENS NEXT: the council votes on Friday.",
    "Follow the money on Twitter, the senator said.",
])
def test_prose_that_looks_like_furniture_is_kept(lex, line):
    text = f"The mayor opened the pier.\n{line}"
    assert paras(text, lex) == ["The mayor opened the pier.", line]


def test_users_add_furniture_patterns():
    lex = Lexicon.default().extended(extra_furniture=[r"(?i)more\s+from\s+the\s+harbour\s+times.*"])
    text = "The mayor opened the pier.\nMore from the Harbour Times: tides\nThe council agreed."
    assert paras(text, lex) == ["The mayor opened the pier.", "The council agreed."]
    with pytest.raises(ValueError, match="bad pattern"):
        Lexicon.default().extended(extra_furniture=["(unclosed"])


def test_an_acronym_and_a_dash_opening_a_sentence_is_no_dateline(lex):
    text = "NATO — the alliance of 32 states — said on Monday that it would meet."
    assert paras(text, lex) == [text]
    assert analyze_layout(text, lex).credits == []
