"""benchmarks/name_diff.py: the speaker names that differ between two runs' predictions."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _run(tmp_path: Path, old: list[dict], new: list[dict]) -> str:
    for name, rows in (("old.jsonl", old), ("new.jsonl", new)):
        (tmp_path / name).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return subprocess.run([sys.executable, str(REPO / "benchmarks" / "name_diff.py"), str(tmp_path / "old.jsonl"),
                           str(tmp_path / "new.jsonl")], capture_output=True, text=True, check=True).stdout


def _quote(start: int, name: str, mention: str = "she") -> dict:
    return {"text": "x", "content": [{"start": start, "end": start + 5}], "cue": {"start": 0, "end": 4},
            "speaker": {"name": name, "mention": {"start": 1, "end": 4, "text": mention}}}


def test_only_the_names_of_the_same_quote_are_compared(tmp_path: Path) -> None:
    old = [{"id": "a", "quotes": [_quote(10, "Mark Osei"), _quote(30, "Ann Lee")]}]
    new = [{"id": "a", "quotes": [_quote(10, "Dana Whitfield"), _quote(30, "Ann Lee"), _quote(50, "Bo Ames")]}]
    out = _run(tmp_path, old, new)
    assert "'Mark Osei' -> 'Dana Whitfield'" in out and "Ann Lee" not in out and "Bo Ames" not in out
    assert out.strip().endswith("1 speaker name(s) changed")
