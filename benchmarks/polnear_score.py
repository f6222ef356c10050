"""Read PolNeAR brat annotations and score attribution predictions against them.

Pure Python on purpose (no quotecraft import): the scorer must judge the
extractor, not share code with it, and it must keep working while the
extractor's internals change.

Everything is character offsets into the article text.  An attribution is a
content (one or more fragments), an optional cue and an optional source, each a
tuple of ``(start, end)`` fragments.  Gold and predictions use the same
`Attribution` class, so tests and other tools can build either by hand.

PolNeAR format facts this module relies on (checked on train + dev):

* ``{split}/text/{article}.txt`` and ``{split}/attributions/{article}_{annotator}.ann``
  where the annotator is a 4-hex-digit id; a few articles (agreement checks)
  have one .ann per annotator, and we take the first in sorted order.
* ``T`` lines: ``Source``, ``Cue``, ``Content`` spans; ``Attribution`` or
  ``Attribution-no-source`` trigger spans (a copy of the cue span, only there
  because brat events need a trigger); ``Discuss``/``Discard`` are annotator
  bookkeeping and are ignored.  Spans may be discontinuous (``10 20;25 40``).
* ``E`` lines link them: ``Attribution:T4 Content:T3 Cue:T2 Source:T1``.  A
  second content span appears as role ``Content2``.  One Source T may be shared
  by several E lines (``Blige sings X before asking Y``).
* There are no ``A`` (attribute) or ``R`` lines: nothing marks speech versus
  belief/intention, so `is_speech_cue` decides from the cue words.
* A T line whose covered text holds a newline spills onto the next line of the
  .ann file; such continuation lines are skipped (the offsets are on the T line).
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

Frag = tuple[int, int]
Frags = tuple[Frag, ...]

ROLES = ("source", "cue", "content")
#: a predicted and a gold span "overlap-match" from this character Jaccard up (inclusive)
JACCARD_THRESHOLD = 0.5

# Double marks always mark quotations.  Single ‘ ’ double as apostrophes
# (Clinton’s, voters’, ’90s), so only an opening ‘ not followed by a digit
# counts: a single-quoted stretch always starts with one.  ASCII ' is left out
# for the same reason (it is mostly an apostrophe).
_DOUBLE_MARKS = '"“”«»„'
_OPEN_SINGLE = re.compile(r"‘(?!\d)")


@dataclass(frozen=True)
class Attribution:
    """One attribution, gold or predicted; fragments are ``(start, end)`` offsets."""

    content: Frags
    source: Frags = ()
    cue: Frags = ()
    #: gold only: a statement (True) or a belief, intention, perception... (False)
    speech: bool = True
    #: brat event id for gold, quote index for predictions: only for messages
    id: str = ""

    def role(self, name: str) -> Frags:
        return {"source": self.source, "cue": self.cue, "content": self.content}[name]


@dataclass
class Document:
    """One article: its text and gold attributions, as read from PolNeAR."""

    id: str
    text: str
    gold: list[Attribution]
    annotator: str = ""
    #: things in the .ann file we could not use, for the report (never fatal)
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------
# fragments


def normalize(text: str, frags: Iterable[Frag]) -> Frags:
    """Trim whitespace off each fragment, drop empty ones, and merge fragments
    separated only by whitespace.

    Merging matters because annotators split a quote that runs over a paragraph
    break into two fragments (``575 842;843 1076``) while an extractor may give
    one span: the same characters should score the same.
    """
    trimmed: list[list[int]] = []
    for start, end in sorted(frags):
        start, end = max(0, start), min(len(text), end)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            trimmed.append([start, end])
    merged: list[list[int]] = []
    for frag in trimmed:
        if merged and (frag[0] <= merged[-1][1] or not text[merged[-1][1]:frag[0]].strip()):
            merged[-1][1] = max(merged[-1][1], frag[1])
        else:
            merged.append(frag)
    return tuple((s, e) for s, e in merged)


def _length(frags: Frags) -> int:
    return sum(e - s for s, e in frags)


def _intersection(a: Frags, b: Frags) -> int:
    """Characters shared by two sorted, non-overlapping fragment lists."""
    i = j = total = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if hi > lo:
            total += hi - lo
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


def jaccard(a: Frags, b: Frags) -> float:
    """Character Jaccard of two fragment lists (normalized: sorted, disjoint)."""
    inter = _intersection(a, b)
    union = _length(a) + _length(b) - inter
    return inter / union if union else 0.0


def overlaps(a: Frags, b: Frags) -> bool:
    return _intersection(a, b) > 0


def greedy_match(gold: Sequence[Frags], pred: Sequence[Frags], threshold: float = JACCARD_THRESHOLD) -> dict[int, int]:
    """One-to-one matching, best Jaccard first: ``{pred index: gold index}``.

    Greedy rather than optimal (Hungarian) because it is easy to explain and
    differs only in rare chains of overlaps; ties break by position so that
    runs are reproducible.
    """
    pairs = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if g[-1][1] <= p[0][0] or p[-1][1] <= g[0][0]:
                continue  # cheap reject: no overlap possible
            j = jaccard(g, p)
            if j >= threshold:
                pairs.append((-j, gi, pi))
    pairs.sort()
    used_gold: set[int] = set()
    matched: dict[int, int] = {}
    for _, gi, pi in pairs:
        if gi not in used_gold and pi not in matched:
            used_gold.add(gi)
            matched[pi] = gi
    return matched


def is_direct(text: str, content: Frags) -> bool:
    """Does this content hold a quotation mark (so is a direct or mixed quote)?"""
    chunk = " ".join(text[s:e] for s, e in content)
    return any(c in chunk for c in _DOUBLE_MARKS) or bool(_OPEN_SINGLE.search(chunk))


def frag_text(text: str, frags: Frags, limit: int = 0) -> str:
    """The text of some fragments, ``…`` between them; cut to `limit` chars if > 0."""
    out = " … ".join(text[s:e] for s, e in frags)
    out = re.sub(r"\s+", " ", out)
    return out if not limit or len(out) <= limit else out[: limit - 1] + "…"


# ---------------------------------------------------------------------------
# crude lemmas and the speech / non-speech split

_IRREGULAR = {
    "said": "say", "says": "say", "told": "tell", "wrote": "write", "written": "write",
    "thought": "think", "spoke": "speak", "spoken": "speak", "knew": "know", "known": "know",
    "saw": "see", "seen": "see", "felt": "feel", "found": "find", "heard": "hear", "meant": "mean",
    "held": "hold", "gave": "give", "given": "give", "took": "take", "taken": "take", "made": "make",
    "sang": "sing", "sung": "sing", "began": "begin", "begun": "begin", "chose": "choose",
    "chosen": "choose", "swore": "swear", "sworn": "swear", "forgot": "forget", "forgotten": "forget",
    "understood": "understand", "led": "lead", "read": "read", "sought": "seek", "taught": "teach",
    "brought": "bring", "kept": "keep", "left": "leave", "got": "get", "gotten": "get", "went": "go",
    "gone": "go", "hoped": "hope", "is": "be", "are": "be", "was": "be", "were": "be", "been": "be",
    "being": "be", "am": "be", "has": "have", "had": "have", "having": "have", "did": "do",
    "does": "do", "done": "do", "according": "according", "agreed": "agree", "disagreed": "disagree",
    "decreed": "decree", "freed": "free", "guaranteed": "guarantee", "died": "die", "lied": "lie", "dies": "die", "lies": "lie",
    "news": "news", "focused": "focus", "focuses": "focus", "focusing": "focus", "this": "this", "its": "its", "his": "his", "us": "us", "during": "during",
    "nothing": "nothing", "something": "something", "anything": "anything", "everything": "everything",
}
_VOWELS = set("aeiou")


def _restore_e(stem: str) -> str:
    """Put back the e that -ed/-ing swallowed (not-ed -> note, urg-ed -> urge)."""
    if len(stem) < 2:
        return stem
    last, prev = stem[-1], stem[-2]
    if (last in "uvzc" and not stem.endswith(("ic", "ac"))) or stem.endswith(("rg", "lg", "dg")):
        return stem + "e"
    if last == "s" and (prev not in _VOWELS or stem[-3:-1] in ("ai", "oi", "ea", "au", "ui")) and prev != "s":
        return stem + "e"  # endorse, collapse, praise, release
    # consonant + single a/i/o/u + consonant: stat-e, not-e, declin-e, decid-e;
    # not after e (offer, listen), not w/x/y (show, fix, play)
    if (
        len(stem) >= 3
        and last not in _VOWELS and last not in "wxy"
        and prev in "aiou"
        and stem[-3] not in _VOWELS
    ):
        return stem + "e"
    return stem


def lemma(word: str) -> str:
    """A crude English verb lemma: a table of irregulars, then -s/-ed/-ing rules.

    Good enough to group cue words (says/said/saying -> say) for the error
    breakdown and the speech-verb list; not a general lemmatizer.
    """
    w = word.lower().replace("’", "'")
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if not w.isalpha() or len(w) <= 3:
        return w
    if w.endswith(("ied", "ies")):
        return w[:-3] + "y"  # denied, replies
    if w.endswith("eed"):
        return w  # proceed, need: the -eed past tenses (agreed) are in the table
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            stem = w[: -len(suffix)]
            if len(stem) >= 4 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS | set("lsfz"):
                return stem[:-1]  # admitted -> admit, referring -> refer
            return _restore_e(stem)
    if w.endswith(("sses", "shes", "ches", "xes", "zes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")
# Words that never head a cue: auxiliaries, adverbs, negation, particles.
_NOT_HEAD = {
    "be", "have", "do", "will", "would", "could", "should", "can", "may", "might", "must", "shall",
    "also", "later", "then", "previously", "recently", "repeatedly", "once", "again", "already",
    "just", "still", "even", "further", "publicly", "privately", "often", "frequently", "first",
    "not", "n't", "never", "in", "to", "a", "an", "the", "of", "for", "on", "with", "that", "it",
    "s",  # the 's of "he’s said", split off by the tokenizer
}


def cue_lemma(cue_text: str) -> str:
    """The head word of a cue, lemmatized: the first speech word if any, else
    the first word that is not an auxiliary or particle.

    One word rather than the whole cue so that "has said", "said in a
    statement" and "did not say" all count under "say" in the breakdown.
    """
    words = [lemma(t) for t in _TOKEN.findall(cue_text.lower())]
    for w in words:
        if w in SPEECH_LEMMAS:
            return w
    for w in words:
        if w not in _NOT_HEAD and (w.isalpha() or w == ":"):
            return w
    return words[0] if words else "(empty)"


#: Lemmas of verbs and nouns of saying or writing.  A cue containing one of
#: these (or a colon, or "according to") makes its attribution a speech
#: attribution; everything else (think, believe, want, hope, expect, show,
#: find, see, support, oppose, endorse, plan, fear, ...) is non-speech.  Borderline
#: evaluative speech acts (criticize, accuse, praise, call ... a liar) count
#: as speech because they report something someone said.
SPEECH_LEMMAS = frozenset(
    """
    say tell write add ask answer reply respond note announce argue claim state declare explain
    tweet retweet post report comment remark mention speak talk testify insist assert maintain contend
    stress emphasize emphasise repeat reiterate recall recount describe warn urge promise pledge vow
    predict suggest propose deny admit acknowledge confirm concede reveal disclose joke quip shout yell
    scream chant exclaim whisper murmur mutter call criticize criticise accuse charge praise blame
    defend attack slam blast rip denounce decry condemn dismiss question inquire enquire demand
    request read publish point observe continue brag boast complain lament counter retort confess
    allege advise recommend caution threaten characterize characterise label dub brand summarize
    summarise according statement interview remark comment speech tweet letter email word quote
    testimony announcement message conference editorial memo reportedly cite express discuss criticism
    """.split()
)


def is_speech_cue(cue_text: str) -> bool:
    """Is this cue one of saying/writing (not believing, wanting, perceiving...)?

    PolNeAR has no attribute for this, so it is decided from the cue words:
    any word whose lemma is in `SPEECH_LEMMAS`, or a colon (``He said: "..."``,
    ``Romeo: "..."``) makes it speech.  A missing cue counts as non-speech.
    """
    if ":" in cue_text:
        return True
    return any(lemma(t) in SPEECH_LEMMAS for t in _TOKEN.findall(cue_text.lower()))


# ---------------------------------------------------------------------------
# reading brat

_ANN_NAME = re.compile(r"^(?P<article>.+)_(?P<annotator>[0-9a-f]{4})\.ann$")
_T_LINE = re.compile(r"^(T\d+)\t(\S+) ((?:\d+ \d+;)*\d+ \d+)(?:\t|$)")
_E_LINE = re.compile(r"^(E\d+)\t(.*)$")


def parse_ann(ann: str, text: str, doc_id: str = "") -> tuple[list[Attribution], list[str]]:
    """Gold attributions of one .ann file, and warnings about what was skipped."""
    spans: dict[str, tuple[str, Frags]] = {}
    events: list[tuple[str, list[tuple[str, str]]]] = []
    warnings: list[str] = []
    for line in ann.splitlines():
        if m := _T_LINE.match(line):
            frags = tuple(
                (int(a), int(b)) for a, b in (part.split() for part in m.group(3).split(";"))
            )
            spans[m.group(1)] = (m.group(2), frags)
        elif m := _E_LINE.match(line):
            args = [tuple(arg.split(":", 1)) for arg in m.group(2).split()]
            events.append((m.group(1), [a for a in args if len(a) == 2]))  # type: ignore[misc]
        # '#' notes, and continuation lines of T texts with newlines, are skipped
    used: set[str] = set()
    attributions: list[Attribution] = []
    for eid, args in events:
        roles: dict[str, list[Frag]] = defaultdict(list)
        for role, tid in args:
            # Content2 is a second content span of the same attribution
            base = re.sub(r"\d+$", "", role).lower()
            if base not in ROLES:
                continue  # the Attribution trigger: a copy of the cue
            if tid not in spans:
                warnings.append(f"{doc_id} {eid}: {role} points to missing {tid}")
                continue
            used.add(tid)
            roles[base].extend(spans[tid][1])
        content = normalize(text, roles["content"])
        if not content:
            warnings.append(f"{doc_id} {eid}: attribution without content, skipped")
            continue
        cue = normalize(text, roles["cue"])
        attributions.append(
            Attribution(
                content=content,
                source=normalize(text, roles["source"]),
                cue=cue,
                speech=is_speech_cue(" ".join(text[s:e] for s, e in cue)),
                id=eid,
            )
        )
    orphans = [t for t, (label, _) in spans.items() if label in ("Source", "Cue", "Content") and t not in used]
    if orphans:
        warnings.append(f"{doc_id}: {len(orphans)} role span(s) in no attribution, ignored")
    attributions.sort(key=lambda a: a.content)
    return attributions, warnings


def split_dir(data_dir: Path, split: str) -> Path:
    """``data_dir/split``, also accepting the repository layout ``data_dir/data/split``."""
    for candidate in (data_dir / split, data_dir / "data" / split):
        if (candidate / "text").is_dir():
            return candidate
    raise FileNotFoundError(f"no PolNeAR split {split!r} under {data_dir} (expected {split}/text/)")


def annotation_files(root: Path) -> dict[str, list[Path]]:
    """Each article's ``.ann`` files under ``root/attributions``, by article, sorted by name
    (the annotator's id): the first is the benchmark's gold, a second one another annotator's."""
    ann_by_article: dict[str, list[Path]] = defaultdict(list)
    for path in sorted((root / "attributions").glob("*.ann")):
        if m := _ANN_NAME.match(path.name):
            ann_by_article[m.group("article")].append(path)
    return ann_by_article


def read_split(data_dir: Path | str, split: str, limit: Optional[int] = None) -> list[Document]:
    """The articles of one split, sorted by id, with their gold attributions."""
    root = split_dir(Path(data_dir), split)
    ann_by_article = annotation_files(root)
    docs: list[Document] = []
    for txt in sorted((root / "text").glob("*.txt")):
        if limit is not None and len(docs) >= limit:
            break
        text = txt.read_text(encoding="utf-8")
        anns = ann_by_article.get(txt.stem, [])
        if not anns:
            docs.append(Document(txt.stem, text, [], warnings=[f"{txt.stem}: no .ann file"]))
            continue
        gold, warnings = parse_ann(anns[0].read_text(encoding="utf-8"), text, txt.stem)
        annotator = _ANN_NAME.match(anns[0].name).group("annotator")  # type: ignore[union-attr]
        docs.append(Document(txt.stem, text, gold, annotator, warnings))
    return docs


def attributions_from_article(article: dict[str, Any]) -> list[Attribution]:
    """Predictions from an ``Article.to_dict()``: speaker mention = source; the cue phrase,
    where there is one, = cue (PolNeAR's cues hold auxiliaries and adverbs: "has also said")."""
    out = []
    for i, q in enumerate(article.get("quotes", ())):
        content = tuple((s["start"], s["end"]) for s in q.get("content", ()))
        cue = q.get("cue_phrase") or q.get("cue")
        mention = (q.get("speaker") or {}).get("mention")
        out.append(
            Attribution(
                content=content,
                cue=((cue["start"], cue["end"]),) if cue else (),
                source=((mention["start"], mention["end"]),) if mention else (),
                id=str(i),
            )
        )
    return out


# ---------------------------------------------------------------------------
# scoring


def prf(tp: int, n_gold: int, n_pred: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "n_gold": n_gold, "n_pred": n_pred}


def _source_ok(gold: Attribution, pred: Attribution) -> bool:
    """The predicted source overlaps one of the gold source fragments.

    When gold has no source (``Attribution-no-source``) the prediction is right
    only if it gives none either.
    """
    if not gold.source:
        return not pred.source
    return bool(pred.source) and overlaps(gold.source, pred.source)


def _cue_ok(gold: Attribution, pred: Attribution) -> bool:
    if not gold.cue:
        return not pred.cue
    return bool(pred.cue) and overlaps(gold.cue, pred.cue)


def _role_fragments(attributions: Iterable[Attribution], role: str) -> list[Frag]:
    """Distinct contiguous fragments of one role.

    A set, because a Source span shared by two gold attributions is one
    mention, and an extractor giving the same speaker mention to two quotes
    predicts one span, not two.
    """
    return sorted({f for a in attributions for f in a.role(role)})


class _Counts:
    """Running totals for one view (all gold, or speech-only gold)."""

    def __init__(self) -> None:
        self.role: dict[str, Counter[str]] = {r: Counter() for r in ROLES}
        self.attr: Counter[str] = Counter()

    def add_doc(self, gold: list[Attribution], pred: list[Attribution], text: str) -> dict[int, int]:
        for role in ROLES:
            g, p = _role_fragments(gold, role), _role_fragments(pred, role)
            c = self.role[role]
            c["gold"] += len(g)
            c["pred"] += len(p)
            c["exact"] += len(set(g) & set(p))
            c["overlap"] += len(greedy_match([(f,) for f in g], [(f,) for f in p]))
        match = greedy_match([a.content for a in gold], [a.content for a in pred])
        self.attr["gold"] += len(gold)
        self.attr["pred"] += len(pred)
        self.attr["content"] += len(match)
        for pi, gi in match.items():
            self.attr["content+source"] += _source_ok(gold[gi], pred[pi])
            self.attr["content+cue"] += _cue_ok(gold[gi], pred[pi])
            self.attr["content+source+cue"] += _source_ok(gold[gi], pred[pi]) and _cue_ok(gold[gi], pred[pi])
        matched_gold = {gi: pi for pi, gi in match.items()}
        for gi, g in enumerate(gold):
            if is_direct(text, g.content):
                self.attr["direct"] += 1
                if gi in matched_gold:
                    self.attr["direct found"] += 1
                    self.attr["direct found+source"] += _source_ok(g, pred[matched_gold[gi]])
        return match

    def result(self) -> dict[str, Any]:
        roles = {
            role: {
                "exact": prf(c["exact"], c["gold"], c["pred"]),
                "overlap": prf(c["overlap"], c["gold"], c["pred"]),
            }
            for role, c in self.role.items()
        }
        a = self.attr
        attribution = {
            key: prf(a[key], a["gold"], a["pred"])
            for key in ("content", "content+source", "content+cue", "content+source+cue")
        }
        direct = {
            "total": a["direct"],
            "found": a["direct found"],
            "found+source": a["direct found+source"],
            "recall": a["direct found"] / a["direct"] if a["direct"] else 0.0,
            "recall+source": a["direct found+source"] / a["direct"] if a["direct"] else 0.0,
        }
        return {"roles": roles, "attribution": attribution, "direct_recall": direct}


_PRONOUNS = {
    "i", "me", "my", "we", "us", "our", "you", "your", "he", "him", "his", "she", "her", "it", "its",
    "they", "them", "their", "who", "whom", "whose", "which", "that", "this", "these", "those",
    "one", "himself", "herself", "themselves", "itself", "myself", "ourselves",
}
_TITLES = {
    "mr.", "mrs.", "ms.", "dr.", "sen.", "rep.", "gov.", "gen.", "rev.", "mr", "mrs", "ms", "dr",
    "sen", "rep", "gov", "president", "senator", "secretary", "governor", "mayor", "judge",
}
_DETERMINERS = {"the", "a", "an"}


def source_type(source_text: str) -> str:
    """pronoun / single-token name / multi-word name or org / other (common nouns)."""
    words = source_text.split()
    if not words:
        return "none in gold"
    if len(words) == 1 and words[0].lower() in _PRONOUNS:
        return "pronoun"
    content = [w for w in words if w.lower() not in _TITLES]
    named = [w for w in content if w.lower() not in _DETERMINERS and w[:1].isupper()]
    if len(content) <= 1 and named:
        return "single-token name"  # a surname, possibly after a title (Mr. Trump)
    if named:
        return "multi-word name/org"
    return "other"


def _edge_key(text: str, side: str, gold: Frags, pred: Frags) -> Optional[str]:
    """How a content boundary differs on one side: ``start -'that'`` means the
    prediction starts after gold and misses "that"; ``+`` means extra text."""
    if side == "start":
        g, p = gold[0][0], pred[0][0]
        lo, hi, sign = (p, g, "+") if p < g else (g, p, "-")
    else:
        g, p = gold[-1][1], pred[-1][1]
        lo, hi, sign = (g, p, "+") if p > g else (p, g, "-")
    if lo == hi:
        return None
    words = text[lo:hi].split()
    if not words:
        return f"{side} {sign}whitespace"
    if len(words) > 3:  # long differences are all unique; keep the telling edge
        words = (words[:2] + ["…"]) if side == "start" else (["…"] + words[-2:])
    return f"{side} {sign}'{' '.join(words).lower()}'"


class _Errors:
    """The developer-facing breakdown, over all gold attributions."""

    def __init__(self, samples: int) -> None:
        self.samples = samples
        self.cue_total: Counter[str] = Counter()
        self.cue_missed: Counter[str] = Counter()
        self.cue_speech: dict[str, bool] = {}
        self.speaker: dict[str, Counter[str]] = defaultdict(Counter)
        self.speaker_samples: list[dict[str, Any]] = []
        self.boundary: Counter[str] = Counter()
        self.boundary_edges: Counter[str] = Counter()
        self.fp: Counter[str] = Counter()
        self.fp_samples: list[dict[str, Any]] = []

    def add_doc(self, doc_id: str, text: str, gold: list[Attribution], pred: list[Attribution], match: dict[int, int]) -> None:
        matched_gold = set(match.values())
        for gi, g in enumerate(gold):
            key = cue_lemma(frag_text(text, g.cue)) if g.cue else "(no cue)"
            self.cue_total[key] += 1
            self.cue_speech[key] = g.speech
            if gi not in matched_gold:
                self.cue_missed[key] += 1
        for pi, gi in match.items():
            g, p = gold[gi], pred[pi]
            if not _source_ok(g, p):
                kind = source_type(frag_text(text, g.source))
                how = "no speaker predicted" if not p.source else "wrong span"
                if not g.source:
                    how = "speaker where gold has none"
                self.speaker[kind][how] += 1
                if len(self.speaker_samples) < self.samples:
                    self.speaker_samples.append({
                        "id": doc_id, "type": kind, "gold": frag_text(text, g.source),
                        "pred": frag_text(text, p.source) if p.source else None,
                        "content": frag_text(text, g.content, 80),
                    })
            if g.content != p.content:
                if _intersection(g.content, p.content) == _length(p.content):
                    self.boundary["too short (inside gold)"] += 1
                elif _intersection(g.content, p.content) == _length(g.content):
                    self.boundary["too long (covers gold)"] += 1
                else:
                    self.boundary["shifted"] += 1
                for side in ("start", "end"):
                    if key := _edge_key(text, side, g.content, p.content):
                        self.boundary_edges[key] += 1
            else:
                self.boundary["exact"] += 1
        for pi, p in enumerate(pred):
            if pi in match:
                continue
            weak = any(overlaps(g.content, p.content) for g in gold)
            self.fp["overlaps gold content (Jaccard < 0.5)" if weak else "no gold content overlap"] += 1
            if len(self.fp_samples) < self.samples:
                self.fp_samples.append({
                    "id": doc_id, "content": frag_text(text, p.content, 80),
                    "source": frag_text(text, p.source) if p.source else None, "weak_overlap": weak,
                })

    def result(self, top: int = 25) -> dict[str, Any]:
        missed = [
            {
                "lemma": k, "speech": self.cue_speech[k], "missed": m, "total": self.cue_total[k],
                "recall": 1 - m / self.cue_total[k],
            }
            for k, m in sorted(self.cue_missed.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        ]
        return {
            "missed_by_cue_lemma": missed,
            "wrong_speaker_by_gold_type": {k: dict(v) for k, v in sorted(self.speaker.items())},
            "wrong_speaker_samples": self.speaker_samples,
            "content_boundaries": dict(self.boundary),
            "content_boundary_edges": dict(self.boundary_edges.most_common(top)),
            "false_positives": {"total": sum(self.fp.values()), **dict(self.fp)},
            "false_positive_samples": self.fp_samples,
        }


def score(docs: Iterable[tuple[str, str, list[Attribution], list[Attribution]]], samples: int = 15) -> dict[str, Any]:
    """Score ``(id, text, gold, predicted)`` documents; returns a JSON-able dict.

    ``all``: against every gold attribution.  ``speech``: against speech gold
    only, where a prediction that matches a non-speech gold attribution (in the
    one-to-one content matching over all gold) is left out rather than counted
    as a false positive: an extractor that also finds "Trump believes X" has
    found a real attribution, just one this view does not ask for, and its
    precision should say whether its quotes are real, not whether they are
    statements.  Predictions that match nothing stay false positives there.
    ``strict``: against speech gold only, and every prediction counts: one that matches a
    belief, intention, perception or finding is a false positive (what a reader who asked for
    quotes gets).

    Fragments are normalized here (whitespace-trimmed, whitespace-only gaps
    merged) on both sides, so callers may pass raw offsets.
    """
    views = {"all": _Counts(), "speech": _Counts(), "strict": _Counts()}
    errors = _Errors(samples)
    n_docs = 0
    for doc_id, text, gold, pred in docs:
        n_docs += 1
        gold = [_normalized(text, a) for a in gold]
        pred = [p for p in (_normalized(text, a) for a in pred) if p.content]
        match = views["all"].add_doc(gold, pred, text)
        errors.add_doc(doc_id, text, gold, pred, match)
        nonspeech_matched = {pi for pi, gi in match.items() if not gold[gi].speech}
        views["speech"].add_doc(
            [g for g in gold if g.speech], [p for pi, p in enumerate(pred) if pi not in nonspeech_matched], text
        )
        views["strict"].add_doc([g for g in gold if g.speech], pred, text)
    out: dict[str, Any] = {name: view.result() for name, view in views.items()}
    out["errors"] = errors.result()
    out["documents"] = n_docs
    return out


def _normalized(text: str, a: Attribution) -> Attribution:
    return Attribution(
        content=normalize(text, a.content), source=normalize(text, a.source), cue=normalize(text, a.cue),
        speech=a.speech, id=a.id,
    )


# ---------------------------------------------------------------------------
# report


def _pct(x: float) -> str:
    return f"{100 * x:5.1f}"


def format_report(scores: dict[str, Any]) -> str:
    """A plain-text report of `score`'s result, for a terminal."""
    lines: list[str] = [f"PolNeAR: {scores['documents']} documents"]
    for view, title in (("all", "all attributions"), ("speech", "speech attributions only"),
                        ("strict", "strict speech view: speech gold, every prediction counts")):
        s = scores[view]
        lines += ["", f"== {title} ==", f"{'':32} {'P':>5} {'R':>5} {'F1':>5}   {'tp':>5} {'gold':>5} {'pred':>5}"]
        for key, m in s["attribution"].items():
            lines.append(f"{'attribution ' + key:32} {_pct(m['precision'])} {_pct(m['recall'])} {_pct(m['f1'])}   {m['tp']:5d} {m['n_gold']:5d} {m['n_pred']:5d}")
        for role, ms in s["roles"].items():
            for how, m in ms.items():
                lines.append(f"{role + ' ' + how:32} {_pct(m['precision'])} {_pct(m['recall'])} {_pct(m['f1'])}   {m['tp']:5d} {m['n_gold']:5d} {m['n_pred']:5d}")
        d = s["direct_recall"]
        lines.append(f"direct-quote recall: {_pct(d['recall'])} ({d['found']}/{d['total']}), with source {_pct(d['recall+source'])}")
    e = scores["errors"]
    lines += ["", "== errors (all attributions) ==", "missed attributions by cue lemma:", f"  {'lemma':28} {'speech':>6} {'missed':>6} {'total':>6} {'recall':>6}"]
    for row in e["missed_by_cue_lemma"]:
        lines.append(f"  {row['lemma'][:28]:28} {'yes' if row['speech'] else 'no':>6} {row['missed']:6d} {row['total']:6d} {_pct(row['recall']):>6}")
    lines.append("wrong speaker (content matched, source not), by gold source type:")
    for kind, hows in e["wrong_speaker_by_gold_type"].items():
        lines.append(f"  {kind:22} " + ", ".join(f"{how}: {n}" for how, n in hows.items()))
    lines.append("  samples: " + ("" if e["wrong_speaker_samples"] else "none"))
    for smp in e["wrong_speaker_samples"][:8]:
        lines.append(f"    [{smp['type']}] gold {smp['gold']!r} pred {smp['pred']!r}  ({smp['id']})")
    lines.append("content boundaries of matched attributions: " + ", ".join(f"{k}: {v}" for k, v in e["content_boundaries"].items()))
    for key, n in list(e["content_boundary_edges"].items())[:12]:
        lines.append(f"  {n:5d}  {key}")
    fp = e["false_positives"]
    lines.append("false positives: " + ", ".join(f"{k}: {v}" for k, v in fp.items()))
    for smp in e["false_positive_samples"][:8]:
        lines.append(f"    {smp['content']!r} source={smp['source']!r}  ({smp['id']})")
    return "\n".join(lines)
