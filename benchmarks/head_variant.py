"""benchmarks/polnear.py with the installed attribution head's decoding settings overridden, to
choose them on dev without writing a new head file:

    OMP_NUM_THREADS=1 python benchmarks/head_variant.py min_score=0.7 min_confidence=0.6 -- \\
        --split dev --attribution learned --out build/variant

Every ``KEY=VALUE`` before ``--`` replaces that key of the head's config as
`quotecraft.attribution.tagger.load_head` returns it (``min_score``: the content floor,
``min_confidence``: the attribution floor); what follows ``--`` goes to ``polnear.py``.
"""
from __future__ import annotations

import runpy
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    if "--" not in sys.argv:
        raise SystemExit(__doc__)
    cut = sys.argv.index("--")
    try:
        settings = {k: [float(x) for x in v.split(",")] if "," in v else float(v)
                    for k, v in (a.split("=", 1) for a in sys.argv[1:cut])}
    except ValueError:
        raise SystemExit(f"settings are KEY=NUMBER, got {sys.argv[1:cut]}") from None
    sys.path.insert(0, str(REPO))
    import quotecraft.attribution.tagger as tagger

    shipped = tagger.load_head

    def load_head(*args, **kwargs):  # type: ignore[no-untyped-def]
        head, config = shipped(*args, **kwargs)
        return head, dict(config, **settings)

    tagger.load_head = load_head  # the extractor imports it when it loads the head
    sys.argv = [str(REPO / "benchmarks" / "polnear.py"), *sys.argv[cut + 1:]]
    runpy.run_path(sys.argv[0], run_name="__main__")


if __name__ == "__main__":
    main()
