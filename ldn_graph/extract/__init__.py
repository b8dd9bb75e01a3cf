"""The pipeline run over many documents: `Document`s in, `Extraction` records out, in input order.

- `local.py`: in this process, or in worker processes (`--jobs`); long texts read in parts
- `distributed.py`: on a Dask cluster (`--scheduler`), the same records as a local run
- `progress.py`: the progress bar both show on a terminal
"""
