"""Use-cases shared by handlers and scheduled jobs: load → compute with rules → save.

A use-case that cannot go ahead raises `Refusal` with the name of the template
that explains why; it has changed nothing by then (its transaction is rolled back).
"""

from __future__ import annotations

from typing import Any


class Refusal(Exception):
    """A polite no: `key` names the template `refuse_<key>`, `params` fill it in."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params
