"""GUM's coreference layer read from its CoNLL-U files (``../shared/data/ud/gum/``).

GUM marks every mention in the MISC column: ``Entity=(12-person-...`` opens one, ``12)`` closes it,
``(12-person-...)`` is a one-word mention.  `documents` turns a file into documents with their
text (rebuilt from the words and SpaceAfter=No, so offsets are exact), gold words and gold
mentions; the entity-type head (`quotecraft.train.entitytype`) and the pronoun benchmark
(``benchmarks/gum_coref.py``) both read it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator, Optional

GUM = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ud" / "gum"

Mention = tuple[int, int, str, str]  # start, end, entity id, entity type


def parse_entities(misc: str) -> list[tuple[str, str, str]]:
    """The Entity brackets of one word: ("open" | "close" | "single", entity id, type)."""
    field = next((f[len("Entity="):] for f in misc.split("|") if f.startswith("Entity=")), "")
    out, i = [], 0
    while i < len(field):
        if field[i] == "(":
            j = i + 1
            while j < len(field) and field[j] not in "()":
                j += 1
            parts = field[i + 1:j].split("-")
            single = j < len(field) and field[j] == ")"
            out.append(("single" if single else "open", parts[0], parts[1] if len(parts) > 1 else ""))
            i = j + 1 if single else j
        elif field[i].isdigit():
            j = i
            while j < len(field) and field[j].isdigit():
                j += 1
            out.append(("close", field[i:j], ""))
            i = j + 1
        else:
            i += 1
    return out


class _Reader:
    """State of one pass over a file: the document being read and its open mentions."""

    def __init__(self) -> None:
        self.doc: Optional[dict[str, Any]] = None
        self.text: list[str] = []
        self.pos = 0
        self.sent: list[dict[str, Any]] = []
        self.opened: dict[str, list[tuple[int, str]]] = {}

    def new_doc(self, doc_id: str) -> Optional[dict[str, Any]]:
        done = self.doc
        if done is not None:
            done["text"] = "".join(self.text)
        self.doc = {"id": doc_id, "genre": "", "sentences": [], "mentions": []}
        self.text, self.pos, self.opened = [], 0, {}
        return done

    def end_sentence(self) -> None:
        if self.sent and self.doc is not None:
            self.doc["sentences"].append(self.sent)
            # one space between sentences: the text is rebuilt, not the original layout
            self.text.append(" ")
            self.pos += 1
        self.sent = []

    def word(self, cols: list[str]) -> None:
        start, end = self.pos, self.pos + len(cols[1])
        self.text.append(cols[1])
        self.pos = end
        if "SpaceAfter=No" not in cols[9]:
            self.text.append(" ")
            self.pos += 1
        self.sent.append({"id": int(cols[0]), "text": cols[1], "lemma": cols[2], "upos": cols[3], "xpos": cols[4],
                          "feats": cols[5], "head": int(cols[6]), "deprel": cols[7], "start": start, "end": end})
        assert self.doc is not None
        for kind, eid, etype in parse_entities(cols[9]):
            if kind == "single":
                self.doc["mentions"].append((start, end, eid, etype))
            elif kind == "open":
                self.opened.setdefault(eid, []).append((start, etype))
            elif self.opened.get(eid):
                s, et = self.opened[eid].pop()
                self.doc["mentions"].append((s, end, eid, et))


def documents(path: Path) -> Iterator[dict[str, Any]]:
    """Each document of a GUM file: id, genre, text, sentences (word rows with offsets) and gold
    mentions (start, end, entity id, type)."""
    r = _Reader()
    for line in path.read_text(encoding="utf-8").splitlines() + ["# newdoc id = END"]:
        if line.startswith("# newdoc id"):
            done = r.new_doc(line.split("=", 1)[1].strip())
            if done is not None:
                yield done
            continue
        if line.startswith("# meta::genre") and r.doc is not None:
            r.doc["genre"] = line.split("=", 1)[1].strip()
        if not line.strip():
            r.end_sentence()
            continue
        cols = line.split("\t")
        if line.startswith("#") or len(cols) < 10 or "-" in cols[0] or "." in cols[0]:
            continue
        r.word(cols)


def split_path(split: str, gum_dir: Optional[Path] = None) -> Path:
    return (gum_dir or GUM) / f"en_gum-nonnc-{split}.conllu"
