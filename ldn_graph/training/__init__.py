"""Learning from annotated corpora: corpus conversion, the training config and `make train`."""
