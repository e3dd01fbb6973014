"""Figures on the shape of the application code, read from its source (nothing is run).

    python benchmarks/code_shape.py

Prints, for the apps `assessments`, `workflows`, `reports` and `iia` (migrations and tests left
out): lines per package, function-local imports, functions longer than 60 lines, the import
cycles between modules of one app (with module-level imports only, and counting the
function-local ones too, which is how a cycle hides), the places that complete a viewflow
task, and app modules importing `iia.celery`.
"""

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("assessments", "workflows", "reports", "iia", "fixtures")
LONG = 60


def app_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            yield app, path


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def resolve(module, node, is_package):
    """The absolute name an ImportFrom refers to."""
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imported_modules(module, tree, is_package, known, *, everywhere=False):
    """Modules of this project a module imports at its top level (inside `if` too, not in defs;
    ``everywhere``: in functions too)."""
    found = set()

    def visit(body):
        for node in (ast.walk(tree) if everywhere else body):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                target = resolve(module, node, is_package)
                for alias in node.names:
                    name = f"{target}.{alias.name}"
                    found.add(name if name in known else target)
            elif isinstance(node, (ast.If, ast.Try)) and not everywhere:
                visit(node.body)
                visit(getattr(node, "orelse", []))
                for handler in getattr(node, "handlers", []):
                    visit(handler.body)
                visit(getattr(node, "finalbody", []))

    visit(tree.body)
    return {name for name in found if name in known}


def local_imports(tree):
    count = 0
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    count += 1
    return count


def long_functions(tree):
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = node.end_lineno - node.lineno + 1
            if length > LONG:
                yield node.name, length


def cycles(graph):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, result = {}, {}, [], set(), []
    sys.setrecursionlimit(10_000)

    def connect(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in graph[node]:
            if successor not in index:
                connect(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    for node in list(graph):
        if node not in index:
            connect(node)
    return result


def main():
    files = list(app_files())
    trees = {}
    for _, path in files:
        trees[path] = ast.parse(path.read_text(), str(path))
    known = {module_name(path) for _, path in files}
    lines = defaultdict(int)
    graph = defaultdict(set)
    hidden = defaultdict(set)
    local = defaultdict(int)
    longs = []
    completes = []
    celery = []
    for app, path in files:
        tree = trees[path]
        text = path.read_text()
        module = module_name(path)
        package = app
        for folder in (f"{app}/pdf", f"{app}/api", f"{app}/views"):
            if str(path.relative_to(ROOT)).startswith(folder + "/"):
                package = folder
        lines[package] += len(text.splitlines())
        targets = imported_modules(module, tree, path.name == "__init__.py", known)
        graph[module] |= {target for target in targets if target.split(".")[0] == app}
        every = imported_modules(module, tree, path.name == "__init__.py", known, everywhere=True)
        hidden[module] |= {target for target in every if target.split(".")[0] == app and target != module}
        local[app] += local_imports(tree)
        longs += [(str(path.relative_to(ROOT)), name, length) for name, length in long_functions(tree)]
        for number, line in enumerate(text.splitlines(), 1):
            if "activation.execute()" in line:  # viewflow 2 completes a task by executing its activation
                completes.append(f"{path.relative_to(ROOT)}:{number}")
        if "iia.celery" in text and app != "iia":
            celery.append(str(path.relative_to(ROOT)))
    print("lines of Python per package (migrations left out):")
    for package in sorted(lines):
        print(f"  {package:<16} {lines[package]:>6}")
    print(f"function-local imports: {sum(local.values())} ({', '.join(f'{a} {n}' for a, n in sorted(local.items()))})")
    print(f"functions over {LONG} lines: {len(longs)}")
    for path, name, length in sorted(longs, key=lambda item: -item[2]):
        print(f"  {length:>4}  {path}:{name}")
    found = cycles(graph)
    print(f"import cycles within an app (module-level imports): {len(found)}")
    for component in found:
        print("  " + " <-> ".join(component))
    found = cycles(hidden)
    print(f"import cycles within an app counting function-local imports: {len(found)}")
    for component in found:
        print("  " + " <-> ".join(component))
    print(f"places that complete a task: {len(completes)}")
    for place in completes:
        print("  " + place)
    print(f"app modules importing iia.celery: {len(celery)} {' '.join(celery)}")


if __name__ == "__main__":
    main()
