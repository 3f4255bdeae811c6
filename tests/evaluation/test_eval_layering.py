"""evaluation/ imports only models/ from the project (the coder is passed in)."""

import ast
from pathlib import Path

import pytest

EVALUATION = Path(__file__).resolve().parents[2] / "evaluation"
FORBIDDEN = ("api", "extractor", "rules")


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


@pytest.mark.parametrize(
    "path",
    [pytest.param(p, id=str(p.relative_to(EVALUATION))) for p in sorted(EVALUATION.rglob("*.py"))],
)
def test_evaluation_imports_no_interface_or_rule_layer(path):
    bad = [m for m in imported_modules(path) if m.split(".")[0] in FORBIDDEN]
    assert bad == []


def test_importing_evaluation_does_not_load_matplotlib():
    import subprocess
    import sys

    code = "import sys, evaluation; print('matplotlib' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=EVALUATION.parent,
    )
    assert out.stdout.strip() == "False"
