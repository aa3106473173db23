"""The layering rules of docs/architecture.md, enforced."""

import ast
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "bridgework"


def test_import_contract_holds():
    """import-linter's contract (pyproject.toml): core never imports Django or an app."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=SRC.parent.parent,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "core is framework-free" in result.stdout


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_core_has_no_framework_import_even_lazily():
    """A second, independent check: no import of django anywhere under core/, even inside functions."""
    offenders = {
        str(path.relative_to(SRC)): sorted(
            m for m in _imported_modules(path) if m.split(".")[0] == "django"
        )
        for path in (SRC / "core").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_views_do_not_query_personal_models_directly():
    """Views read personal data through selectors, which take the viewer."""
    personal = {"Person", "Relationship", "Interaction", "PersonSkill", "PersonEmail"}
    offenders = []
    for views in SRC.glob("*/views.py"):
        text = views.read_text()
        for model in personal:
            if f"{model}.objects" in text:
                offenders.append(f"{views.relative_to(SRC)}: {model}.objects")
    assert offenders == []
