"""The spaCy factories name their data files in their config, as spaCy's own components do: "" is the
bundled file, and a path given through spaCy's config system replaces it."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from thinc.api import Config

import ldn_graph.pipeline.cleanup
import ldn_graph.pipeline.entities
import ldn_graph.pipeline.relations  # noqa: F401  (registers the factories)
from ldn_graph.errors import DataError
from ldn_graph.pipeline.rules import RULE_FILES, load_rules, rule_text

DATA_KEYS = {
    "ldn_text_cleanup": {"lexicon", "ontology_lexicon"},
    "ldn_entity_linker": {"lexicon", "ontology_lexicon", "mesh_names", "local_entity_heads"},
    "ldn_relation_extractor": {"lexicon", "ontology_lexicon", *RULE_FILES},
}


def _pipeline(component: str, settings: dict[str, str]) -> Language:
    lines = [f"{key} = {value!r}".replace("'", '"') for key, value in settings.items()]
    text = "\n".join(
        [
            "[nlp]",
            'lang = "en"',
            f'pipeline = ["{component}"]',
            "[components]",
            f"[components.{component}]",
            f'factory = "{component}"',
            *lines,
        ]
    )
    return spacy.util.load_model_from_config(Config().from_str(text), auto_fill=True)


@pytest.mark.parametrize("factory", sorted(DATA_KEYS))
def test_factory_declares_its_data_files_with_bundled_defaults(factory: str) -> None:
    defaults = Language.get_factory_meta(factory).default_config
    assert {key: defaults[key] for key in DATA_KEYS[factory]} == dict.fromkeys(DATA_KEYS[factory], "")


def test_a_rule_file_swapped_through_the_config_replaces_the_bundled_one(tmp_path: Path) -> None:
    bundled, _ = rule_text(RULE_FILES["triggers"][0])
    header = next(line for line in bundled.splitlines() if line and not line.startswith("#"))
    triggers = tmp_path / "triggers.tsv"
    row = "soothe\tVERB\ttreats\tactive\t\tDisease\tone trigger only"
    triggers.write_text(f"{header}\n{row}\n", encoding="utf-8")
    nlp = _pipeline("ldn_relation_extractor", {"triggers": str(triggers), "ontology_lexicon": "none"})
    assert nlp.config["components"]["ldn_relation_extractor"]["cues"] == ""  # the default filled in
    swapped = nlp.get_pipe("ldn_relation_extractor").rules
    assert set(swapped.triggers) == {("soothe", "VERB")}
    bundled_rules = _pipeline("ldn_relation_extractor", {"ontology_lexicon": "none"})
    bundled_triggers = bundled_rules.get_pipe("ldn_relation_extractor").rules.triggers
    assert len(bundled_triggers) > 1 and ("soothe", "VERB") not in bundled_triggers
    assert swapped.cues == bundled_rules.get_pipe("ldn_relation_extractor").rules.cues


def test_a_misspelled_header_in_a_swapped_rule_file_is_one_line_naming_file_and_line(tmp_path: Path) -> None:
    cues = tmp_path / "cues.tsv"
    cues.write_text("# my cues\ncue\tkinds\tscope\nmay\thedge\tsentence\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        _pipeline("ldn_relation_extractor", {"cues": str(cues), "ontology_lexicon": "none"})
    assert str(err.value) == f"{cues}:2: header lacks column(s) kind"
    with pytest.raises(DataError, match="rule file not found"):
        _pipeline("ldn_relation_extractor", {"populations": str(tmp_path / "none.txt")})


def test_the_shipped_pipeline_gets_the_new_keys_on_load(nlp: Language) -> None:
    for factory, keys in DATA_KEYS.items():
        if factory in nlp.pipe_names:
            config = nlp.config["components"][factory]
            assert {key: config[key] for key in keys} == dict.fromkeys(keys, "")


def test_the_entity_linker_reads_its_local_entity_heads_file_when_built(tmp_path: Path) -> None:
    heads = tmp_path / "heads.tsv"
    heads.write_text("pattern\tcategory\nword:stiffness\tNoSuchCategory\n", encoding="utf-8")
    settings = {"local_entity_heads": str(heads), "ontology_lexicon": "none", "mesh_names": "none"}
    with pytest.raises(DataError) as err:
        _pipeline("ldn_entity_linker", settings)
    assert str(err.value) == f"{heads}:2: unknown category 'NoSuchCategory'"
    heads.write_text("pattern\tcategory\nword:stiffness\tDisease\n", encoding="utf-8")
    linker = _pipeline("ldn_entity_linker", settings).get_pipe("ldn_entity_linker")
    swapped = load_rules(local_entity_heads=linker.local_entity_heads)  # what the linker looks up
    assert swapped.local_category("stiffness") == "Disease" != load_rules().local_category("stiffness")
