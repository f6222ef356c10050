"""``python -m quotecraft.train COMMAND ...``: the one entry point for every model quotecraft ships.

    python -m quotecraft.train stanza --ud-dir ../shared/data/ud --stages all   # the embedded Stanza model
    python -m quotecraft.train attribution --data ../shared/data/polnear        # the learned attribution heads
    python -m quotecraft.train cuetype --data ../shared/data/polnear            # speech or not, for unknown cues
    python -m quotecraft.train entitytype                                       # person, place, ... of names (GUM)
    python -m quotecraft.train ranker                                           # pronoun antecedents (GUM coreference)
    python -m quotecraft.train tagparse features|train|install                   # the minilm tagger and parser
    python -m quotecraft.train fastparse --ud-dir ../shared/data/ud             # the fast path's tagger and parser
    python -m quotecraft.train evaluate --model minilm                          # UD scores and speed (MODEL_CARD)
    python -m quotecraft.train encoder                                          # the int8 ONNX encoder in the package
    python -m quotecraft.train finetune --data ../shared/data/polnear           # the encoder with the tagger and parser
    python -m quotecraft.train sweep bundle|run|unpack ...                       # fine-tuning runs side by side (a GPU)
    python -m quotecraft.train firstnames --census ... --consensus ...           # data/first_names.tsv

``python -m quotecraft.train COMMAND --help`` lists each command's options.
"""
from __future__ import annotations

import importlib
import sys
from typing import Optional

#: command -> the module under quotecraft.train whose ``main(argv)`` runs it
COMMANDS = {"stanza": "stanza", "attribution": "attribution", "cuetype": "cuetype", "tagparse": "tagparse",
            "fastparse": "fastparse", "entitytype": "entitytype", "evaluate": "evaluation",
            "ranker": "ranker", "encoder": "encoder_export", "finetune": "finetune", "sweep": "sweep",
            "firstnames": "firstnames"}


def main(argv: Optional[list[str]] = None) -> int:
    """Run one training or evaluation command; its options follow its name."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command not in COMMANDS:
        print(f"python -m quotecraft.train: unknown command {command!r}; known: {', '.join(COMMANDS)}", file=sys.stderr)
        return 2
    # each command imports its own heavy dependencies (torch, Stanza) only once chosen
    return importlib.import_module(f".{COMMANDS[command]}", __package__).main(rest)


if __name__ == "__main__":
    raise SystemExit(main())
