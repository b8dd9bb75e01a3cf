"""The spaCy model `make install` puts in place answers to its standard name, as spaCy documents it."""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys

STANDARD_NAME = "en_core_web_sm"

# Run as a user would, in a fresh interpreter; the proxy points nowhere, so loading must not need the network.
LOAD = """
import json, spacy
nlp = spacy.load("en_core_web_sm")
doc = nlp("Naltrexone blocks opioid receptors.")
print(json.dumps({
    "name": nlp.meta["lang"] + "_" + nlp.meta["name"],
    "version": nlp.meta["version"],
    "pipes": nlp.pipe_names,
    "parse": [[t.text, t.dep_, t.head.text, t.lemma_] for t in doc],
}))
"""


def test_model_install_loads_by_standard_name() -> None:
    offline = {**os.environ, "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}
    proc = subprocess.run(
        [sys.executable, "-c", LOAD], capture_output=True, text=True, env=offline, timeout=300, check=False
    )
    assert proc.returncode == 0, proc.stderr
    loaded = json.loads(proc.stdout)
    assert loaded["name"] == STANDARD_NAME
    assert loaded["version"] == "3.8.0"
    assert {"tagger", "parser", "lemmatizer"} <= set(loaded["pipes"])
    # A working parser and lemmatizer, not an empty pipeline that happens to carry the name.
    parse = {text: (dep, head, lemma) for text, dep, head, lemma in loaded["parse"]}
    assert parse["blocks"][0] == "ROOT"
    assert parse["Naltrexone"][:2] == ("nsubj", "blocks")
    assert parse["receptors"][2] == "receptor"


def test_model_install_registered_as_spacy_lists_pipelines() -> None:
    # spaCy finds installed pipelines through this entry point group (`spacy validate`, get_installed_models).
    names = {ep.name for ep in importlib.metadata.entry_points(group="spacy_models")}
    assert STANDARD_NAME in names
    assert importlib.metadata.version(STANDARD_NAME) == "3.8.0"
