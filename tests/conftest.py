"""Shared fixtures: the spaCy pipeline is loaded once per test session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def nlp():
    from ldn_graph.pipeline import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of Debian's chromium; skipped when absent, except in CI where it must be there."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (make browser installs it)")
        pytest.skip("chromium is not installed")
    return path
