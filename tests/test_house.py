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


# One word per idea: a list of theme ids is ``theme_ids``, the themes table is ``tags``, and
# ``themes`` is left to the package and to ``Codebook.themes`` (the Theme objects).
def misnamed_parameters(source: str) -> list[str]:
    """Functions with a ``themes`` parameter, or a ``model`` parameter that is not a name."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            args = node.args
            for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
                hint = ast.unparse(arg.annotation) if arg.annotation else ""
                if arg.arg == "themes" or (arg.arg == "model" and hint and "str" not in hint):
                    found.append(f"{node.name}({arg.arg}: {hint or '?'})")
    return found


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def f(tags, *, theme_ids: list[str]): ...", []),
        ("def f(themes: list[str]): ...", ["f(themes: list[str])"]),
        ("def f(*, themes=None): ...", ["f(themes: ?)"]),
        ("def f(*, model: str | None = None): ...", []),
        ("def f(model: BERTopic): ...", ["f(model: BERTopic)"]),
    ],
)
def test_misnamed_parameter_finder(source, expected):
    assert misnamed_parameters(source) == expected


def test_one_word_per_idea_in_parameters():
    found = [
        f"{path.relative_to(SRC)}: {name}"
        for path in sorted(SRC.rglob("*.py"))
        for name in misnamed_parameters(path.read_text("utf-8"))
    ]
    assert found == []


@pytest.mark.parametrize("suffix", ["_chart", "_heatmap", "_bars", "_dumbbell", "_multiples"])
def test_charts_are_named_for_what_they_show_not_their_type(suffix):
    from coprod_analysis import charts

    assert [name for name in charts.__all__ if name.endswith(suffix)] == []
