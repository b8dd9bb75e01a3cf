"""The package's layers: a module imports only from its own layer or the ones below (docs/architecture.md).

Every import statement counts, at the top of a module or inside a function, so a new upward import fails
here, and a new module fails until it is given a layer.
"""

from __future__ import annotations

import ast
from pathlib import Path

import ldn_graph

PACKAGE = Path(ldn_graph.__file__).resolve().parent
# Lowest first. A module's layer is that of the longest name listed that is it or a package holding it.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("base", ("__init__", "errors", "namespaces", "model", "spacy_model", "atomic", "forked")),
    ("inputs", ("inputs",)),
    ("lexicon, pipeline", ("lexicon", "pipeline", "corpora")),
    ("runners, training, evaluation", ("extract", "training", "evaluate", "models")),
    ("rdf: writing, reading, terms", ("rdf", "store.terms")),
    ("export, view, analytics", ("export", "viz", "analytics")),
    ("sparql", ("sparql",)),
    ("store", ("store",)),
    ("server", ("server",)),
    ("cli", ("cli", "__main__")),
)


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE).with_suffix("").parts)


def layer_of(module: str) -> int | None:
    """The layer's place in LAYERS, or None for a module no entry names."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        name = ".".join(parts[:end])
        for number, (_, names) in enumerate(LAYERS):
            if name in names:
                return number
    return None


def imported(tree: ast.AST, module: str) -> set[str]:
    """The ldn_graph modules (or names in them) a module imports, without the `ldn_graph.` prefix."""
    found = set()
    package = module.rsplit(".", 1)[0] if "." in module else ""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name[len("ldn_graph.") :] for a in node.names if a.name.startswith("ldn_graph.")}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "ldn_graph":
                found |= {a.name for a in node.names}
            elif node.module.startswith("ldn_graph."):
                found.add(node.module[len("ldn_graph.") :])
        elif isinstance(node, ast.ImportFrom) and node.level:
            found.add(".".join(filter(None, [package, node.module or ""])))
    return found


def modules() -> list[Path]:
    skipped = ("ontology", "corpus")  # data folders linked into the package
    return [
        p
        for p in sorted(PACKAGE.rglob("*.py"))
        if "__pycache__" not in p.parts and p.relative_to(PACKAGE).parts[0] not in skipped
    ]


def test_every_module_has_a_layer():
    missing = [module_name(p) for p in modules() if layer_of(module_name(p)) is None]
    assert not missing, f"give these modules a layer in LAYERS (and docs/architecture.md): {missing}"


def test_no_module_imports_from_a_higher_layer():
    upward = []
    for path in modules():
        module = module_name(path)
        own = layer_of(module)
        for target in imported(ast.parse(path.read_text(encoding="utf-8")), module):
            theirs = layer_of(target)
            if own is not None and theirs is not None and theirs > own:
                upward.append(f"{module} ({LAYERS[own][0]}) imports {target} ({LAYERS[theirs][0]})")
    assert not upward, "imports from a higher layer:\n" + "\n".join(upward)


def test_the_check_sees_an_upward_import_inside_a_function():
    tree = ast.parse("def f():\n    from ldn_graph.store.query import find_store\n")
    (target,) = imported(tree, "rdf.io")
    assert layer_of(target) > layer_of("rdf.io")  # type: ignore[operator]
    assert layer_of("store.terms") < layer_of("store.catalog")  # type: ignore[operator]


def test_no_command_imports_another_command():
    # What two commands share (a build's exports, the store refresh) lives below the command line, not in
    # one command that another imports (cli/remove once imported cli/build).
    shared = []
    for path in modules():
        module = module_name(path)
        if not module.startswith("cli.") or module == "cli.__init__":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        shared += [f"{module} imports {t}" for t in imported(tree, module) if t.startswith("cli.")]
    assert not shared, "\n".join(shared)
