"""Use-cases shared by handlers and scheduled jobs: load → compute with rules → save.

A use-case that cannot go ahead raises `Refusal` with the name of the template
that explains why; it has changed nothing by then (its transaction is rolled back).
"""

from rules.errors import Refusal

__all__ = ["Refusal"]
