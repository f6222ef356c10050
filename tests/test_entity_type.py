"""The entity-type head (`quotecraft.attribution.entitytype`) and how the registry uses it (issue 25)."""
from __future__ import annotations

import pytest
import torch

from quotecraft.attribution.entities import EntityRegistry
from quotecraft.attribution.entitytype import (ENTITY_TYPES, EntityTypeHead, load_entity_type_head, pool_mention,
                                               typer)
from quotecraft.errors import HeadError
from quotecraft.lexicon import Lexicon
from syntax import sent


def _head(probs: dict[str, float], floor: float = 0.8, veto: float = 0.2) -> EntityTypeHead:
    """A head that gives the same probabilities whatever it reads (its weights are zero)."""
    logits = torch.log(torch.tensor([probs.get(t, 1e-6) for t in ENTITY_TYPES]))
    return EntityTypeHead({"labels": list(ENTITY_TYPES), "weight": torch.zeros(len(ENTITY_TYPES), 4),
                           "bias": logits, "floor": floor, "person_veto": veto})


def test_sure_types_are_taken_and_doubt_is_none():
    x = torch.ones(4)
    assert _head({"place": 0.9, "person": 0.1}).predict(x) == "place"
    # under the floor, but surely no person: the likeliest other type
    assert _head({"organization": 0.6, "object": 0.3, "person": 0.1}).predict(x) == "organization"
    # under the floor and possibly a person: no answer, the name stays open to every pronoun
    assert _head({"organization": 0.6, "person": 0.4}).predict(x) is None


def test_a_damaged_head_file_names_itself(tmp_path):
    bad = tmp_path / "entitytype.pt"
    bad.write_bytes(b"not a torch file")
    with pytest.raises(HeadError, match="entitytype"):
        load_entity_type_head(bad)
    assert load_entity_type_head(tmp_path / "missing.pt") is None


def test_a_mention_pools_the_mean_then_its_last_piece():
    pieces = {(0, 4): torch.tensor([1.0, 0.0]), (4, 7): torch.tensor([3.0, 2.0]), (8, 12): torch.tensor([9.0, 9.0])}
    assert pool_mention(pieces, (0, 7)).tolist() == [2.0, 1.0, 3.0, 2.0]
    assert pool_mention(pieces, (20, 30)) is None
    assert typer(None, pieces)(0, 7) is None  # no head installed: no type


TEXT = "Coach Dana Frost met Brightwave Robotics and Mira Tan and Ivo Lund of Delta Foods."


def _registry() -> EntityRegistry:
    s = sent(TEXT, "Coach/PROPN/3/compound Dana/PROPN/3/compound Frost/PROPN/4/nsubj met/VERB/0/root "
                   "Brightwave/PROPN/6/compound Robotics/PROPN/4/obj and/CCONJ/9/cc Mira/PROPN/9/compound "
                   "Tan/PROPN/6/conj and/CCONJ/12/cc Ivo/PROPN/12/compound Lund/PROPN/6/conj of/ADP/15/case "
                   "Delta/PROPN/15/compound Foods/PROPN/12/nmod ./PUNCT/4/punct")
    r = EntityRegistry(Lexicon.default())
    r.add_sentences(TEXT, [s])
    return r


def test_only_names_the_rules_cannot_settle_are_typed():
    r = _registry()
    asked: list[str] = []

    def type_of(start: int, end: int):
        asked.append(TEXT[start:end])
        return "organization"

    r.type_unsure(type_of)
    # "Coach Dana Frost" is a person by her title: never asked; a pair is never typed as one
    assert "Dana Frost" not in asked and all(" and " not in a for a in asked)
    assert r.lookup("Frost").kind == "person"
    assert [e.kind for e in r.entities if e.name == "Brightwave Robotics and Mira Tan and Ivo Lund"] in ([], ["unknown"])


def test_each_person_of_a_pair_is_an_entity_of_their_own():
    text = "Police questioned Mark Doyle and Helen Price of Eastfield Farms."
    s = sent(text, "Police/NOUN/2/nsubj questioned/VERB/0/root Mark/PROPN/4/compound Doyle/PROPN/2/obj and/CCONJ/7/cc "
                   "Helen/PROPN/7/compound Price/PROPN/4/conj of/ADP/10/case Eastfield/PROPN/10/compound "
                   "Farms/PROPN/7/nmod ./PUNCT/2/punct")
    r = EntityRegistry(Lexicon.default())
    r.add_sentences(text, [s])
    names = {e.name: e for e in r.entities}
    assert "Mark Doyle" in names and "Helen Price" in names  # the affiliation stays out of the name
    pair = next(e for e in r.entities if " and " in e.name)
    assert pair.plural and not names["Helen Price"].plural
    assert r.lookup("Price") is names["Helen Price"]  # a surname is the person's, not the pair's
    assert r.antecedent("she", len(text)) is names["Helen Price"]
    assert r.antecedent("they", len(text)) not in (names["Helen Price"], names["Mark Doyle"])
    # an apposition after a pair is the pair's, never Price's
    text = "Mark Doyle and Helen Price, the owners, spoke."
    s = sent(text, "Mark/PROPN/2/compound Doyle/PROPN/9/nsubj and/CCONJ/5/cc Helen/PROPN/5/compound "
                   "Price/PROPN/2/conj ,/PUNCT/8/punct the/DET/8/det owners/NOUN/2/appos ,/PUNCT/8/punct "
                   "spoke/VERB/0/root ./PUNCT/10/punct")
    r = EntityRegistry(Lexicon.default())
    r.add_sentences(text, [s])
    assert "Helen Price" in {e.name for e in r.entities}
    assert r.mention_ending(text.index(", the owners")) is None


def test_one_word_of_a_title_is_no_person():
    text = "He wrote Growth and Structure of the English Language."
    s = sent(text, "He/PRON/2/nsubj wrote/VERB/0/root Growth/PROPN/2/obj and/CCONJ/5/cc Structure/PROPN/3/conj "
                   "of/ADP/9/case the/DET/9/det English/PROPN/9/compound Language/PROPN/5/nmod ./PUNCT/2/punct")
    r = EntityRegistry(Lexicon.default())
    r.add_sentences(text, [s])
    assert "Growth" not in {e.name for e in r.entities}


@pytest.mark.model
def test_the_shipped_head_types_names_the_rules_leave_open():
    from quotecraft.nlp.encoder import encoded_windows, load_encoder

    head = load_entity_type_head()
    assert head is not None, "models/attribution/entitytype.pt is missing"
    text = "Maya Collins flew from Yakutsk to Omsk to meet the board of Brightwave Robotics on a cold Monday."
    enc = load_encoder()
    windows = encoded_windows(enc, text, [(0, len(text))])
    pieces = {o: row for w, f in zip(windows, enc.encode(windows)) for o, row in zip(w.offsets, f)}
    type_of = typer(head, pieces)

    def at(name: str):
        i = text.index(name)
        return type_of(i, i + len(name))

    assert at("Maya Collins") == "person"
    assert at("Yakutsk") == "place"
    assert at("Brightwave Robotics") not in (None, "person")  # a firm: the head says it is no person
