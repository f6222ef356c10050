"""The exceptions and warnings a user of quotecraft may catch.

They live here, apart from the code that raises them, so that every floor of the package
(`quotecraft.nlp`, `quotecraft.attribution`, `quotecraft.io`, `quotecraft.train`) can raise
them without importing another floor.
"""
from __future__ import annotations

__all__ = ["ModelError", "EncoderError", "HeadError", "LearnedExtraMissing"]


class ModelError(RuntimeError):
    """A model is missing, unreadable or unknown."""


class EncoderError(RuntimeError):
    """The encoder's package or files are missing or not the expected ones."""


class HeadError(RuntimeError):
    """The attribution head's weights file is missing or unreadable."""


class LearnedExtraMissing(UserWarning):
    """``Extractor()`` fell back to the rules: the ``learned`` extra is not installed.
    ``summary`` is the message without the advice for Python callers (the command line's line)."""

    def __init__(self, summary: str) -> None:
        super().__init__(f"quotecraft: {summary}; to silence this warning: Extractor(attribution='rules')")
        self.summary = summary
