"""What a document's graph depends on besides its text: the extractor's fingerprint.

A document is read again when its text changed or when the code, rule data, lexicon or spaCy model that
read it did: the store keeps, with each document graph, a hash of all of these. It is computed from files
and package metadata, without importing spaCy, so a build with nothing to do starts no pipeline.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import importlib.util
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import ldn_graph

# Parts of the package that do not change what is read from a text (they read or serve the graph).
_NOT_EXTRACTION = {
    "cli",
    "server",
    "viz",
    "export",
    "store",
    "vocabulary",
    "training",
    "models",
    "__pycache__",
}
_NOT_EXTRACTION_FILES = {
    "query.py",
    "query_library.py",
    "analytics.py",
    "evaluate.py",
    "__main__.py",
    # rdf/: reading and writing graph files, loading the ontology, SHACL; not the document graphs.
    "io.py",
    "ontology.py",
    "shapes.py",
}
_PACKAGE = Path(ldn_graph.__file__).resolve().parent
# The layout of the store's graphs (store/catalog.py, store/local.py): a new layout reads every
# document again, so that no store mixes two.
STORE_LAYOUT = 2


def _hash_files(digest: hashlib._Hash, root: Path, paths: list[Path]) -> None:
    for path in sorted(paths, key=lambda p: p.relative_to(root).as_posix()):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")


def _ontology_files() -> tuple[Path, list[Path]]:
    root = Path(str(files("ldn_graph.ontology")))
    found = [p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return root, found


@lru_cache(maxsize=8)
def _folder_digest(path: Path) -> str:
    """A hash of every file of a model folder: its weights, tables and settings, not its metadata alone (a
    retrained pipeline keeps its name and version)."""
    digest = hashlib.sha256()
    _hash_files(digest, path, [p for p in path.rglob("*") if p.is_file()])
    return digest.hexdigest()


def find_model(model: str | None) -> str | None:
    """The spaCy model a build would load, with its version, found without loading it; None when this
    installation has no such model (a package not installed, a folder that is not there)."""
    from ldn_graph.pipeline import DEFAULT_MODELS, shipped_model

    shipped = shipped_model()
    for name in (model,) if model else ((str(shipped),) if shipped else ()) + DEFAULT_MODELS:
        path = Path(name)
        if (path / "config.cfg").is_file() and (path / "meta.json").is_file():
            return f"{path.name}@{_folder_digest(path)}"
        try:
            if importlib.util.find_spec(name) is None:
                continue
        except (ImportError, ValueError):  # a path, or a name no module can have
            continue
        try:
            return f"{name}=={importlib.metadata.version(name)}"
        except importlib.metadata.PackageNotFoundError:
            return name
    return None


def model_identity(model: str | None) -> str:
    """`find_model`, or the name asked for when there is no such model here."""
    return find_model(model) or model or "(no model)"


@lru_cache(maxsize=8)
def extractor_fingerprint(model: str | None = None) -> str:
    """A hash of everything extraction depends on: the package's extraction code, the ontology folder's
    data (lexicons, rules, vocabulary), the spaCy version and the model."""
    digest = hashlib.sha256()
    digest.update(f"ldn-graph {ldn_graph.__version__} store layout {STORE_LAYOUT}\0".encode())
    with contextlib.suppress(importlib.metadata.PackageNotFoundError):
        digest.update(f"spacy {importlib.metadata.version('spacy')}\0".encode())
    digest.update(f"model {model_identity(model)}\0".encode())
    code = [
        p
        for p in _PACKAGE.rglob("*.py")
        if not (_NOT_EXTRACTION & set(p.relative_to(_PACKAGE).parts)) and p.name not in _NOT_EXTRACTION_FILES
    ]
    _hash_files(digest, _PACKAGE, code)
    root, data = _ontology_files()
    _hash_files(digest, root, [p for p in data if "queries" not in p.relative_to(root).parts])
    return digest.hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the whole package and its data: exports made by other code are made again."""
    digest = hashlib.sha256()
    digest.update(f"ldn-graph {ldn_graph.__version__}\0".encode())
    _hash_files(digest, _PACKAGE, [p for p in _PACKAGE.rglob("*.py") if "__pycache__" not in p.parts])
    root, data = _ontology_files()
    _hash_files(digest, root, data)
    return digest.hexdigest()
