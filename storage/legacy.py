"""A bridge for callers not yet moved to keyword-only sessions (issue 13).

Every storage function takes its session as `*, session: Session`. A few are
still called the old way, session first, from modules being rewritten on other
branches (`bot/services/payroll.py`, `bot/export.py`, `storage/payroll.py`).
`session_first` lets those calls work, typed, until they pass `session=`; then
this module goes. New code never calls a storage function session first.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Generic, ParamSpec, TypeVar, overload

from sqlmodel import Session

P = ParamSpec("P")
R = TypeVar("R")


class session_first(Generic[P, R]):  # a decorator, named like one
    """Wrap a storage function so a call with the session first still works."""

    def __init__(self, func: Callable[P, R]) -> None:
        self._func: Callable[..., R] = func
        functools.update_wrapper(self, func)

    @overload
    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R: ...

    @overload
    def __call__(self, session: Session, /, *args: Any, **kwargs: Any) -> R: ...

    def __call__(self, *args: Any, **kwargs: Any) -> R:
        if args and isinstance(args[0], Session) and "session" not in kwargs:
            return self._func(*args[1:], session=args[0], **kwargs)
        return self._func(*args, **kwargs)
