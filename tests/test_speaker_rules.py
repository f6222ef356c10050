"""The speaker resolver's hard constraints, one rule at a time (issue 25; no model needed)."""
from __future__ import annotations

from quotecraft.attribution.entities import (Entity, gender_agrees, is_coordination, is_document_name, is_place_name,
                                             is_time_name, number_agrees, type_agrees)
from quotecraft.lexicon import Lexicon

LEX = Lexicon.default()


def test_dates_are_times_and_names_with_a_month_in_them_are_not():
    assert is_time_name(["Sunday"]) and is_time_name(["May", "4"]) and is_time_name(["June"])
    assert not is_time_name(["Theresa", "May"]) and not is_time_name(["Paul", "Ibsen"])


def test_places_streets_and_coordinated_places():
    assert is_place_name("Elm Street", ["Elm", "Street"], LEX)
    assert is_place_name("Kenya and Uganda", ["Kenya", "and", "Uganda"], LEX)
    assert not is_place_name("Jo Park", ["Jo", "Park"], LEX)  # a surname, not a park


def test_documents_and_plans_but_not_first_names():
    assert is_document_name(["Safety", "Report"], LEX) and is_document_name(["Climate", "Pledge"], LEX)
    assert not is_document_name(["Bill"], LEX) and not is_document_name(["Anna", "Bosch"], LEX)


def test_coordinated_names_are_plural():
    assert is_coordination("Smith and Jones".split()) and not is_coordination("Marks & Spencer".split())


def test_type_number_and_gender_agreement():
    person, board = Entity("Lisa Crane", "person"), Entity("the school board", "organization")
    teachers = Entity("teachers", "group", plural=True)
    sunday, report = Entity("Sunday", "time"), Entity("Safety Report", "document")
    assert type_agrees("she", person) and not type_agrees("she", board) and not type_agrees("she", sunday)
    assert type_agrees("it", board) and not type_agrees("it", person) and not type_agrees("it", report)
    assert type_agrees("they", teachers) and type_agrees("they", board) and not type_agrees("they", person)
    assert not number_agrees("he", teachers) and not number_agrees("he", Entity("A and B", "person", plural=True))
    man = Entity("Ben Carter", "person", genders={"m"})
    assert gender_agrees("he", man) and not gender_agrees("she", man) and gender_agrees("she", person)


def test_first_names_are_gender_evidence_only_where_the_text_gives_none():
    # eighth sitting: "Mark" is a man's first name, "Dana" no one sex's
    mark = Entity("Mark Osei", "person", name_gender="m")
    assert not gender_agrees("she", mark) and gender_agrees("he", mark)
    assert gender_agrees("she", Entity("Dana Whitfield", "person"))
    # the text wins over the list: "Ms. Mark Osei" is a woman
    assert gender_agrees("she", Entity("Mark Osei", "person", genders={"f"}, name_gender="m"))


def test_a_mention_ending_in_a_relative_pronoun_is_named_by_its_noun():
    from quotecraft.attribution.entities import EntityRegistry
    from quotecraft.attribution.speakers import Speakers
    from syntax import doc

    text = "Denise Okafor praised it. The governor, who signed it, did not comment."
    sents = doc(text, "Denise/PROPN/2/compound Okafor/PROPN/3/nsubj praised/VERB/0/root it/PRON/3/obj ./PUNCT/3/punct",
                "The/DET/2/det governor/NOUN/9/nsubj ,/PUNCT/5/punct who/PRON/5/nsubj signed/VERB/2/acl:relcl "
                "it/PRON/5/obj ,/PUNCT/5/punct did/AUX/9/aux not/PART/9/advmod comment/VERB/0/root ./PUNCT/9/punct")
    reg = EntityRegistry(LEX)
    reg.ranker = None
    reg.add_sentences(text, sents)
    words = sents[1].words[:4]  # "The governor, who", as the tagger marks a source
    p = Speakers(text, sents, reg, LEX).party(words, None, text.index("did"))
    # not the latest person named ("who" resolved as a pronoun), the description
    assert p.name == "governor" and text[p.mention[0]:p.mention[1]] == "The governor, who"


def test_a_possessors_description_before_a_dash_or_comma_names_the_person_after_it():
    # ninth sitting: "Trump's running mate — Mike Pence —" is Mike Pence, not Trump (a dash now
    # cuts an apposition as a comma does, and a description with a possessor is a title's like)
    from quotecraft.attribution.entities import EntityRegistry
    from quotecraft.attribution.speakers import Speakers
    from syntax import doc

    for sep in ("—", ","):
        text = f"Trump 's running mate {sep} Mike Pence {sep} said it ."
        sents = doc(text, f"Trump/PROPN/3/compound 's/PART/1/case running/NOUN/4/amod mate/NOUN/10/nsubj "
                          f"{sep}/PUNCT/6/punct Mike/PROPN/4/appos Pence/PROPN/6/flat {sep}/PUNCT/6/punct "
                          "said/VERB/0/root it/PRON/10/obj ./PUNCT/10/punct")
        reg = EntityRegistry(LEX)
        reg.ranker = None
        reg.add_sentences(text, sents)
        words = sents[0].words[:9]
        p = Speakers(text, sents, reg, LEX).party(words, words[3], text.index("said"))
        assert p is not None and p.name == "Mike Pence", (sep, p)
