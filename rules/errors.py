"""The one domain error: a polite, explained no."""

from __future__ import annotations

from typing import Any


class Refusal(Exception):
    """A polite no: `key` names the template `refuse_<key>`, `params` fill it in.

    Raised by rules and use-cases before anything is saved (or inside a unit of
    work, which then rolls back), so a refusal never changes anything.
    """

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params
        self.usage: tuple[str, dict[str, Any]] | None = None

    def with_usage(self, key: str, **params: Any) -> Refusal:
        """The same refusal, followed by the command's usage line `refuse_<key>`."""
        if self.usage is None and key != self.key:
            self.usage = (key, params)
        return self
