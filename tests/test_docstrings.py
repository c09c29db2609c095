"""Every docstring example runs as pasted: in a fresh namespace, with its own imports."""

import doctest
import importlib
import pkgutil

import pytest

import coprod_analysis


def examples() -> list[doctest.DocTest]:
    found = []
    for info in pkgutil.walk_packages(coprod_analysis.__path__, "coprod_analysis."):
        module = importlib.import_module(info.name)
        for test in doctest.DocTestFinder(exclude_empty=True).find(module, info.name, globs={}):
            if any(not e.options.get(doctest.SKIP) for e in test.examples):
                found.append(test)
    return found


@pytest.mark.parametrize("test", examples(), ids=lambda t: t.name)
def test_example_runs_with_only_its_own_imports(test):
    test.globs = {}  # not the module's globals, as doctest gives: a REPL has none of them
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    out: list[str] = []
    runner.run(test, out=out.append)
    assert runner.failures == 0, "".join(out)[-1500:]
