"""quotecraft.lexicon: the shipped cue and agency lists, and extending them."""
from __future__ import annotations

import pytest

from quotecraft.lexicon import CUE_CLASSES, Cue, Lexicon


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return Lexicon.default()


# ------------------------------------------------------------------- default lexicon
def test_default_is_cached(lex):
    assert Lexicon.default() is lex


def test_default_cues(lex):
    assert len(lex.cues) >= 200
    for lemma in ("say", "tell", "add", "claim", "urge", "demand", "warn", "accuse", "blame",
                  "deny", "insist", "announce", "report"):
        assert lemma in lex.cues, lemma
        assert lex.cues[lemma].lemma == lemma
    assert all(c.cls in CUE_CLASSES for c in lex.cues.values())
    assert all(k == k.lower() for k in lex.cues)
    assert lex.cues["tell"].addressee_obj
    assert lex.cues["urge"].cls == "directive"
    assert lex.cues["say"].cls == "speech"


def test_default_agencies(lex):
    canonical = set(lex.agencies.values())
    assert len(canonical) >= 40
    for name in ("KCNA", "Yonhap", "Xinhua", "Reuters", "AFP", "AP", "TASS", "Kyodo"):
        assert name in canonical, name
        assert lex.agencies[name] == name
    # every canonical name is its own alias
    assert all(lex.agencies[c] == c for c in canonical)


@pytest.mark.parametrize("mention,name", [
    ("the official Korean Central News Agency", "KCNA"),
    ("Korean Central News Agency", "KCNA"),
    ("KCNA", "KCNA"),
    ("  Reuters  ", "Reuters"),
    ("the Associated Press", "AP"),
    ("Agence France-Presse", "AFP"),
    ("South Korea's Yonhap news agency", "Yonhap"),
])
def test_agency_of(lex, mention, name):
    assert lex.agency_of(mention) == name


@pytest.mark.parametrize("mention", ["the harbour master", "Apple", "", "the news agency"])
def test_agency_of_unknown(lex, mention):
    assert lex.agency_of(mention) is None


def test_find_agencies_offsets(lex):
    text = "Yonhap and the Korean Central News Agency said so, AFP reported."
    hits = lex.find_agencies(text)
    assert [h[0] for h in hits] == ["Yonhap", "KCNA", "AFP"]
    assert [text[s:e] for _, s, e in hits] == ["Yonhap", "Korean Central News Agency", "AFP"]


def test_find_agencies_range(lex):
    text = "AP and Reuters and AFP"
    assert [h[0] for h in lex.find_agencies(text, 3)] == ["Reuters", "AFP"]
    assert [h[0] for h in lex.find_agencies(text, 0, 14)] == ["AP", "Reuters"]


@pytest.mark.parametrize("text", [
    "APPLE shares rose.", "The MAPs were wrong.", "Old MAPS of the harbour.", "SNAP polls",
    "the AP-NORC survey", "ZAP", "REUTERSX", "taps and maps", "pap smear",
])
def test_find_agencies_whole_words_only(lex, text):
    assert lex.find_agencies(text) == []


@pytest.mark.parametrize("text,name", [("(AP)", "AP"), ("AP's reporter", "AP"), ("via AFP.", "AFP"),
                                       ("MAP reported", "MAP"), ("“Xinhua”", "Xinhua")])
def test_find_agencies_next_to_punctuation(lex, text, name):
    assert [h[0] for h in lex.find_agencies(text)] == [name]


# ------------------------------------------------------------------- extending
def test_extended_adds_cues_and_agencies(lex):
    ext = lex.extended(
        extra_cues=["zorble", "  Quibblify  ", "blorfinate\tdirective\taddressee=obj", Cue("snorkify", "belief"),
                    "vexplain\tspeech\taddressee=obj,content=obj"],
        extra_agencies={"Harbour Wire": ["HWire", "Harbour Wire Service"], "Tidewire": "TW"},
    )
    assert ext.cues["zorble"] == Cue("zorble", "speech")
    assert ext.cues["quibblify"] == Cue("quibblify", "speech")
    assert ext.cues["blorfinate"] == Cue("blorfinate", "directive", addressee_obj=True)
    assert ext.cues["snorkify"].cls == "belief"
    assert ext.cues["vexplain"] == Cue("vexplain", "speech", addressee_obj=True, content_obj=True)
    assert ext.agencies["HWire"] == "Harbour Wire"
    assert ext.agencies["Harbour Wire"] == "Harbour Wire"
    assert ext.agencies["TW"] == "Tidewire"
    assert ext.agency_of("the Harbour Wire Service") == "Harbour Wire"
    text = "HWire and Reuters and TW"
    assert [h[0] for h in ext.find_agencies(text)] == ["Harbour Wire", "Reuters", "Tidewire"]
    # the defaults are kept
    assert len(ext.cues) == len(lex.cues) + 5
    assert ext.cues["say"] == lex.cues["say"]
    assert ext.titles == lex.titles and ext.pronouns == lex.pronouns


def test_extended_leaves_default_unchanged(lex):
    n_cues, n_ag = len(lex.cues), len(lex.agencies)
    lex.find_agencies("Reuters")  # compile the default's pattern first
    ext = lex.extended(["zorble"], {"Harbour Wire": ["HWire"]})
    assert ext.find_agencies("HWire")
    assert "zorble" not in lex.cues and "zorble" not in Lexicon.default().cues
    assert "HWire" not in lex.agencies
    assert lex.find_agencies("HWire said") == []
    assert (len(lex.cues), len(lex.agencies)) == (n_cues, n_ag)


def test_extended_overrides_existing_cue(lex):
    ext = lex.extended(["say\tbelief"])
    assert ext.cues["say"].cls == "belief"
    assert lex.cues["say"].cls == "speech"


@pytest.mark.parametrize("line", ["mutter\tshouting", "mutter\tSpeech", "\tspeech", "   "])
def test_extended_bad_cue_line(lex, line):
    with pytest.raises(ValueError, match="bad cue line"):
        lex.extended([line])


def test_extended_bad_cue_type(lex):
    with pytest.raises(TypeError):
        lex.extended([42])  # type: ignore[list-item]


# ------------------------------------------------------------------- from_files
def test_from_files(tmp_path, lex):
    cues = tmp_path / "cues.tsv"
    cues.write_text("# my cues\nzorble\n\nblorfinate\tdirective\taddressee=obj\n", encoding="utf-8")
    agencies = tmp_path / "agencies.tsv"
    agencies.write_text("# name\taliases\tcountry\nHarbour Wire\tHWire|Harbour Wire Service\tNowhere\n"
                        "Tidewire\n", encoding="utf-8")
    ext = Lexicon.from_files(cues=cues, agencies=str(agencies))
    assert ext.cues["zorble"].cls == "speech"
    assert ext.cues["blorfinate"] == Cue("blorfinate", "directive", addressee_obj=True)
    assert ext.agencies["HWire"] == "Harbour Wire"
    assert ext.agencies["Harbour Wire Service"] == "Harbour Wire"
    assert ext.agencies["Tidewire"] == "Tidewire"
    assert "Nowhere" not in ext.agencies  # the country column is not an alias
    assert "say" in ext.cues and ext.agencies["KCNA"] == "KCNA"
    assert "zorble" not in lex.cues


def test_from_files_only_one_file(tmp_path, lex):
    cues = tmp_path / "cues.tsv"
    cues.write_text("zorble\tspeech\n", encoding="utf-8")
    ext = Lexicon.from_files(cues=cues)
    assert "zorble" in ext.cues and ext.agencies == lex.agencies
    assert Lexicon.from_files().cues == lex.cues


def test_from_files_bad_cue_class(tmp_path):
    cues = tmp_path / "cues.tsv"
    cues.write_text("zorble\tloud\n", encoding="utf-8")
    with pytest.raises(ValueError):
        Lexicon.from_files(cues=cues)


def test_from_files_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        Lexicon.from_files(cues=tmp_path / "nope.tsv")


def test_from_files_strips_aliases(tmp_path):
    agencies = tmp_path / "agencies.tsv"
    agencies.write_text("Harbour Wire\tHWire | HW\tNowhere\n", encoding="utf-8")
    ext = Lexicon.from_files(agencies=agencies)
    assert [h[0] for h in ext.find_agencies("HW reported")] == ["Harbour Wire"]


def test_quotes_only_option(lex):
    ext = lex.extended(["mutter\tspeech\tquotes-only"])
    assert ext.cues["mutter"].quotes_only and not ext.cues["mutter"].content_obj
    assert not lex.cues["say"].quotes_only


def test_unknown_cue_option_is_an_error(lex):
    with pytest.raises(ValueError, match="unknown cue option"):
        lex.extended(["mutter\tspeech\tcontent=subject"])


def test_content_as_option(lex):
    ext = lex.extended(["nickname\tspeech\tcontent=as"])
    assert ext.cues["nickname"].content_as and not ext.cues["nickname"].content_obj
    assert lex.cues["refer"].content_as and not lex.cues["say"].content_as


def test_section_labels_come_from_the_data_file_and_survive_extension(lex):
    assert "the latest" in lex.section_labels and "editor's note" in lex.section_labels
    assert lex.extended(["mutter"]).section_labels == lex.section_labels


def test_content_clause_option_and_shipped_non_speech_verbs():
    lex = Lexicon.default()
    assert lex.extended(["spot\tspeech\tcontent=clause"]).cues["spot"].content_clause
    assert lex.cues["show"].content_clause and not lex.cues["show"].quotes_only
    assert lex.cues["fire"].quotes_only and lex.cues["list"].quotes_only


def test_extra_furniture_reaches_the_extractor_lexicon():
    from quotecraft import Extractor

    ex = Extractor(extra_furniture=[r"(?i)more\s+from\s+harbour\s+times"])
    assert ex.lexicon.is_furniture("  More from Harbour Times ")
    assert not ex.lexicon.is_furniture("More from Harbour Times is coming, the editor said.")
    assert ex.lexicon.is_furniture("Story continues below advertisement")  # the shipped patterns stay
    with pytest.raises(TypeError, match="list of patterns"):
        Extractor(extra_furniture="Advertisement")


def test_addressed_forms_are_past_participles_of_cues_said_to_someone():
    forms = Lexicon.default().addressed_forms
    assert {"told", "asked", "urged", "pressed", "warned", "reminded"} <= forms
    # "are urging" is no passive; "we are convinced" is an attitude; "the issue was addressed" no speech
    assert not {"urging", "telling", "asks", "said", "convinced", "persuaded", "addressed"} & forms


def test_section_labels_and_label_endings():
    lex = Lexicon.default()
    assert lex.is_section_label("The Latest") and lex.is_section_label("WATCH")
    assert lex.is_section_label("Storm Ciara live") and lex.is_section_label("Election 2026 LIVE updates")
    assert not lex.is_section_label("Trump") and not lex.is_section_label("Olive")
