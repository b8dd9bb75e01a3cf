"""ldn-graph: read biomedical prose with spaCy and build an RDF knowledge graph with evidence."""

__version__ = "0.1.0"
