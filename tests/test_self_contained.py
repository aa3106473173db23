"""A fresh clone passes its own tests: nothing outside the repository, no
silent skips, no stopwatch.

* Tests read sample files only from ``tests/data`` through
  :func:`bridgework.testsupport.sample_path`; nothing in ``src/``, ``tests/``
  or ``bench/`` reaches for a folder beside the checkout.
* The only skip is :func:`bridgework.testsupport.require_component`, which CI
  turns into a failure (``BRIDGEWORK_REQUIRE_ALL=1``).
* Speed lives in ``bench/``: no test reads a clock to judge how fast code ran.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from bridgework.testsupport import SAMPLE_DATA

ROOT = Path(__file__).resolve().parent.parent
CODE_FOLDERS = [ROOT / "src", ROOT / "tests", ROOT / "bench"]
TESTSUPPORT = ROOT / "src" / "bridgework" / "testsupport.py"
TEXT_SUFFIXES = {".py", ".md", ".mjs", ".js", ".toml", ".cfg", ".ini", ".sh", ".html", ".txt"}
# Spelled in pieces so that this file does not match itself.
OUTSIDE = re.compile(
    r"\.\./"
    + r"shared"
    + r"|"
    + r"shared/"
    + r"data"
    + r"|"
    + r"\"shared\" / \"data\""
    + r"|parents\[\d+\]\.parent"
    + r"|/"
    + r"work/"
)


def _code_files(suffixes: set[str]) -> list[Path]:
    files = []
    for folder in CODE_FOLDERS:
        for path in folder.rglob("*"):
            if SAMPLE_DATA in path.parents or "node_modules" in path.parts:
                continue
            if path.is_file() and path.suffix in suffixes and "dist" not in path.parts:
                files.append(path)
    return files


def _python_tests() -> list[Path]:
    return [
        p
        for p in _code_files({".py"})
        if p.name.startswith(("test_", "conftest")) or "tests" in p.parts
    ]


def test_nothing_reaches_outside_the_repository():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _code_files(TEXT_SUFFIXES)
        if path != Path(__file__).resolve()  # the checker quotes what it looks for
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert offenders == []


def test_the_outside_pattern_catches_what_it_should():
    # The check above is only as good as its pattern.
    for line in (
        'DATA = Path(__file__).resolve().parents[5].parent / "shared" / "data"',
        "SAMPLES = ROOT / '.." + "/" + "sha" + "red/da" + "ta/ical'",
        "open('/" + "wo" + "rk/" + "sha" + "red/da" + "ta/x.csv')",
    ):
        assert OUTSIDE.search(line), line
    assert not OUTSIDE.search('sample_path("zachary-karate", "edges.csv")')


def test_sample_data_has_a_source_for_every_dataset():
    folders = sorted(p for p in SAMPLE_DATA.iterdir() if p.is_dir())
    assert folders, "tests/data holds the sample datasets"
    missing = [f.name for f in folders if not (f / "SOURCE.md").is_file()]
    assert missing == []
    for folder in folders:
        source = (folder / "SOURCE.md").read_text()
        assert re.search(r"(?i)licen[cs]e", source), f"{folder.name}: SOURCE.md names no licence"


def test_sample_data_stays_small():
    total = sum(p.stat().st_size for p in SAMPLE_DATA.rglob("*") if p.is_file())
    assert total < 15 * 1024 * 1024, f"tests/data holds {total / 1024 / 1024:.1f} MB"


def _skip_calls(tree: ast.AST) -> list[tuple[int, str]]:
    """Calls and decorators that skip or expect failure: pytest.skip, importorskip,
    xfail, mark.skip, mark.skipif, mark.xfail."""
    found = []
    for node in ast.walk(tree):
        # pytest's own (pytest.skip, pytest.mark.skipif, mark.xfail), not any
        # method that happens to be called skip (an import report's).
        if (
            isinstance(node, ast.Attribute)
            and node.attr in {"skip", "importorskip", "skipif", "xfail"}
            and ast.unparse(node.value) in {"pytest", "pytest.mark", "mark"}
        ):
            found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.ImportFrom) and node.module == "pytest":
            found.extend(
                (node.lineno, f"from pytest import {a.name}")
                for a in node.names
                if a.name in {"skip", "importorskip", "xfail"}
            )
    return found


def test_every_skip_goes_through_require_component():
    offenders = []
    for path in _code_files({".py"}):
        if path == TESTSUPPORT:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        offenders += [f"{path.relative_to(ROOT)}:{n}: {code}" for n, code in _skip_calls(tree)]
    assert offenders == []


def test_the_skip_finder_finds_skips():
    code = (
        "import pytest\nfrom pytest import importorskip\n"
        "@pytest.mark.skipif(True, reason='x')\ndef test_a():\n    pytest"
        ".skip('no')\n"
        "pw = pytest.importorskip('playwright')\n"
        "report.skip('outside_window')\n"
    )
    assert sorted(n for n, _ in _skip_calls(ast.parse(code))) == [2, 3, 5, 6]
    assert len(_skip_calls(ast.parse(TESTSUPPORT.read_text()))) == 1  # the one allowed skip


CLOCKS = {"perf_counter", "perf_counter_ns", "monotonic", "monotonic_ns", "process_time"}
BROWSER_CLOCK = "performance" + ".now()"  # spelled in pieces, as above


def test_no_test_reads_a_stopwatch():
    """Wall-clock targets belong in bench/, where they are rated against a baseline."""
    offenders = []
    for path in _python_tests():
        text = path.read_text()
        tree = ast.parse(text, filename=str(path))
        for node in ast.walk(tree):
            # Reading the clock is a call; handing ``time.monotonic`` to the code
            # under test (as a fake clock's fallback) is not.
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in CLOCKS
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")
        if BROWSER_CLOCK in text:
            offenders.append(f"{path.relative_to(ROOT)}: {BROWSER_CLOCK}")
    assert offenders == []


def _locked(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Package name -> [(version, environment marker)] of a uv/pip-compile lock file."""
    pins: dict[str, list[tuple[str, str]]] = {}
    for line in path.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==([^ ;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$", line)
        if match:
            name = re.sub(r"[-_.]+", "-", match[1]).lower()
            pins.setdefault(name, []).append((match[2], match[3] or ""))
    return pins


def test_lock_files_pin_every_declared_dependency_with_a_hash():
    import tomllib

    from packaging.markers import Marker
    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = _locked(ROOT / "requirements" / "runtime.txt")
    dev = _locked(ROOT / "requirements" / "dev.txt")
    for declared, lock in (
        (project["dependencies"], runtime),
        (project["dependencies"] + project["optional-dependencies"]["dev"], dev),
    ):
        for text in declared:
            requirement = Requirement(text)
            name = re.sub(r"[-_.]+", "-", requirement.name).lower()
            assert name in lock, f"{name} is declared in pyproject.toml but not locked: make lock"
            here = [v for v, marker in lock[name] if not marker or Marker(marker).evaluate()]
            assert here and all(requirement.specifier.contains(v) for v in here), (text, here)
    # The runtime lock is the dev lock's subset, version for version.
    assert all(dev.get(name) == pins for name, pins in runtime.items())
    for lock_file in ("runtime.txt", "dev.txt"):
        text = (ROOT / "requirements" / lock_file).read_text()
        assert text.count("==") <= text.count("--hash=sha256:"), f"{lock_file}: pins without hashes"


def test_tools_that_can_break_ci_are_pinned_exactly():
    import tomllib

    dev = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    exact = {re.split(r"[=<>!~ \[]", r)[0].lower() for r in dev["dev"] if "==" in r}
    assert {"ruff", "networkx", "playwright"} <= exact
