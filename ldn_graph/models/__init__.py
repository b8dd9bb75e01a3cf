"""Trained pipelines shipped with ldn-graph: `ldn_bio/`, made by `make train` (README, "Training")."""
