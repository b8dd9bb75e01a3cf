"""Readers and scorers for the public annotated biomedical corpora (BioRED, BC5CDR)."""
