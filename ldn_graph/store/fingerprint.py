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
from ldn_graph.spacy_model import DEFAULT_MODELS, shipped_model

# The package's modules, in two lists that together name every one of them (a test keeps them whole): the
# code that decides what a document's graph holds, whose change reads every stored document again, and the
# rest, which reads, serves, exports, trains on or measures graphs. A name is a module or a whole package.
EXTRACTION_CODE = (
    "__init__",
    "inputs",  # the readers: the text read and its offsets
    "lexicon.__init__",  # the runtime lexicon
    "lexicon.forms",
    "model",
    "spacy_model",  # which spaCy model loads
    "namespaces",
    "extract.__init__",
    "extract.local",
    "extract.distributed",
    "pipeline",
    "corpora.labels",  # NER labels -> categories, relation roles
    "rdf.write",  # the document graph written from what was read
    "rdf.aggregate",  # its number literals
)
# Of these, the ones extraction code imports: messages, progress lines, and the process that reads beside
# the caller (the same records).
NO_EFFECT = ("errors", "extract.progress", "extract.beside", "forked")
OTHER_CODE = (
    *NO_EFFECT,
    "__main__",
    "analytics",
    "atomic",
    "evaluate",
    "sparql",
    "cli",
    "server",
    "viz",
    "export",
    "store",
    "lexicon.builder",  # writes the built lexicon file, hashed as data
    "training",
    "models",  # the shipped model's folder: hashed as the model, not as code
    "corpora.__init__",
    "corpora.conllu",
    "corpora.coordinated",  # the corpus measures' reading of coordinated names
    "corpora.mesh_version",  # the MeSH version a corpus scores ids in
    "corpora.predict",
    "corpora.pubtator",
    "corpora.scoring",
    "corpora.variants",
    "rdf.__init__",
    "rdf.io",
    "rdf.indexed",
    "rdf.read",
    "rdf.ontology",
    "rdf.shapes",
    "rdf.values",
)
# The ontology folder's files that extraction reads (lexicons, rules, word lists, the ontology's predicate
# and class terms), as glob patterns; its other files (documentation, SHACL shapes, the query library,
# where the lexicon came from) change no document graph.
EXTRACTION_DATA = ("*.tsv", "*.tsv.gz", "*.toml", "*.txt", "ldn.ttl")
# training/: what the GENIA treebank conversion reads (make train-parser), not extraction.
OTHER_DATA = ("*.md", "shapes.ttl", "queries/*", "sources/*", "training/*", "__init__.py")
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
    _hash_files(digest, _PACKAGE, [p for p in package_modules() if module_list(p) is EXTRACTION_CODE])
    root, data = _ontology_files()
    _hash_files(digest, root, [p for p in data if data_list(p.relative_to(root)) is EXTRACTION_DATA])
    return digest.hexdigest()


def package_modules() -> list[Path]:
    """Every module file of the package (not the data folders linked into it)."""
    return [
        p
        for p in _PACKAGE.rglob("*.py")
        if "__pycache__" not in p.parts and p.relative_to(_PACKAGE).parts[0] not in ("ontology", "corpus")
    ]


def module_list(path: Path) -> tuple[str, ...] | None:
    """Which list names a module file (its own dotted name, or a package it is in); None for neither."""
    parts = path.relative_to(_PACKAGE).with_suffix("").parts
    names = {".".join(parts[:i]) for i in range(1, len(parts) + 1)}
    for listed in (EXTRACTION_CODE, OTHER_CODE):
        if names & set(listed):
            return listed
    return None


def data_list(relative: Path) -> tuple[str, ...] | None:
    """Which list's patterns an ontology folder file matches; None for neither."""
    for listed in (EXTRACTION_DATA, OTHER_DATA):
        if any(
            relative.match(pattern) and len(relative.parts) == len(Path(pattern).parts) for pattern in listed
        ):
            return listed
    return None


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the whole package and its data: exports made by other code are made again."""
    digest = hashlib.sha256()
    digest.update(f"ldn-graph {ldn_graph.__version__}\0".encode())
    _hash_files(digest, _PACKAGE, [p for p in _PACKAGE.rglob("*.py") if "__pycache__" not in p.parts])
    root, data = _ontology_files()
    _hash_files(digest, root, data)
    return digest.hexdigest()
