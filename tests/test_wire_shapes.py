"""Wire shapes the resolver reads with confidence, on the default path (`quotecraft.extract`).

Agency leads that name the agency in full with its acronym, wherever the report verb stands;
``according to X`` at the start, in the middle and at the end, X short or long; ``X quoted Y as
saying``; ``Y was quoted by X as saying``; datelines.  Each passage is written for this test
(other agencies, names, lengths and clause orders than the example article's).
"""
from __future__ import annotations

import pytest

import quotecraft

pytestmark = pytest.mark.model

#: (passage, a snippet of the content, words the speaker's name must hold, words the content must
#: not hold, agencies that must relay it)
CASES = [
    # agency leads, report verb after a long clause
    ("The northern province will open two new border crossings for trucks carrying grain and fertiliser before "
     "the end of the harvest season, the Korean Central News Agency (KCNA) said on Monday.",
     "two new border crossings", "KCNA", ("Korean Central",), ()),
    ("Beijing plans to cut import duties on farm machinery and on spare parts for irrigation pumps by half from "
     "next January, the official Xinhua News Agency (Xinhua) reported late on Friday.",
     "cut import duties", "Xinhua", ("Xinhua",), ()),
    # agency lead, report verb first
    ("The Yonhap News Agency (Yonhap) reported on Wednesday that the two Koreas would reopen a liaison office "
     "in the border town.", "would reopen a liaison office", "Yonhap", (), ()),
    ("Agence France-Presse (AFP) reported that rescue teams had reached the last of the flooded villages.",
     "rescue teams had reached", "AFP", (), ()),
    # according to: start, middle (short and long source), end
    ("According to Reuters, the airline will buy forty new jets at the trade fair.",
     "the airline will buy forty new jets", "Reuters", ("Reuters",), ()),
    ("The new bridge, according to the city's chief engineer, will carry traffic again by late spring.",
     "will carry traffic again", "chief engineer", ("engineer", "according"), ()),
    ("The vaccine stocks, according to a senior official at the health ministry who asked not to be named, "
     "will run out by the end of the month.",
     "will run out by the end of the month", "senior official", ("official", "according", "named"), ()),
    ("Fuel prices will rise by ten percent in the spring, according to the national energy regulator.",
     "Fuel prices will rise", "energy regulator", ("regulator",), ()),
    # X quoted Y as saying; Y was quoted by X as saying
    ("Xinhua quoted Trade Minister Wen Li as saying that exports would recover in the second half.",
     "exports would recover", "Wen Li", ("Xinhua",), ("Xinhua",)),
    ("Defence Minister Olga Sand was quoted by AFP as saying that the drills would go ahead as planned.",
     "the drills would go ahead", "Olga Sand", ("AFP",), ("AFP",)),
    # the quoted one with an apposition (the parse makes her an indirect object)
    ("The state news agency KCNA later quoted Pak Yong Mi, the powerful sister of the premier, as saying the "
     "tests were a \"warning to the warmongers.\"", "warning to the warmongers", "Pak Yong Mi", ("KCNA",), ("KCNA",)),
    # datelines relay every quote of their story
    ("OSLO, May 12 (Reuters) - Norway's central bank said on Thursday it would keep interest rates on hold "
     "until the autumn.", "keep interest rates on hold", "central bank", (), ("Reuters",)),
    ("PYONGYANG, Aug. 2 (KCNA) -- The cabinet said the rice harvest had exceeded the plan in every province.",
     "the rice harvest had exceeded the plan", "cabinet", (), ("KCNA",)),
    # a person's words relayed by the agency named after them: the person speaks, the agency
    # relays, and the relaying clause is no part of the words
    ("SEOUL, March 4 (Yonhap) -- Premier Pak Song Chol said the country would \"never give up\" its rockets, "
     "the Korean Central News Agency (KCNA) reported Wednesday.",
     "would \"never give up\" its rockets", "Pak Song Chol", ("Korean Central", "reported"), ("KCNA", "Yonhap")),
    ("Ri Chol Su, the foreign minister, told envoys that the drills were \"a rehearsal for war,\" KCNA said.",
     "a rehearsal for war", "Ri Chol Su", ("KCNA said",), ("KCNA",)),
]


@pytest.fixture(scope="module")
def articles():
    return {}


_EXTRACTORS: dict = {}


def _extractor(path):
    if path not in _EXTRACTORS:
        _EXTRACTORS[path] = quotecraft.Extractor(**({"attribution": "rules"} if path == "rules" else {}))
    return _EXTRACTORS[path]


@pytest.mark.parametrize("text,snippet,speaker,not_in_content,relays", CASES, ids=[c[1][:30] for c in CASES])
@pytest.mark.parametrize("path", ["default", "rules"])
def test_wire_shape(articles, path, text, snippet, speaker, not_in_content, relays):
    key = (path, text)
    a = articles.get(key) or articles.setdefault(key, _extractor(path).extract(text))
    hits = [q for q in a.quotes if snippet in q.text]
    assert hits, [(q.speaker and q.speaker.name, q.text) for q in a.quotes]
    q = hits[0]
    assert q.speaker is not None and speaker.lower() in q.speaker.name.lower(), (q.speaker, q.text)
    for word in not_in_content:
        assert word not in q.text, q.text
    assert set(relays) <= {r.name for r in q.reported_by}, q.reported_by
    assert q.type == "speech"
    # the quoted one is the speaker, not the words of a statement of the agency's, nor whom it was said to
    assert not any(q.speaker is not None and q.speaker.name == "KCNA" and "quoted" in (q.cue.text if q.cue else "")
                   for q in a.quotes), [(q.speaker, q.text) for q in a.quotes]
    assert q.addressee is None or speaker.lower() not in q.addressee.name.lower()
