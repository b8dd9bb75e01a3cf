"""From extracted records to RDF: the graph builder, the ontology and its SHACL shapes."""
