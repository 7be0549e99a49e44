"""The house rules that keep the code in its rooms, read from the source (no Django needed).

Alongside ``test_imports_point_one_way`` (tests/core/test_platform.py):
- services are packages with one module per concept, none over ~400 lines;
- no import cycle between modules, and imports inside functions only with a comment saying why;
- every public service takes a keyword-only ``actor`` and no ``**kwargs`` catch-all.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("core", "partners", "scorecards", "governance", "srm")
APPS = ("partners", "scorecards", "governance")
SERVICE_MODULE_MAX_LINES = 400
# Apps whose services are still one module: the renovation takes them one by one.
PENDING: set[str] = set()


def _modules() -> Iterator[tuple[str, Path]]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            yield ".".join(parts), path


MODULES = dict(_modules())


def _service_modules(app: str) -> list[Path]:
    return sorted(p for p in (ROOT / app / "services").glob("*.py") if p.name != "__init__.py")


@pytest.mark.parametrize("app", APPS)
def test_services_are_a_package_of_small_concept_modules(app: str) -> None:
    if app in PENDING:
        pytest.skip(f"{app} is not renovated yet")
    assert not (ROOT / app / "services.py").exists(), "services.py became services/<concept>.py"
    modules = _service_modules(app)
    assert len(modules) >= 2
    too_long = {
        str(p.relative_to(ROOT)): n
        for p in modules
        if (n := len(p.read_text().splitlines())) > SERVICE_MODULE_MAX_LINES
    }
    assert too_long == {}


def _public_services(app: str) -> Iterator[tuple[str, ast.FunctionDef]]:
    for path in _service_modules(app):
        tree = ast.parse(path.read_text())
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                yield f"{path.relative_to(ROOT)}:{node.name}", node


@pytest.mark.parametrize("app", APPS)
def test_every_service_takes_a_keyword_only_actor_and_typed_parameters(app: str) -> None:
    if app in PENDING:
        pytest.skip(f"{app} is not renovated yet")
    without_actor = []
    catch_all = []
    for name, node in _public_services(app):
        if "actor" not in {a.arg for a in node.args.kwonlyargs}:
            without_actor.append(name)
        if node.args.kwarg is not None:
            catch_all.append(name)
    assert without_actor == []
    assert catch_all == []


def _imported_modules(module: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The project modules an import statement loads (``from a import b`` may load a.b)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        if node.level:
            base = module.split(".")
            is_package = MODULES.get(module, Path()).name == "__init__.py"
            base = base if is_package else base[:-1]
            base = base[: len(base) - (node.level - 1)]
            prefix = ".".join([*base, node.module] if node.module else base)
        else:
            prefix = node.module or ""
        names = [prefix, *(f"{prefix}.{alias.name}" for alias in node.names)]
    return [name for name in names if name in MODULES and name != module]


def test_no_import_cycle_between_modules() -> None:
    """Counting imports inside functions too: moving an import into a function hides a cycle
    from Python, not from the design."""
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text())
        graph[module] = {
            target
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for target in _imported_modules(module, node)
        }
        # Importing a.b.c runs a/__init__ and a/b/__init__ first.
        for target in list(graph[module]):
            parts = target.split(".")
            graph[module] |= {
                ".".join(parts[:i])
                for i in range(1, len(parts))
                if ".".join(parts[:i]) in MODULES and not module.startswith(".".join(parts[:i]))
            }
    cycles = [c for c in _cycles(graph) if not {m.split(".")[0] for m in c} & PENDING]
    assert cycles == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_imports_inside_functions_say_why() -> None:
    """An import placed inside a function dodges a cycle or a heavy load; a comment on the
    line or just above it must say which, so it is not mistaken for a habit."""
    silent = []
    for module, path in MODULES.items():
        if module.split(".")[0] in PENDING:
            continue
        lines = path.read_text().splitlines()
        tree = ast.parse("\n".join(lines))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    # The comment is on the line, or above the block of imports it is in.
                    line = node.lineno - 1
                    while line > 0 and lines[line - 1].strip().startswith(("import ", "from ")):
                        line -= 1
                    above = lines[line - 1].strip() if line > 0 else ""
                    if "#" not in lines[node.lineno - 1] and not above.startswith("#"):
                        silent.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert silent == []
