"""The entity registry: canonical names from acronyms, titles and surnames."""
from __future__ import annotations

from quotecraft.attribution.entities import EntityRegistry
from quotecraft.lexicon import Lexicon
from syntax import sent

TEXT = ("Democratic People's Republic of Korea (DPRK) leader Kim Jong Un returned. "
        "DPRK's Committee for the Peaceful Reunification of the Country (CPRC) said.")


def registry():
    s1 = sent(TEXT, "Democratic/ADJ/3/amod People/NOUN/3/nmod:poss 's/PART/2/case Republic/PROPN/9/compound of/ADP/5/case "
                    "Korea/PROPN/3/nmod (/PUNCT/7/punct DPRK/PROPN/3/appos )/PUNCT/7/punct leader/NOUN/10/compound "
                    "Kim/PROPN/13/nsubj Jong/PROPN/10/flat Un/PROPN/10/flat returned/VERB/0/root ./PUNCT/13/punct")
    s2 = sent(TEXT, "DPRK/PROPN/3/nmod:poss 's/PART/1/case Committee/PROPN/14/nsubj for/ADP/7/case the/DET/7/det "
                    "Peaceful/ADJ/7/amod Reunification/PROPN/3/nmod of/ADP/10/case the/DET/10/det Country/PROPN/7/nmod "
                    "(/PUNCT/12/punct CPRC/PROPN/3/appos )/PUNCT/12/punct said/VERB/0/root ./PUNCT/14/punct", s1.end)
    r = EntityRegistry(Lexicon.default())
    r.add_sentences(TEXT, [s1, s2])
    return r


def test_acronym_spells_out_the_full_name():
    r = registry()
    assert r.lookup("DPRK").name == "Democratic People's Republic of Korea"
    assert r.lookup("CPRC").name == "Committee for the Peaceful Reunification of the Country"
    assert r.lookup("CPRC").kind == "organization"


def test_surname_and_title_roles():
    r = registry()
    kim = r.lookup("Kim")
    assert kim.name == "Kim Jong Un" and kim.kind == "person" and "leader" in kim.roles
    assert r.by_role("leader", len(TEXT)) is kim


def test_no_fragment_entities_inside_an_acronym_name():
    names = {e.name for e in registry().entities}
    assert "Democratic People" not in names and "Peaceful Reunification" not in names


def test_pronoun_it_skips_people():
    r = registry()
    r.note_speaker(10, r.lookup("CPRC"))
    r.note_speaker(20, r.lookup("Kim"))
    assert r.antecedent("it", 30).name.startswith("Committee")
    assert r.antecedent("he", 30).name == "Kim Jong Un"
