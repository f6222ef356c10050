"""Shared fixtures.

Model-using tests take the session-wide ``extractor``. By default it loads the
embedded model shipped in the package; set ``QUOTECRAFT_TEST_MODEL_DIR`` to run
them against another model folder (e.g. a model still being trained).
"""
from __future__ import annotations

import os

import pytest

import quotecraft


@pytest.fixture(scope="session")
def extractor():
    return quotecraft.Extractor(model_dir=os.environ.get("QUOTECRAFT_TEST_MODEL_DIR") or None)
