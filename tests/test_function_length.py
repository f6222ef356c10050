"""No function of the package runs past 80 lines, its docstring aside (issue 23).

Read from the source, like tests/test_layers.py: a long function is split into helpers with one
job each, not waved through here.
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "quotecraft"
MAX_LINES = 80


def _docstring_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    body = node.body
    first = body[0] if body else None
    if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)):
        return first.end_lineno - first.lineno + 1  # type: ignore[operator]
    return 0


def _functions() -> list[tuple[str, int, str, int]]:
    """(file, line, name, length without the docstring) of every function and method, nested ones too."""
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1 - _docstring_lines(node)  # type: ignore[operator]
                out.append((rel, node.lineno, node.name, length))
    return out


def test_the_walker_sees_the_package() -> None:
    functions = _functions()
    # the package has some 540 functions: a wrong path or a broken walk must not pass as "none too long"
    assert len(functions) > 300, f"only {len(functions)} functions found under {PACKAGE}"
    names = {(f, n) for f, _, n, _ in functions}
    assert ("quotecraft/io/cli.py", "main") in names and ("quotecraft/train/tagparse.py", "cmd_train") in names


def test_no_function_over_80_lines() -> None:
    offenders = [f"{f}:{line} {name} ({n} lines)" for f, line, name, n in _functions() if n > MAX_LINES]
    assert not offenders, (f"functions over {MAX_LINES} lines (docstring aside); split them into helpers:\n  "
                           + "\n  ".join(offenders))
