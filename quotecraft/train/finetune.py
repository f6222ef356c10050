"""Fine-tune the shared encoder on attribution and syntax together (issue 24).

    python -m quotecraft.train finetune --data ../shared/data/polnear --minutes 60   # a sitting; again to go on
    python -m quotecraft.train finetune --data ../shared/data/polnear --install [--epoch N]

One network is trained: the encoder (all six layers; ``--freeze-below K`` keeps the lower ones
as they are, the embeddings always stay) with the two heads that read its one pass in the
default model, warm-started from the package's (the encoder as the package holds it: since
issue 24 its fine-tuned layers, so a new run goes on from the shipped fine-tuning; MODEL_CARD.md
says how to start again from the pretrained weights):

* the attribution tagger (`quotecraft.attribution.tagger`, BIO tags of source, cue, content)
  on the windows of the brat articles of ``--data`` (PolNeAR, or a user's own: ``train/`` and
  ``dev/`` as `quotecraft.train.attribution` reads them), reading layers 3 and 6;
* the attribution-type head (`quotecraft.attribution.speech`: speech, belief, intention, ...)
  on the same windows' gold cues the cue lexicon types, as `quotecraft.train.cuetype` labels
  them, reading the tagger's features pooled over each cue (``--type-weight``; 0 leaves it as
  shipped, to be trained again after on fixed features);
* the minilm tagger and parser (`quotecraft.nlp.tagparse`) on the UD training documents (EWT
  and GUM non-NC), reading each word's layers 1-6 as the one pass gives them, so the fine-tuned
  encoder still serves the parse: a model tuned for attribution alone would need a second pass.

Each step adds the loss of a batch of attribution windows, of their cues' types weighted by
``--type-weight`` and, weighted by ``--ud-weight``, of UD windows; gradients are accumulated over ``--accumulate`` steps; the learning rate warms up
over the first ``--warmup`` of the planned ``--epochs`` and falls linearly to zero after.  The
run lives in ``--work-dir``: ``state.pt`` (weights, optimizer, position in the epoch, saved
every ``--save-minutes`` and when the sitting's ``--minutes`` are spent, so the next sitting
continues mid-epoch) and ``epoch-NN.pt`` after each epoch with its dev scores (exact span F1 of
the tagger on the dev articles, LAS of the parser on EWT dev) in ``history.json``.

``--device cuda`` trains on a GPU (the batches are built on the CPU and moved once);
``--dropout`` adds the encoder's own dropout while training and ``--layer-decay`` gives each layer
below the top a smaller learning rate; ``--windows FILE`` keeps the cut windows, so a machine
without the data trains from the file, and ``--bert FILE`` reads the pretrained tensors from a
safetensors file where the encoder package is not installed (`quotecraft.train.sweep` bundles
both for a lent GPU and runs several sittings side by side).

``--install`` writes the chosen epoch (default: the best mean span F1 on dev) into the package:
the int8 ONNX encoder (`quotecraft.train.encoder_export`, its manifest naming the fine-tuned
weights), the attribution head (one head; the shipped pair adds a second one trained on the new
features, ``python -m quotecraft.train attribution --install A B``), the tagger-parser and,
where the run trained it (``--type-weight`` above 0), the attribution-type head.  The entity-type
head (and the attribution-type head of a run without it) reads frozen features of the encoder
and is trained again after, with its own command (MODEL_CARD.md).
"""
from __future__ import annotations

import argparse
import copy
import json
import logging
import math
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from ..nlp.encoder import ids_batch

log = logging.getLogger("quotecraft.train.finetune")
REPO = Path(__file__).resolve().parent.parent.parent
DATA = REPO.parent / "shared" / "data"
ATT_LAYERS = (3, 6)
PARSE_LAYERS = (1, 2, 3, 4, 5, 6)


# --------------------------------------------------------------------------- data

def attribution_windows(data: Path, split: str, work: Path, limit: Optional[int] = None) -> list[tuple[Any, ...]]:
    """(ids, flags, labels, cues) of every non-empty window of the split's articles (cached by
    `quotecraft.train.attribution.prepare`, without features); ``cues``: `window_cues`."""
    from ..lexicon import Lexicon
    from .attribution import load_parts, prepare, read_split

    parts = prepare(data, split, work, with_features=False, limit=limit)
    docs = {name: (text, gold) for name, text, gold in read_split(data, split)}
    rows = load_parts(parts, {name: text for name, (text, _) in docs.items()})
    lex = Lexicon.default()
    return [(r["ids"][k], r["flags"][k], r["labels"][k], window_cues(r["offsets"][k], *docs[r["id"]], lex))
            for r in rows for k in range(len(r["ids"])) if len(r["ids"][k])]


def window_cues(offsets: Any, text: str, gold: list[dict[str, Any]], lex: Any) -> list[tuple[Any, int]]:
    """(piece indexes, index in `quotecraft.train.cuetype.LABELS`) of the window's gold cues
    whose words the lexicon types, labelled as the attribution-type head's own training labels
    them (`quotecraft.attribution.speech.cue_type`)."""
    import torch

    from ..attribution.speech import cue_pieces, cue_type
    from .cuetype import LABELS

    out = []
    for a in gold:
        cue = a.get("cue") or []
        told = cue_type(" ".join(text[s:e] for s, e in cue), lex) if cue else None
        if told is None or told.type not in LABELS:
            continue
        lo, hi = min(s for s, _ in cue), max(e for _, e in cue)
        idx = torch.nonzero(cue_pieces(offsets, (lo, hi))).flatten()
        if len(idx):
            out.append((idx, LABELS.index(told.type)))
    return out


@dataclass
class UDWindow:
    """One encoder window of a UD document and the sentences wholly inside it: piece ids, the
    (piece, word) overlaps that average pieces into words, each sentence's forms and gold rows."""

    ids: list[int]
    pieces: list[int]
    words: list[int]
    n_words: int
    sents: list[list[tuple[str, str, str, str, int, str]]] = field(default_factory=list)


def ud_windows(encoder: Any, ud_dir: Path, split: str) -> list[UDWindow]:
    """Windows of the split's documents packed as the one pass packs them; a sentence cut across
    two windows (a paragraph longer than a window) is left out."""
    from ..nlp.encoder import encoded_windows
    from ..nlp.shared import _overlaps
    from .ud import UD_SPLITS, read_conllu, read_documents

    out: list[UDWindow] = []
    for rel in UD_SPLITS[split]:
        gold = iter(read_conllu(ud_dir / rel))
        for doc in read_documents(ud_dir / rel):
            sents = [(s, next(gold)) for s in doc["sents"]]
            for win in encoded_windows(encoder, doc["text"], doc["paras"]):
                if not win.ids:
                    continue
                lo, hi = win.offsets[0][0], win.offsets[-1][1]
                inside = [(s, g) for s, g in sents if s[0][1] >= lo and s[-1][2] <= hi]
                words = [w for s, _ in inside for w in s]
                if not words:
                    continue
                pk, wk = _overlaps(win.offsets, [w[1] for w in words], [w[2] for w in words])
                out.append(UDWindow(win.ids, pk, wk, len(words), [g for _, g in inside]))
    return out


# --------------------------------------------------------------------------- the joint network

class Joint:
    """The encoder's weights (a `_Bert` whose tensors train), the attribution head, the parser."""

    def __init__(self, bert: Any, head: Any, head_config: dict[str, Any], parser: Any, vocab: dict[str, Any],
                 freeze_below: int = 0, typer: Any = None) -> None:
        self.bert, self.head, self.head_config = bert, head, head_config
        self.parser, self.vocab = parser, vocab
        #: the encoder's dropout while training (`_Bert`'s ``dropout``); scoring never drops
        self.dropout = 0.0
        #: the attribution-type head (`quotecraft.attribution.speech.TypeHead`'s linear layer)
        self.typer = typer if typer is not None else _typer(None, head_config.get("feat_dim", 768))
        self.trained = [k for k in bert.w if k.startswith("encoder.layer.") and int(k.split(".")[2]) >= freeze_below]
        for k, v in bert.w.items():
            v.requires_grad_(k in self.trained)

    def groups(self, lr: float, head_lr: float, parser_lr: float, layer_decay: float = 1.0) -> list[dict[str, Any]]:
        """Optimizer groups: each encoder layer at ``lr`` times ``layer_decay`` to the power of
        its distance from the top one (lower layers hold the general features both heads
        share, so they move less), no weight decay on biases and LayerNorms; the heads at their
        own rates (they start trained)."""
        top = self.bert.layers - 1
        out = []
        for i in sorted({int(k.split(".")[2]) for k in self.trained}):
            mine = [k for k in self.trained if int(k.split(".")[2]) == i]
            rate = lr * layer_decay ** (top - i)
            decay = [self.bert.w[k] for k in mine if k.endswith(".weight") and "LayerNorm" not in k]
            rest = [self.bert.w[k] for k in mine if not (k.endswith(".weight") and "LayerNorm" not in k)]
            out += [{"params": decay, "lr": rate, "weight_decay": 0.01, "base": rate},
                    {"params": rest, "lr": rate, "weight_decay": 0.0, "base": rate}]
        return out + [{"params": list(self.head.parameters()) + list(self.typer.parameters()), "lr": head_lr,
                       "weight_decay": 0.0, "base": head_lr},
                      {"params": list(self.parser.parameters()), "lr": parser_lr, "weight_decay": 0.0,
                       "base": parser_lr}]

    def to(self, device: Any) -> "Joint":
        """Every trained tensor on ``device`` (a GPU where one is lent)."""
        import torch

        with torch.no_grad():
            for k, v in self.bert.w.items():
                self.bert.w[k] = v.to(device).requires_grad_(k in self.trained)
        self.head.to(device)
        self.typer.to(device)
        self.parser.to(device)
        return self

    def parameters(self) -> list[Any]:
        return [self.bert.w[k] for k in self.trained] + list(self.head.parameters()) + \
            list(self.typer.parameters()) + list(self.parser.parameters())

    def state(self) -> dict[str, Any]:
        # on the CPU: a run trained on a GPU installs and resumes on a machine without one
        return {"encoder": {k: self.bert.w[k].detach().cpu().clone() for k in self.trained},
                "head": {k: v.detach().cpu().clone() for k, v in self.head.state_dict().items()},
                "typer": {k: v.detach().cpu().clone() for k, v in self.typer.state_dict().items()},
                "parser": {k: v.detach().cpu().clone() for k, v in self.parser.state_dict().items()}}

    def load(self, state: dict[str, Any]) -> None:
        import torch

        with torch.no_grad():
            for k, v in state["encoder"].items():
                self.bert.w[k].copy_(v.float())
        self.head.load_state_dict({k: v.float() for k, v in state["head"].items()})
        self.parser.load_state_dict({k: v.float() for k, v in state["parser"].items()})
        if "typer" in state:  # runs from before the type head joined keep the one they started from
            self.typer.load_state_dict({k: v.float() for k, v in state["typer"].items()})

    def attribution_loss(self, items: list[tuple[Any, ...]], loss_fn: Any) -> tuple[Any, Any]:
        """The tagger's loss over the windows' BIO tags and the type head's over their gold cues
        (zero where they hold none), from one encoder pass."""
        from .attribution import _batch

        ids, flags, _, labels, lengths = (t.to(self.device) if t is not None else None for t in _batch(
            [(it[0], it[1], None, it[2]) for it in items], 0, self.head_config.get("flags", 5)))
        feats = self.bert(*self._ids([it[0].tolist() for it in items]), ATT_LAYERS,
                          self.dropout)[:, 1:1 + ids.shape[1]]
        logits = self.head(feats, ids, flags, lengths)
        return loss_fn(logits.reshape(-1, 3), labels.reshape(-1)), self.type_loss(feats, items)

    @property
    def device(self) -> Any:
        return next(self.head.parameters()).device

    def _ids(self, rows: list[list[int]]) -> tuple[Any, Any]:
        ids, mask = ids_batch(rows)
        return ids.to(self.device), mask.to(self.device)

    def type_scores(self, feats: Any, items: list[tuple[Any, ...]]) -> tuple[Any, Any]:
        """The type head's logits for the windows' gold cues (features pooled over their pieces,
        as `quotecraft.attribution.speech.pool_cue` pools them) and their labels."""
        import torch

        pooled = [feats[b, idx.to(feats.device)].mean(dim=0) for b, it in enumerate(items) for idx, _ in it[3]]
        gold = [label for it in items for _, label in it[3]]
        if not pooled:
            return feats.new_zeros((0, self.typer.out_features)), torch.zeros(0, dtype=torch.long, device=feats.device)
        return self.typer(torch.stack(pooled)), torch.tensor(gold, device=feats.device)

    def type_loss(self, feats: Any, items: list[tuple[Any, ...]]) -> Any:
        from torch.nn import functional as F

        logits, gold = self.type_scores(feats, items)
        return F.cross_entropy(logits, gold) if len(gold) else feats.new_zeros(())

    def word_features(self, wins: list[UDWindow]) -> list[Any]:
        """Per sentence of the windows, its words' layers 1-6 averaged over their pieces (as
        `quotecraft.nlp.shared.encode_pass` reads them), with gradients."""
        import torch

        h = self.bert(*self._ids([w.ids for w in wins]), PARSE_LAYERS, self.dropout if self.parser.training else 0.0)
        out, dev = [], h.device
        for r, w in enumerate(wins):
            pk, wk = torch.tensor(w.pieces).to(dev), torch.tensor(w.words).to(dev)
            acc = torch.zeros(w.n_words, h.shape[-1], device=dev).index_add(0, wk, h[r, 1:][pk])
            counts = torch.zeros(w.n_words, 1, device=dev).index_add(0, wk, torch.ones(len(w.words), 1, device=dev))
            out.extend(torch.split(acc / counts.clamp(min=1), [len(s) for s in w.sents]))
        return out

    def parse_loss(self, wins: list[UDWindow], gen: Any) -> Any:
        from ..nlp.tagparse import batch_inputs
        from .tagparse import _gold, _loss

        sents = [s for w in wins for s in w.sents]
        feats = self.word_features(wins)
        f, words, chars, lens = batch_inputs([[x[0] for x in s] for s in sents], feats, self.vocab,
                                             word_dropout=0.25, gen=gen)
        return _loss(self.parser, self.parser(f, words, chars, lens), _gold(sents, self.vocab), lens)


def build_joint(freeze_below: int = 0, init: Optional[Path] = None, bert_file: Optional[Path] = None) -> Joint:
    """The joint network warm-started from a models folder laid out as the package's
    (``init``, default the package's own): its encoder (fine-tuned layers where it holds them,
    else the pretrained weights; ``bert_file``: `bert_from_file`), attribution head (the first
    of an ensemble), type head and tagger-parser."""
    import torch

    from ..attribution.tagger import build_head
    from ..nlp.encoder import read_bert
    from ..nlp.paths import MINILM_FILE
    from ..nlp.tagparse import load_tagparser

    folders = _init_folders(init)
    # the folder's fine-tuned layers, checked against its manifest; none there: the pretrained weights
    bert = bert_from_file(bert_file, folders["encoder"]) if bert_file else read_bert(folder=folders["encoder"])[0]
    saved = torch.load(folders["attribution"] / "head.pt", map_location="cpu", weights_only=False)
    member = saved["members"][0] if "members" in saved else saved
    config = {k: v for k, v in member["config"].items()}
    head = build_head(config)
    head.load_state_dict({k: v.float() for k, v in member["state"].items()})
    shipped, vocab = load_tagparser(folders["en_minilm"] / MINILM_FILE)
    parser = copy.deepcopy(shipped).float()  # the loader's cached network stays as shipped
    typer = _typer(folders["attribution"] / "cuetype.pt", config.get("feat_dim", 768))
    return Joint(bert, head, dict(saved["config"]), parser, vocab, freeze_below, typer)


def bert_from_file(path: Path, folder: Path) -> Any:
    """The encoder's weights from a safetensors file of the pretrained tensors (float16 will do:
    they are widened, and only the embeddings, which never train, keep the rounding) with the
    fine-tuned layers of ``folder`` laid over them: for a machine without the encoder package,
    such as a lent GPU, where its 90 MB zip cannot travel."""
    from ..nlp.encoder import _Bert, _read_safetensors, fine_tuned_layers

    tensors = {k.removeprefix("bert."): v for k, v in _read_safetensors(Path(path).read_bytes(), str(path)).items()}
    tensors.update(fine_tuned_layers(folder) or {})
    return _Bert(tensors, json.loads((folder / "config.json").read_text(encoding="utf-8")))


def _init_folders(init: Optional[Path]) -> dict[str, Path]:
    """The encoder, attribution and tagger-parser folders a run starts from: the package's, or
    those of ``init`` (``--init-from``: a models folder as the package lays it out, such as an
    earlier release's ``quotecraft/models``)."""
    from ..attribution.tagger import HEAD_PATH
    from ..nlp.encoder import ONNX_DIR
    from ..nlp.paths import MINILM_MODEL_DIR

    if init is None:
        return {"encoder": Path(ONNX_DIR), "attribution": HEAD_PATH.parent, "en_minilm": Path(MINILM_MODEL_DIR)}
    folders = {name: Path(init) / name for name in ("encoder", "attribution", "en_minilm")}
    missing = [str(p) for p in (folders["attribution"] / "head.pt", folders["en_minilm"]) if not p.exists()]
    if missing:
        raise SystemExit(f"--init-from {init}: missing {', '.join(missing)} (a models folder laid out as the "
                         "package's quotecraft/models)")
    return folders


def _typer(path: Optional[Path], dim: int) -> Any:
    """The attribution-type head as a trainable linear layer over ``dim`` pooled features (the
    tagger's layers): the shipped one where ``path`` holds it with the labels
    `quotecraft.train.cuetype` trains, else a fresh one."""
    import torch

    from ..attribution.speech import load_type_head
    from .cuetype import LABELS

    lin = torch.nn.Linear(dim, len(LABELS))
    saved = load_type_head(path) if path is not None else None
    if saved is not None and saved.labels == list(LABELS) and tuple(saved.weight.shape) == tuple(lin.weight.shape):
        with torch.no_grad():
            lin.weight.copy_(saved.weight)
            lin.bias.copy_(saved.bias)
    return lin


# --------------------------------------------------------------------------- dev scores

def dev_scores(joint: Joint, att_dev: list[tuple[Any, ...]], ud_dev: list[UDWindow]) -> dict[str, Any]:
    """Exact span F1 per role on the dev windows (argmax tags, as the head's own training
    selects), the type head's accuracy on their gold cues, and the parser's UPOS and LAS on the
    UD dev windows."""
    import torch

    from .attribution import evaluate_spans

    joint.head.eval()
    joint.parser.eval()
    with torch.inference_mode():
        rows, right, cues = [], 0, 0
        for lo in range(0, len(att_dev), 16):
            items = att_dev[lo:lo + 16]
            h = joint.bert(*joint._ids([it[0].tolist() for it in items]), ATT_LAYERS)
            rows.extend((it[0], it[1], h[b, 1:1 + len(it[0])], it[2]) for b, it in enumerate(items))
            logits, gold = joint.type_scores(h[:, 1:], items)
            right += int((logits.argmax(-1) == gold).sum()) if len(gold) else 0
            cues += len(gold)
        spans = evaluate_spans(joint.head, rows, joint.head_config["feat_dim"], joint.head_config.get("flags", 5))
        sents, feats = [], []
        for lo in range(0, len(ud_dev), 16):
            sents.extend(s for w in ud_dev[lo:lo + 16] for s in w.sents)
            feats.extend(joint.word_features(ud_dev[lo:lo + 16]))
    from .tagparse import evaluate

    # the type head on the dev cues of known words (its own training also scores "none" cues)
    types = round(100 * right / cues, 2) if cues else None
    if not sents:  # trained without UD (--ud-weight 0): nothing to score the parser on
        return {"spans": spans, "type_accuracy": types, "parse": {}}
    parse = evaluate(joint.parser, joint.vocab, sents, feats)
    return {"spans": spans, "type_accuracy": types, "parse": {k: parse[k] for k in ("UPOS", "LAS")}}


# --------------------------------------------------------------------------- training

@dataclass
class Plan:
    """What a sitting needs besides the network: the data, the optimizer and the position."""

    att: list[tuple[Any, ...]]
    ud: list[UDWindow]
    opt: Any
    total_steps: int
    warmup: int
    position: dict[str, Any] = field(default_factory=lambda: {"epoch": 0, "step": 0, "updates": 0})
    history: list[dict[str, Any]] = field(default_factory=list)


def epoch_batches(n_att: int, n_ud: int, batch: int, ud_batch: int, seed: int, epoch: int
                  ) -> list[tuple[list[int], list[int]]]:
    """The epoch's steps: attribution windows in batches of similar length (less padding), in
    a shuffled order, each with a batch of UD windows; the same seed and epoch give the same
    steps, so a sitting resumes in the middle of an epoch."""
    rng = random.Random(seed * 1000 + epoch)
    order = list(range(n_att))
    rng.shuffle(order)
    batches = []
    for lo in range(0, len(order), batch * 20):
        chunk = order[lo:lo + batch * 20]
        batches.extend(chunk[k:k + batch] for k in range(0, len(chunk), batch))
    rng.shuffle(batches)
    ud = list(range(n_ud))
    rng.shuffle(ud)
    steps = []
    for k, b in enumerate(batches):
        u = [ud[(k * ud_batch + j) % max(1, n_ud)] for j in range(ud_batch)] if n_ud else []
        steps.append((b, u))
    return steps


def _rate(plan: Plan) -> float:
    """Linear warm-up, then linear decay to zero at the planned last update."""
    u = plan.position["updates"]
    if u < plan.warmup:
        return (u + 1) / plan.warmup
    return max(0.0, (plan.total_steps - u) / max(1, plan.total_steps - plan.warmup))


def run_epoch(joint: Joint, plan: Plan, opts: argparse.Namespace, deadline: float, save: Any) -> bool:
    """Train from the saved position to the epoch's end or the deadline; True when the epoch ended."""
    import torch

    steps = epoch_batches(len(plan.att), len(plan.ud), opts.batch, opts.ud_batch, opts.seed, plan.position["epoch"])
    weights = torch.tensor(joint.head_config.get("class_weights", [1.0, 1.0, 1.0]), device=opts.device)
    loss_fn = torch.nn.CrossEntropyLoss(weight=weights, ignore_index=-100)
    gen = torch.Generator().manual_seed(opts.seed + plan.position["epoch"])  # word dropout is drawn on the CPU
    joint.head.train()
    joint.parser.train()
    last_save, t0, done, total = time.monotonic(), time.monotonic(), 0, [0.0, 0.0, 0.0]
    while plan.position["step"] < len(steps):
        if time.monotonic() > deadline:
            return False
        att_idx, ud_idx = steps[plan.position["step"]]
        la, lt = joint.attribution_loss([plan.att[i] for i in att_idx], loss_fn)
        lp = joint.parse_loss([plan.ud[i] for i in ud_idx], gen) if ud_idx else la.new_zeros(())
        ((la + opts.type_weight * lt + opts.ud_weight * lp) / opts.accumulate).backward()
        total[0] += float(la.detach())
        total[1] += float(lp.detach())
        total[2] += float(lt.detach())
        plan.position["step"] += 1
        done += 1
        if plan.position["step"] % opts.accumulate == 0 or plan.position["step"] == len(steps):
            _update(joint, plan)
        if done % 50 == 0:
            log.info("epoch %d step %d/%d: loss attribution %.4f type %.4f parse %.4f, %.2f steps/s",
                     plan.position["epoch"] + 1, plan.position["step"], len(steps), total[0] / done, total[2] / done,
                     total[1] / done, done / (time.monotonic() - t0))
        if time.monotonic() - last_save > opts.save_minutes * 60:
            save()
            last_save = time.monotonic()
    return True


def _update(joint: Joint, plan: Plan) -> None:
    import torch

    scale = _rate(plan)
    for g in plan.opt.param_groups:
        g["lr"] = g["base"] * scale
    torch.nn.utils.clip_grad_norm_(joint.parameters(), 1.0)
    plan.opt.step()
    plan.opt.zero_grad(set_to_none=True)
    plan.position["updates"] += 1


def sitting(opts: argparse.Namespace) -> Path:
    """Train within ``opts.minutes`` from where the last sitting stopped; the run's folder."""
    import torch

    torch.set_num_threads(opts.threads)
    torch.manual_seed(opts.seed)
    work = opts.work_dir
    work.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + opts.minutes * 60
    joint = build_joint(opts.freeze_below, opts.init_from, opts.bert).to(opts.device)
    joint.dropout = opts.dropout
    att, att_dev, ud, ud_dev = training_windows(opts)
    ud_dev = ud_dev[:opts.ud_dev_windows]
    log.info("%d attribution windows (dev %d), %d UD windows (dev %d)", len(att), len(att_dev), len(ud), len(ud_dev))
    steps = math.ceil(len(att) / opts.batch)
    total = math.ceil(steps / opts.accumulate) * opts.epochs
    opt = torch.optim.AdamW(joint.groups(opts.lr, opts.head_lr, opts.parser_lr, opts.layer_decay), lr=opts.lr)
    plan = Plan(att, ud, opt, total, max(1, int(opts.warmup * total)))
    state_path = work / "state.pt"
    if state_path.exists():
        saved = torch.load(state_path, map_location="cpu", weights_only=False)
        joint.load(saved["weights"])
        opt.load_state_dict(saved["optimizer"])
        plan.position, plan.history = saved["position"], saved["history"]
        log.info("resuming after %d epochs, step %d of the next", plan.position["epoch"], plan.position["step"])
    else:
        plan.history.append({"epoch": 0, "dev": dev_scores(joint, att_dev, ud_dev), "minutes": 0.0})
        log.info("before fine-tuning: dev %s", plan.history[-1]["dev"])

    def save() -> None:
        tmp = state_path.with_suffix(".tmp")
        torch.save({"weights": joint.state(), "optimizer": opt.state_dict(), "position": plan.position,
                    "history": plan.history, "options": {k: str(v) for k, v in vars(opts).items()}}, tmp)
        tmp.replace(state_path)  # a state is there whole or not at all
        (work / "history.json").write_text(json.dumps(plan.history, indent=1))

    while plan.position["epoch"] < opts.epochs and time.monotonic() < deadline:
        t0 = time.monotonic()
        ended = run_epoch(joint, plan, opts, deadline, save)
        plan.position["minutes"] = plan.position.get("minutes", 0.0) + (time.monotonic() - t0) / 60
        if not ended:
            save()
            log.info("time is up in epoch %d at step %d; run again to continue", plan.position["epoch"] + 1,
                     plan.position["step"])
            break
        plan.position["epoch"] += 1
        dev = dev_scores(joint, att_dev, ud_dev)
        plan.history.append({"epoch": plan.position["epoch"], "dev": dev,
                             "minutes": round(plan.position.pop("minutes"), 2)})
        plan.position["step"] = 0
        log.info("epoch %d: dev %s (%.1f min of training)", plan.position["epoch"], dev, plan.history[-1]["minutes"])
        torch.save({"weights": joint.state(), "head_config": joint.head_config, "dev": dev,
                    "epoch": plan.position["epoch"], "type_weight": opts.type_weight,
                    "init_from": str(opts.init_from) if opts.init_from else None},
                   work / f"epoch-{plan.position['epoch']:02d}.pt")
        save()
    return work


def training_windows(opts: argparse.Namespace) -> tuple[list[Any], list[Any], list[UDWindow], list[UDWindow]]:
    """The attribution windows of train and dev and the UD windows of train and dev: read from
    ``--windows`` where an earlier sitting wrote them (they depend on the data and the tokenizer
    only: a machine without the data, such as a lent GPU, trains from the file), else cut and
    written there."""
    import torch

    if opts.windows is not None and opts.windows.is_file():
        saved = torch.load(opts.windows, map_location="cpu", weights_only=False)
        log.info("windows from %s (cut from %s)", opts.windows, saved["from"])
        ud = saved["ud"] if opts.ud_weight > 0 else []
        return saved["att"], saved["att_dev"], ud, saved["ud_dev"] if ud else []
    att = attribution_windows(opts.data, "train", opts.work_dir / "pieces", opts.limit)
    att_dev = attribution_windows(opts.data, "dev", opts.work_dir / "pieces", opts.limit)
    ud = ud_windows(_tokenizer_encoder(), opts.ud_dir, "train") if opts.ud_weight > 0 else []
    ud_dev = ud_windows(_tokenizer_encoder(), opts.ud_dir, "dev") if ud else []
    if opts.windows is not None:
        opts.windows.parent.mkdir(parents=True, exist_ok=True)
        torch.save({"att": att, "att_dev": att_dev, "ud": ud, "ud_dev": ud_dev,
                    "from": {"data": str(opts.data), "ud_dir": str(opts.ud_dir), "limit": opts.limit}}, opts.windows)
    return att, att_dev, ud, ud_dev


def _tokenizer_encoder() -> Any:
    """The package's encoder, for its tokenizer only (windows are cut from word pieces)."""
    from ..nlp.encoder import load_encoder

    return load_encoder()


def _arguments() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m quotecraft.train finetune", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA / "polnear", help="brat articles: train/ and dev/ (default: %(default)s)")
    ap.add_argument("--ud-dir", type=Path, default=DATA / "ud", help="UD treebanks (default: %(default)s)")
    ap.add_argument("--work-dir", type=Path, default=REPO / "build" / "finetune", help="the run (default: %(default)s)")
    ap.add_argument("--minutes", type=float, default=60.0, help="wall time of this sitting")
    ap.add_argument("--epochs", type=int, default=5, help="epochs planned in all (the schedule's length)")
    ap.add_argument("--batch", type=int, default=8, help="attribution windows per step")
    ap.add_argument("--ud-batch", type=int, default=4, help="UD windows per step")
    ap.add_argument("--ud-weight", type=float, default=0.5, help="weight of the parser's loss (0: attribution only)")
    ap.add_argument("--type-weight", type=float, default=0.2,
                    help="weight of the attribution-type head's loss on the gold cues (0: the type head stays as "
                         "shipped and is trained again after, on fixed features)")
    ap.add_argument("--accumulate", type=int, default=2, help="steps whose gradients make one update")
    ap.add_argument("--lr", type=float, default=8e-5, help="the encoder's peak learning rate")
    ap.add_argument("--head-lr", type=float, default=3e-4)
    ap.add_argument("--parser-lr", type=float, default=2e-4)
    ap.add_argument("--warmup", type=float, default=0.06, help="share of the updates spent warming up")
    ap.add_argument("--freeze-below", type=int, default=0, choices=range(6), metavar="K",
                    help="keep encoder layers below this one (0-5) as they are")
    ap.add_argument("--layer-decay", type=float, default=1.0,
                    help="each encoder layer's learning rate is this times the one above it's (1: the same for all)")
    ap.add_argument("--dropout", type=float, default=0.0,
                    help="the encoder's dropout while training (BERT's own was 0.1; 0: none)")
    ap.add_argument("--device", default="cpu", help="where to train: cpu, or cuda on a machine with a GPU")
    ap.add_argument("--windows", type=Path, default=None, metavar="FILE",
                    help="the cut training windows: read from FILE if it exists, else cut and written to it")
    ap.add_argument("--bert", type=Path, default=None, metavar="FILE",
                    help="the encoder's pretrained tensors as a safetensors file, instead of the encoder package's "
                         "zip (a machine without the package)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--save-minutes", type=float, default=10.0)
    ap.add_argument("--ud-dev-windows", type=int, default=400, help="UD dev windows scored each epoch")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles of each split (a smoke run)")
    ap.add_argument("--init-from", type=Path, default=None, metavar="MODELS",
                    help="start from this models folder (laid out as quotecraft/models; an encoder folder without "
                         "finetuned.safetensors means the pretrained weights) instead of the package's")
    ap.add_argument("--install", action="store_true", help="install an epoch into the package instead of training")
    ap.add_argument("--epoch", type=int, default=None, help="with --install: this epoch (default: best on dev)")
    return ap


def _check(ap: argparse.ArgumentParser, opts: argparse.Namespace) -> None:
    """Clear errors for options and data that would fail deep inside a sitting."""
    for name in ("epochs", "batch", "accumulate", "threads"):
        if getattr(opts, name) < 1:
            ap.error(f"--{name.replace('_', '-')} must be at least 1")
    if opts.ud_batch < 0 or opts.ud_weight < 0 or opts.type_weight < 0 or opts.minutes <= 0:
        ap.error("--ud-batch, --ud-weight and --type-weight must not be negative, --minutes must be positive")
    if not 0 < opts.layer_decay <= 1 or not 0 <= opts.dropout < 1:
        ap.error("--layer-decay must be in (0, 1], --dropout in [0, 1)")
    if opts.bert is not None and not opts.bert.is_file():
        ap.error(f"--bert {opts.bert}: no such file")
    if opts.device != "cpu":
        import torch

        if opts.device.startswith("cuda") and not torch.cuda.is_available():
            ap.error(f"--device {opts.device}: torch sees no GPU here")
    if opts.install or (opts.windows is not None and opts.windows.is_file()):
        return
    from .ud import UD_SPLITS

    missing = [str(opts.ud_dir / rel) for split in ("train", "dev") for rel in UD_SPLITS[split]
               if not (opts.ud_dir / rel).is_file()]
    if missing and opts.ud_weight > 0:
        ap.error(f"UD treebanks missing: {', '.join(missing)} (--ud-dir; --ud-weight 0 trains attribution alone, "
                 "which leaves the parser's features behind)")


def main(argv: Optional[list[str]] = None) -> int:
    ap = _arguments()
    opts = ap.parse_args(argv)
    _check(ap, opts)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stdout)
    if opts.install:
        return install(opts)
    sitting(opts)
    return 0



def install(opts: argparse.Namespace) -> int:
    """Write the chosen epoch into the package: the int8 encoder with its fine-tuned layers, the
    attribution head, the tagger-parser."""
    import torch

    from ..attribution.tagger import HEAD_PATH
    from ..nlp.paths import MINILM_FILE, MINILM_MODEL_DIR
    from .encoder_export import DEFAULT_CALIBRATION, DEFAULT_OUT, build
    from .tagparse import ship_state

    work = opts.work_dir
    try:
        history = json.loads((work / "history.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise SystemExit(f"no run to install in {work} ({e}); train first") from None
    done = [h for h in history if h["epoch"] > 0 and (work / f"epoch-{h['epoch']:02d}.pt").exists()]
    if not done:
        raise SystemExit(f"{work} holds no finished epoch yet; train on")
    pick = opts.epoch if opts.epoch is not None else max(done, key=lambda h: h["dev"]["spans"]["mean"])["epoch"]
    path = work / f"epoch-{pick:02d}.pt"
    if not path.exists():
        raise SystemExit(f"no {path}; finished epochs: {', '.join(str(h['epoch']) for h in done)}")
    ckpt = torch.load(path, map_location="cpu", weights_only=False)
    # before anything is replaced: the network the run started from, whose weights it then loads
    init = opts.init_from or (Path(ckpt["init_from"]) if ckpt.get("init_from") else None)
    joint = build_joint(init=init)
    joint.load(ckpt["weights"])
    record = {"epoch": pick, "data": opts.data.name, "dev": ckpt["dev"]}
    manifest = build(DEFAULT_OUT, calibration=[DEFAULT_CALIBRATION], fine_tuned={"tensors": ckpt["weights"]["encoder"],
                                                                          "record": record})
    torch.save({"config": dict(ckpt["head_config"]), "state": {k: v.half() for k, v in joint.head.state_dict().items()}},
               HEAD_PATH)
    meta = {"fine_tuned": dict(record, sha256=manifest["fine_tuned"]["sha256"])}
    torch.save(ship_state(joint.parser, joint.vocab, meta), Path(MINILM_MODEL_DIR) / MINILM_FILE)
    log.info("installed epoch %d (dev %s): %s, %s, %s", pick, ckpt["dev"], DEFAULT_OUT, HEAD_PATH,
             Path(MINILM_MODEL_DIR) / MINILM_FILE)
    if ckpt.get("type_weight", 0.0) > 0 and "typer" in ckpt["weights"]:
        _install_typer(joint, record)
        log.info("now train the entity-type head again: python -m quotecraft.train entitytype")
    else:
        log.info("now train the heads that read the encoder's features again: python -m quotecraft.train cuetype "
                 "--data %s; python -m quotecraft.train entitytype", opts.data)
    return 0


def _install_typer(joint: Joint, record: dict[str, Any]) -> None:
    """The attribution-type head trained in the joint loss, in `quotecraft.train.cuetype`'s
    format: never speech for an unknown cue, and ``none`` at 0.99 (the joint loss has no "none"
    cues, so the floor that drops next to nothing)."""
    from ..attribution.speech import TYPE_HEAD_PATH
    from .cuetype import save_type_head

    save_type_head(TYPE_HEAD_PATH, joint.typer.weight.detach(), joint.typer.bias.detach(), 0.99,
                   {"joint": record, "dev_accuracy_known_cues": record["dev"].get("type_accuracy")})
    log.info("installed the type head of the joint loss: %s", TYPE_HEAD_PATH)


if __name__ == "__main__":
    sys.exit(main())
