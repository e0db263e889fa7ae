"""The languages every text of the product is written in, the first the default: pages,
rationales, reports and import reports all iterate this, so a third language is added here."""

from __future__ import annotations

LANGUAGES = ("en", "th")
DEFAULT_LANGUAGE = LANGUAGES[0]
