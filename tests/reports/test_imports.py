"""The reports app has no import cycle, not even one hidden in a function-local import,
and does not import the project's Celery module (it sends tasks through Celery's
current app)."""

import ast
from pathlib import Path

import reports

ROOT = Path(reports.__file__).parent


def module_of(path: Path) -> str:
    parts = ["reports", *path.relative_to(ROOT).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, known: set[str]) -> set[str]:
    """Every module of the app ``path`` imports, at its top level or inside a function."""
    module, found = module_of(path), set()
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
            found.update(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names)
    return found


def test_no_import_cycle_within_reports_and_no_project_celery_import():
    files = [p for p in ROOT.rglob("*.py") if "migrations" not in p.parts]
    known = {module_of(p) for p in files}
    graph = {module_of(p): imports_of(p, known) & known for p in files}

    def reaches(start: str, target: str, seen: set[str]) -> bool:
        for name in graph[start] - seen:
            if name == target or reaches(name, target, seen | {name}):
                return True
        return False

    assert [module for module in sorted(graph) if reaches(module, module, set())] == []
    assert [p.name for p in files if "iia.celery" in imports_of(p, known | {"iia.celery"})] == []
