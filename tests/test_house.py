"""House rules a reader relies on, checked on the source."""

import ast
from pathlib import Path

import pytest

import coprod_analysis

SRC = Path(coprod_analysis.__file__).parent
MAX_LINES = 60


def long_functions(source: str) -> list[tuple[str, int, bool]]:
    """``(name, body lines, says why)`` for each function whose body (docstring aside) is long."""
    found = []
    lines = source.split("\n")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            documented = isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
            first = body[1] if documented and len(body) > 1 else body[0]
            start = first.lineno
            # a comment right above the first statement belongs to the body
            while start > node.lineno + 1 and lines[start - 2].strip().startswith("#"):
                start -= 1
            size = node.end_lineno - start + 1
            if size > MAX_LINES:
                says = any("# Long because" in line for line in lines[start - 1 : start + 2])
                found.append((node.name, size, says))
    return found


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("    x = 1\n" * 10, []),
        ("    x = 1\n" * 70, [("f", 70, False)]),
        ("    # Long because it is a test.\n" + "    x = 1\n" * 70, [("f", 71, True)]),
    ],
)
def test_long_function_finder(body, expected):
    assert long_functions('def f():\n    """Doc."""\n' + body) == expected


def test_no_function_over_60_lines_unless_it_says_why():
    unexplained = [
        f"{path.relative_to(SRC)}: {name} ({size} lines)"
        for path in sorted(SRC.rglob("*.py"))
        for name, size, says in long_functions(path.read_text("utf-8"))
        if not says
    ]
    assert unexplained == []
