"""The code's boundaries, read from every module's imports (at module level and in functions).

Layers, lowest first: an app may import apps of lower layers only, never one of its own layer
or above. The site itself (settings, root URLs, the home page, seeding, benchmarks) sits on
top and may import anything; nothing imports it. No two apps import each other, and no
modules import each other in a circle.
"""

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["heatwiki", "scenes", "people"]
LAYERS = [
    {"heatwiki.edge"},
    {"heatwiki.pagecache"},
    {"heatwiki.accounts"},
    {"heatwiki.wiki"},
    {
        "heatwiki.works",
        "heatwiki.news",
        "scenes",
        "people",
        "heatwiki.search",
        "heatwiki.api",
        "heatwiki.community",
    },
]
LAYER = {app: level for level, apps in enumerate(LAYERS) for app in apps}


def module_files() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


MODULES = module_files()


def imported_names(module: str, path: Path) -> list[str]:
    names = []
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # "from package import module" imports the module; "from module import name" not.
            names.extend(
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                for alias in node.names
            )
    return names


def project_module(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def build_graph() -> dict[str, set[str]]:
    graph = defaultdict(set)
    for module, path in MODULES.items():
        for name in imported_names(module, path):
            target = project_module(name)
            if target and target != module:
                graph[module].add(target)
    return graph


GRAPH = build_graph()


def app_of(module: str) -> str:
    parts = module.split(".")
    if parts[0] == "heatwiki" and len(parts) > 1 and (ROOT / "heatwiki" / parts[1]).is_dir():
        return f"heatwiki.{parts[1]}"
    return parts[0]


def cross_app_imports() -> list[tuple[str, str, str, str]]:
    """(importing module, imported module, their apps) for every import between two apps."""
    return [
        (module, target, app_of(module), app_of(target))
        for module, targets in GRAPH.items()
        for target in targets
        if app_of(module) != app_of(target)
    ]


def test_the_graph_sees_the_engine_and_the_apps():
    # Guards the test itself: a parser that found nothing would pass every rule below.
    assert "heatwiki.wiki.services" in MODULES and "scenes.models" in MODULES
    assert "heatwiki.wiki.models" in GRAPH["scenes.models"]
    assert "heatwiki.wiki.kinds" in GRAPH["heatwiki.wiki.links"]


@pytest.mark.parametrize("app", sorted(LAYER))
def test_an_app_imports_only_apps_of_lower_layers(app):
    wrong = [
        f"{module} imports {target}"
        for module, target, source_app, target_app in cross_app_imports()
        if source_app == app and LAYER.get(target_app, len(LAYERS)) >= LAYER[app]
    ]
    assert not wrong, "\n".join(wrong)


def test_no_two_apps_import_each_other():
    pairs = {(source, target) for _, _, source, target in cross_app_imports()}
    mutual = sorted({tuple(sorted(pair)) for pair in pairs if pair[::-1] in pairs})
    assert not mutual


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, iteratively: the groups of modules that import each other."""
    index, low, on_stack, stack, groups = {}, {}, set(), [], []
    for root in list(MODULES):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == node:
                            break
                    groups.append(group)
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph.get(child, ())))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return groups


def test_no_modules_import_each_other_in_a_circle():
    circles = [sorted(group) for group in strongly_connected(GRAPH) if len(group) > 1]
    assert not circles


def test_a_circle_would_be_found():
    graph = {"heatwiki.wiki.models": {"heatwiki.wiki.links"}, "heatwiki.wiki.links": set()}
    graph["heatwiki.wiki.links"].add("heatwiki.wiki.models")
    circles = [group for group in strongly_connected(graph) if len(group) > 1]
    assert circles == [{"heatwiki.wiki.models", "heatwiki.wiki.links"}]
