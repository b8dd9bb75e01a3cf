"""Sample input bundled with ldn-graph (see README.md in this folder for sources)."""
