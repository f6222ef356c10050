"""quotecraft: find quotations in English news text, who said them and who relayed them."""
from __future__ import annotations

__version__ = "0.1.0"

from .objects import Agency, Article, Quote, Span, Speaker

__all__ = ["Agency", "Article", "Quote", "Span", "Speaker", "__version__"]
