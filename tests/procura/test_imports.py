"""The project's modules form layers without cycles: each imports what it needs at its top,
and nothing imports a project module inside a function to dodge a circular import (only
`AppConfig.ready()` does, as Django intends, since models must be loaded first)."""

import ast
import importlib
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]


def project_modules():
    """{dotted name: (path, is a package)} of the project's apps and settings, without their
    migrations (Django loads those itself)."""
    packages = {Path(config.path).name for config in apps.get_app_configs()} | {"procura"}
    found = {}
    for package in sorted(packages):
        if not (ROOT / package).is_dir() or not (ROOT / package / "__init__.py").exists():
            continue  # an installed app, not ours
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if "migrations" in parts:
                continue
            is_package = parts[-1] == "__init__"
            found[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return found


MODULES = project_modules()


def imported(node, module, is_package):
    """The project modules an import statement of `module` loads (with their packages, other
    than `module`'s own, which are being loaded already)."""
    package = module if is_package else module.rpartition(".")[0]
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
            base = ".".join([*anchor, base] if base else anchor)
        names = [
            f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
            for alias in node.names
        ]
    loaded = set()
    for name in names:
        parts = name.split(".")
        for i in range(1, len(parts) + 1):
            target = ".".join(parts[:i])
            if target in MODULES and target != module and not module.startswith(target + "."):
                loaded.add(target)
    return loaded


def import_graph():
    """{module: modules it imports when it is loaded}, and [(module, function, targets)] of
    project imports inside functions."""
    graph, inside = {}, []
    for module, (path, is_package) in MODULES.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        graph[module] = set()
        functions = [
            n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
        ]
        nested = {id(n) for f in functions for n in ast.walk(f)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in nested:
                graph[module] |= imported(node, module, is_package)
        for function in functions:
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    targets = imported(node, module, is_package)
                    if targets:
                        inside.append((module, function.name, sorted(targets)))
    return graph, inside


def cycles(graph):
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_walk_finds_the_apps_and_their_imports():
    graph, _inside = import_graph()
    assert {"home.models.base", "casestudies.listing", "search.engines.base"} <= set(graph)
    assert "casestudies.filters" in graph["casestudies.listing"]
    assert "home.models" in graph["casestudies.models"]


def test_the_detector_sees_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_circular_imports_between_modules():
    graph, _inside = import_graph()
    assert cycles(graph) == []


def test_no_project_import_inside_a_function_but_in_app_ready():
    _graph, inside = import_graph()
    assert [entry for entry in inside if entry[1] != "ready"] == []


def test_every_module_imports():
    # The settings of other environments read their environment once per process;
    # tests/procura/test_settings.py starts them in processes of their own.
    for module in MODULES:
        if not module.startswith("procura.settings"):
            importlib.import_module(module)
