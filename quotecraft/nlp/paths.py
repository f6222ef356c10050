"""Where the shipped models live: one place for the runtime and the training code alike."""
from __future__ import annotations

from pathlib import Path

__all__ = ["SHORTHAND", "PACKAGE_MODEL_DIR", "MODEL_FILES", "MINILM_MODEL_DIR", "MINILM_FILE"]

#: the Stanza language shorthand of the embedded model
SHORTHAND = "en_quotecraft"
PACKAGE_MODEL_DIR = Path(__file__).resolve().parent.parent / "models" / "en"

#: file name of each processor's model inside the model directory
MODEL_FILES = {
    "tokenize": "tokenize.pt",
    "mwt": "mwt.pt",
    "lemma": "lemma.pt",
    "pos": "pos.pt",
    "depparse": "depparse.pt",
}

#: where ``model="minilm"`` finds its tagger/parser weights (`quotecraft.nlp.tagparse`; the rest
#: comes from the compact model)
MINILM_MODEL_DIR = PACKAGE_MODEL_DIR.parent / "en_minilm"
MINILM_FILE = "tagparse.pt"
