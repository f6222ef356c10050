"""The rule tokenizer (`quotecraft.nlp.tokenize`) against Stanza's, on gold UD English text.

    OMP_NUM_THREADS=1 python benchmarks/tokenizer.py [--parse]

Gold: the test sets of UD English EWT, GUM (non-NC) and PUD under ``--ud-dir``.  Each document's
raw text is rebuilt from FORM and ``SpaceAfter=No`` (checked against the ``# text`` lines):
sentences of a paragraph joined by a space, paragraphs (``# newpar``; PUD has none, so a
document is one paragraph) by a blank line.  Everything is matched by character offsets.

Systems: ``rules`` is ``tokenize(text)``; ``rules, keep_hyphens`` the same with
``keep_hyphens=True`` (letter compounds kept whole, spaCy's way, where UD splits them);
``stanza`` the embedded model's tokenizer, loaded by ``quotecraft.nlp.loading.load_stanza``.

* **token F1**: surface tokens, what a tokenizer gives before MWT expansion.  Gold: a multiword
  token ("don't", "Trump's", "gonna") is one token.  Stanza: its ``tokenize`` tokens.  The rule
  tokenizer splits clitics itself ("do" "n't"), so its clitics are joined back to the word they
  hang on first (a clitic or fused part right after a word, nothing between).  PUD writes a
  clitic after a curly apostrophe ("Clinton’s") as two tokens, not one multiword token, which
  counts against both systems.
* **word F1**: syntactic words, what the tagger and parser see.  Gold: the words of a multiword
  token get offsets by cutting its surface form at their lengths (all English ones concatenate).
  Stanza: ``tokenize,mwt``, cut the same way.  The rule tokenizer: its tokens as they are.
* **sent F1**: sentence ends (offset of the last character) within a paragraph; paragraph ends
  are left out, as every system gets them for free.  **sent F1 (all)** counts them too.
* **words/s**: gold words per second of CPU time (``time.process_time``), one torch thread, the
  systems run in turn on the same texts in one process, best of ``--rounds``.

Two more measures: sentence F1 on GUM by genre, and on texts whose paragraphs are joined by a
single newline instead of a blank line (the newline rule of the rule tokenizer at work).  Last,
where no gold exists: the first ``--limit`` PolNeAR dev articles, the agreement (F1) of the rule
tokenizer's tokens and sentence ends with Stanza's, and both speeds there; with ``--parse``, the
CPU time of a full fast-path parse (``load_stanza("fast")``) on them, tokenized by Stanza as
today or by the rules into a Stanza Document (`rule_document`).  The PolNeAR text is only read,
never copied.

Markdown goes to stdout.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

REPO = Path(__file__).resolve().parent.parent
DEFAULT_UD = REPO.parent / "shared" / "data" / "ud"
DEFAULT_POLNEAR = REPO.parent / "shared" / "data" / "polnear" / "dev" / "text"
TEST_SETS = {"EWT": "ewt/en_ewt-ud-test.conllu", "GUM": "gum/en_gum-nonnc-test.conllu",
             "PUD": "pud/en_pud-ud-test.conllu"}

Spans = set[tuple[int, int]]

# --------------------------------------------------------------------------- gold


@dataclass
class GoldDoc:
    """One document's rebuilt text and its gold units, all as character offsets."""

    name: str
    text: str = ""
    tokens: Spans = field(default_factory=set)
    words: Spans = field(default_factory=set)
    sent_ends: set[int] = field(default_factory=set)
    para_ends: set[int] = field(default_factory=set)
    n_words: int = 0
    text_mismatches: int = 0


def _conllu_blocks(path: Path) -> Iterable[tuple[list[str], list[list[str]]]]:
    """(comment lines, token rows) of each sentence of a CoNLL-U file."""
    comments: list[str] = []
    rows: list[list[str]] = []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if rows:
                yield comments, rows
            comments, rows = [], []
        elif line.startswith("#"):
            comments.append(line)
        else:
            rows.append(line.split("\t"))


def _surface(rows: list[list[str]]) -> list[tuple[str, bool, list[str]]]:
    """(surface form, space after, word forms) of each token; a multiword token is one."""
    out, i = [], 0
    while i < len(rows):
        ident = rows[i][0]
        if "." in ident:  # an empty node: no text
            i += 1
        elif "-" in ident:
            a, b = (int(x) for x in ident.split("-"))
            words = [r[1] for r in rows[i + 1:i + 2 + b - a]]
            out.append((rows[i][1], "SpaceAfter=No" not in rows[i][9], words))
            i += 2 + b - a
        else:
            out.append((rows[i][1], "SpaceAfter=No" not in rows[i][9], [rows[i][1]]))
            i += 1
    return out


def _word_spans(start: int, surface: str, words: list[str]) -> list[tuple[int, int]]:
    """Offsets of the words of a token: its surface cut at their lengths, or (where they do
    not spell it) the token's span once."""
    if len(words) == 1 or "".join(words).lower() != surface.lower():
        return [(start, start + len(surface))]
    spans, pos = [], start
    for w in words:
        spans.append((pos, pos + len(w)))
        pos += len(w)
    return spans


def _add_sentence(doc: GoldDoc, parts: list[str], comments: list[str], rows: list[list[str]]) -> bool:
    """Append one sentence to the document; returns its last token's SpaceAfter."""
    sent_start = sum(len(p) for p in parts)
    pos, space = sent_start, True
    for form, space, words in _surface(rows):
        doc.tokens.add((pos, pos + len(form)))
        doc.words.update(_word_spans(pos, form, words))
        doc.n_words += len(words)
        parts.append(form + (" " if space else ""))
        pos += len(form) + (1 if space else 0)
    end = pos - (1 if space else 0)
    doc.sent_ends.add(end)
    built = "".join(parts)[sent_start:end]
    given = next((c.split("=", 1)[1].strip() for c in comments if c.startswith("# text =")), built)
    doc.text_mismatches += built != given
    return space


def read_gold(path: Path, para_sep: str = "\n\n") -> list[GoldDoc]:
    """The documents of a CoNLL-U file, paragraphs joined by ``para_sep``."""
    docs: list[GoldDoc] = []
    parts: list[str] = []

    def close_paragraph() -> None:
        if parts and docs:
            text = "".join(parts).rstrip(" ")
            parts[:] = [text]
            docs[-1].para_ends.add(len(text))

    for comments, rows in _conllu_blocks(path):
        newdoc = next((c.split("=", 1)[1].strip() for c in comments if c.startswith("# newdoc")), None)
        if newdoc is not None or not docs:
            close_paragraph()
            if docs:
                docs[-1].text = parts[0] if parts else ""
            docs.append(GoldDoc(newdoc or path.stem))
            parts = []
        elif any(c.startswith("# newpar") for c in comments):
            close_paragraph()
            parts.append(para_sep)
        _add_sentence(docs[-1], parts, comments, rows)
    close_paragraph()
    docs[-1].text = parts[0] if parts else ""
    return docs


# --------------------------------------------------------------------------- systems

# what the rule tokenizer splits off a word that UD keeps in one surface token
_CLITICS = {"'s", "'m", "'d", "'ll", "'re", "'ve", "n't"}
_FUSED_TAILS = {("gon", "na"), ("wan", "na"), ("got", "ta"), ("out", "ta"), ("can", "not"), ("du", "n"),
                ("n", "no")}


def _joins(prev: str, tok: str, after: str) -> bool:
    low = tok.lower().replace("’", "'").replace("`", "'")
    if low == "'":  # "parents'": UD's possessive of a plural, where no letter follows
        return prev[-1:] in ("s", "S") and not after[:1].isalnum()
    return low in _CLITICS or (prev.lower(), low) in _FUSED_TAILS


def surface_tokens(text: str, sents: list[list[tuple[int, int]]]) -> list[list[tuple[int, int]]]:
    """The rule tokenizer's sentences with clitics and fused parts joined to their word."""
    out = []
    for sent in sents:
        merged: list[tuple[int, int]] = []
        for s, e in sent:
            if merged and merged[-1][1] == s and _joins(text[merged[-1][0]:merged[-1][1]], text[s:e], text[e:e + 1]):
                merged[-1] = (merged[-1][0], e)
            else:
                merged.append((s, e))
        out.append(merged)
    return out


def stanza_units(doc: Any, words: bool) -> list[list[tuple[int, int]]]:
    """Sentences of token spans (``words=False``) or word spans (cut as the gold is) of a
    Stanza Document."""
    out = []
    for sent in doc.sentences:
        spans: list[tuple[int, int]] = []
        for tok in sent.tokens:
            if words:
                spans.extend(_word_spans(tok.start_char, tok.text, [w.text for w in tok.words]))
            else:
                spans.append((tok.start_char, tok.end_char))
        out.append(spans)
    return out


# --------------------------------------------------------------------------- scores


def f1(gold: set, pred: set) -> float:
    hit = len(gold & pred)
    return 2 * hit / (len(gold) + len(pred)) if gold or pred else 1.0


class Tally:
    """Counts of hits, gold and predicted units, summed over documents."""

    def __init__(self) -> None:
        self.n: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])

    def add(self, key: str, gold: set, pred: set) -> None:
        c = self.n[key]
        c[0] += len(gold & pred)
        c[1] += len(gold)
        c[2] += len(pred)

    def f1(self, key: str) -> float:
        hit, g, p = self.n[key]
        return 2 * hit / (g + p) if g + p else 1.0


def score_doc(tally: Tally, doc: GoldDoc, toks: list[list[tuple[int, int]]],
              words: list[list[tuple[int, int]]]) -> None:
    tally.add("token", doc.tokens, {t for s in toks for t in s})
    tally.add("word", doc.words, {t for s in words for t in s})
    ends = {s[-1][1] for s in toks if s}
    tally.add("sent_all", doc.sent_ends, ends)
    tally.add("sent", doc.sent_ends - doc.para_ends, ends - doc.para_ends)


# --------------------------------------------------------------------------- running


def best_times(runs: dict[str, Callable[[], Any]], rounds: int) -> dict[str, float]:
    """Best CPU seconds of each run over ``rounds`` rounds, the runs interleaved so that a
    busy spell of the shared machine hits all of them alike."""
    best = {k: float("inf") for k in runs}
    for _ in range(rounds):
        for name, fn in runs.items():
            t0 = time.process_time()
            fn()
            best[name] = min(best[name], time.process_time() - t0)
    return best


def load_tokenizer() -> Any:
    """The embedded model's Stanza tokenizer and MWT expander, as the package loads them."""
    import torch

    torch.set_num_threads(1)
    from quotecraft.nlp.loading import load_stanza

    return load_stanza("embedded", processors="tokenize,mwt")


def run_stanza(nlp: Any, texts: list[str], processors: str) -> list[Any]:
    import torch
    from stanza import Document

    with torch.inference_mode():
        return nlp.bulk_process([Document([], text=t) for t in texts], processors=processors)


def evaluate(docs: list[GoldDoc], nlp: Any) -> dict[str, Tally]:
    """Token, word and sentence tallies of both systems over ``docs``."""
    from quotecraft.nlp.tokenize import tokenize

    tallies = {"rules": Tally(), "rules, keep_hyphens": Tally(), "stanza": Tally()}
    st_tok = run_stanza(nlp, [d.text for d in docs], "tokenize")
    st_mwt = run_stanza(nlp, [d.text for d in docs], "tokenize,mwt")
    for doc, a, b in zip(docs, st_tok, st_mwt):
        for name, keep in (("rules", False), ("rules, keep_hyphens", True)):
            sents = tokenize(doc.text, keep_hyphens=keep)
            score_doc(tallies[name], doc, surface_tokens(doc.text, sents), sents)
        score_doc(tallies["stanza"], doc, stanza_units(a, False), stanza_units(b, True))
    return tallies


def speeds(texts: list[str], n_words: int, nlp: Any, rounds: int) -> dict[str, float]:
    from quotecraft.nlp.tokenize import tokenize

    secs = best_times({
        "rules": lambda: [tokenize(t) for t in texts],
        "stanza": lambda: run_stanza(nlp, texts, "tokenize"),
        "stanza+mwt": lambda: run_stanza(nlp, texts, "tokenize,mwt"),
    }, rounds)
    return {k: n_words / v for k, v in secs.items()}


def _pct(x: float) -> str:
    return f"{100 * x:.2f}"


def ud_tables(ud_dir: Path, nlp: Any, rounds: int) -> None:
    print("| corpus | system | token F1 | word F1 | sent F1 | sent F1 (all) | words/s |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    gum_docs: list[GoldDoc] = []
    for corpus, rel in TEST_SETS.items():
        docs = read_gold(ud_dir / rel)
        if corpus == "GUM":
            gum_docs = docs
        bad = sum(d.text_mismatches for d in docs)
        if bad:
            print(f"<!-- {corpus}: {bad} sentences rebuilt unlike their # text line -->", file=sys.stderr)
        tallies = evaluate(docs, nlp)
        wps = speeds([d.text for d in docs], sum(d.n_words for d in docs), nlp, rounds)
        for system, t in tallies.items():
            speed = f"{wps[system]:,.0f}" if system in wps else "(as rules)"
            speed += f" ({wps['stanza+mwt']:,.0f} with mwt)" if system == "stanza" else ""
            print(f"| {corpus} | {system} | {_pct(t.f1('token'))} | {_pct(t.f1('word'))} | "
                  f"{_pct(t.f1('sent'))} | {_pct(t.f1('sent_all'))} | {speed} |")
    genre_table(gum_docs, nlp)
    newline_table(ud_dir, nlp)


def genre_table(docs: list[GoldDoc], nlp: Any) -> None:
    by_genre: dict[str, list[GoldDoc]] = defaultdict(list)
    for d in docs:
        by_genre[d.name.split("_")[1] if d.name.count("_") >= 2 else d.name].append(d)
    print("\nGUM test by genre, sentence F1 within paragraphs (rules / stanza):\n")
    print("| genre | sentences | rules | stanza |")
    print("| --- | ---: | ---: | ---: |")
    for genre, group in sorted(by_genre.items()):
        t = evaluate(group, nlp)
        n = sum(len(d.sent_ends) for d in group)
        print(f"| {genre} | {n} | {_pct(t['rules'].f1('sent'))} | {_pct(t['stanza'].f1('sent'))} |")


def newline_table(ud_dir: Path, nlp: Any) -> None:
    print("\nParagraphs joined by a single newline instead of a blank line, sentence F1 (all ends):\n")
    print("| corpus | rules | stanza |")
    print("| --- | ---: | ---: |")
    for corpus in ("EWT", "GUM"):
        t = evaluate(read_gold(ud_dir / TEST_SETS[corpus], para_sep="\n"), nlp)
        print(f"| {corpus} | {_pct(t['rules'].f1('sent_all'))} | {_pct(t['stanza'].f1('sent_all'))} |")


def polnear_table(polnear_dir: Path, limit: int, nlp: Any, rounds: int) -> None:
    """Agreement of the two tokenizers where no gold exists (the rules scored against Stanza)."""
    from quotecraft.nlp.tokenize import tokenize

    texts = [f.read_text(encoding="utf-8") for f in sorted(polnear_dir.glob("*.txt"))[:limit]]
    if not texts:
        print(f"\n(no PolNeAR texts under {polnear_dir})")
        return
    tally = Tally()
    for text, sdoc in zip(texts, run_stanza(nlp, texts, "tokenize")):
        ours = surface_tokens(text, tokenize(text))
        theirs = stanza_units(sdoc, False)
        tally.add("token", {t for s in theirs for t in s}, {t for s in ours for t in s})
        tally.add("sent", {s[-1][1] for s in theirs if s}, {s[-1][1] for s in ours if s})
    n_words = sum(len(t.split()) for t in texts)
    wps = speeds(texts, n_words, nlp, rounds)
    print(f"\nFirst {len(texts)} PolNeAR dev articles ({n_words:,} whitespace words): rules against Stanza\n")
    print("| token agreement F1 | sentence-end agreement F1 | rules words/s | stanza words/s | stanza+mwt words/s |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    print(f"| {_pct(tally.f1('token'))} | {_pct(tally.f1('sent'))} | {wps['rules']:,.0f} | "
          f"{wps['stanza']:,.0f} | {wps['stanza+mwt']:,.0f} |")


def rule_document(text: str) -> Any:
    """A Stanza Document of the rule tokenizer's sentences, offsets kept: what an integration
    into `quotecraft.nlp.fastparse.FastPipeline` would hand its tagger and parser."""
    from stanza import Document

    from quotecraft.nlp.tokenize import tokenize

    return Document([[{"id": k + 1, "text": text[s:e], "start_char": s, "end_char": e}
                      for k, (s, e) in enumerate(sent)] for sent in tokenize(text)], text=text)


def parse_table(polnear_dir: Path, limit: int, rounds: int) -> None:
    """CPU time of a full fast-path parse of the PolNeAR articles, tokenized either way."""
    import torch

    from quotecraft.nlp.loading import load_stanza

    texts = [f.read_text(encoding="utf-8") for f in sorted(polnear_dir.glob("*.txt"))[:limit]]
    fast = load_stanza("fast")
    fast(texts[0])  # warm-up
    with torch.inference_mode():
        secs = best_times({
            "Stanza tokenize,mwt, fast tagger and parser": lambda: [fast(t) for t in texts],
            "rules, Document, fast tagger and parser": lambda: [fast.annotate(rule_document(t)) for t in texts],
            "rules, Document only": lambda: [rule_document(t) for t in texts],
        }, rounds)
    print(f"\nFull fast-path parse of the same {len(texts)} articles, CPU seconds (best of {rounds}):\n")
    print("| run | CPU s |")
    print("| --- | ---: |")
    for name, sec in secs.items():
        print(f"| {name} | {sec:.2f} |")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ud-dir", type=Path, default=DEFAULT_UD)
    ap.add_argument("--polnear-dir", type=Path, default=DEFAULT_POLNEAR)
    ap.add_argument("--limit", type=int, default=20, help="PolNeAR articles (0: skip)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--parse", action="store_true", help="also time a full fast-path parse on PolNeAR")
    opts = ap.parse_args()
    if os.environ.get("OMP_NUM_THREADS") != "1":
        print("note: run with OMP_NUM_THREADS=1 for one-thread numbers", file=sys.stderr)
    sys.path.insert(0, str(REPO))
    nlp = load_tokenizer()
    run_stanza(nlp, ["A warm-up call. It loads everything."], "tokenize,mwt")
    ud_tables(opts.ud_dir, nlp, opts.rounds)
    if opts.limit:
        polnear_table(opts.polnear_dir, opts.limit, nlp, opts.rounds)
        if opts.parse:
            parse_table(opts.polnear_dir, opts.limit, opts.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
