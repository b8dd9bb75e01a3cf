"""ldn-graph's vocabulary as data: the OWL ontology, SHACL shapes, lexicon and rule cues."""
