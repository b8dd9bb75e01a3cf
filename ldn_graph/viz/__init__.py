"""Views of a built graph for people: the interactive, self-contained HTML page."""
