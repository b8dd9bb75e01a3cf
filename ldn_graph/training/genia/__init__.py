"""The GENIA treebank converted to ClearNLP-style dependencies, for training spaCy's tagger and parser."""
