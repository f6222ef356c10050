"""The README's Python snippets run, as written, as one plain top-level script (no __main__ guard,
although one snippet starts worker processes), and print what the README says they print."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
GUARD = 'if __name__ == "__main__":'


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```", README, flags=re.S | re.M)


def test_make_targets_named_in_readme_exist() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([\w-]+):", makefile, flags=re.M))
    named = set(re.findall(r"`?make (\w+)", README))
    assert named and named <= targets, named - targets


def test_images_in_readme_exist() -> None:
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README)
    assert images
    for image in images:
        path = REPO / image
        assert path.is_file() and path.read_bytes().startswith(b"\x89PNG"), image


def _run_script(script: Path, code: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    script.write_text(code, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p))
    proc = subprocess.run([sys.executable, str(script)], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr and "Warning" not in proc.stderr, proc.stderr[-3000:]
    return proc


@pytest.mark.model
@pytest.mark.slow
def test_python_snippets_run_as_a_script(tmp_path: Path) -> None:
    # A snippet with its own __main__ guard is a program of its own (the Dask one: Dask's worker
    # processes import the main script, so it cannot share one with code that runs at top level).
    snippets = [s for s in _blocks("python") if GUARD not in s]
    assert len(snippets) >= 2
    proc = _run_script(tmp_path / "readme_snippets.py", "\n".join(snippets))
    out = proc.stdout.splitlines()

    # the first snippet: eight quotes and the credits, as in the README's "prints" block
    shown = _blocks("text")[0].splitlines()
    assert len(shown) == 9
    assert out[8] == shown[8]  # the credits line
    speakers = [line.split("  ")[0] for line in shown[:8]]
    assert [line.split("  ")[0] for line in out[:8]] == speakers

    # the "More" snippet: ids kept by as_tuples, the extra cue and agency used
    assert out[9] == "ferry [('ferry company', ['Harbor Wire'])]"
    assert out[10] == "bridge [('Ana Ortiz', [])]"


@pytest.mark.model
@pytest.mark.slow
def test_guarded_snippets_run_as_their_own_programs(tmp_path: Path) -> None:
    programs = [s for s in _blocks("python") if GUARD in s]
    assert programs  # the Dask example of "At scale"
    for i, code in enumerate(programs):
        proc = _run_script(tmp_path / f"readme_program_{i}.py", code, cwd=tmp_path)  # it writes its output here
        assert proc.stdout.strip()
