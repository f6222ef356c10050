"""Shared fixtures.

Model-using tests take the session-wide ``extractor`` (the default path), or
``rules_extractor`` where they test the resolver's rules. By default they load the
embedded model shipped in the package; set ``QUOTECRAFT_TEST_MODEL_DIR`` to run
them against another model folder (e.g. a model still being trained).
"""
from __future__ import annotations

import os

import pytest

import quotecraft


@pytest.fixture(scope="session")
def extractor():
    """The default extractor (learned attribution when the ``learned`` extra is installed)."""
    return quotecraft.Extractor(model_dir=os.environ.get("QUOTECRAFT_TEST_MODEL_DIR") or None)


@pytest.fixture(scope="session")
def rules_extractor():
    """The rules path: for tests of the resolver's own reading on a real parse."""
    return quotecraft.Extractor(model_dir=os.environ.get("QUOTECRAFT_TEST_MODEL_DIR") or None, attribution="rules")
