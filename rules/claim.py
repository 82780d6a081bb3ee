"""Claiming the bot: the one-time code that makes its first owner (kefu's own rule).

A bot started with nobody in `KEFU_ADMINS` and no owner yet prints a code at
start; whoever sends it in a private chat becomes the owner. The code is kept
only as a digest, is good once, for `[claim] valid_hours`, and dies after
`[claim] wrong_guesses` wrong tries (a restart prints a new one). Its alphabet
leaves out the characters people confuse (0/O, 1/I/L), and what is typed is read
without case, spaces or dashes.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import hmac
import json
from dataclasses import dataclass

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 6  # 31⁶ ≈ 8.9 × 10⁸ codes against a handful of guesses


class Verdict(enum.Enum):
    """What a typed code meets."""

    OK = "ok"
    WRONG = "wrong"
    NONE = "none"  # no code is waiting: the bot has an owner, or none was printed
    EXPIRED = "expired"
    SPENT = "spent"  # too many wrong guesses


@dataclass(frozen=True)
class Claim:
    """The waiting code, as stored: its digest, when it expires, wrong guesses so far."""

    digest: str
    expires: dt.datetime
    wrong: int = 0

    def to_json(self) -> str:
        """Its stored form."""
        return json.dumps(
            {"digest": self.digest, "expires": self.expires.isoformat(), "wrong": self.wrong}
        )

    @classmethod
    def from_json(cls, text: str) -> Claim:
        """Read back what `to_json` wrote."""
        data = json.loads(text)
        return cls(data["digest"], dt.datetime.fromisoformat(data["expires"]), int(data["wrong"]))


def shown(symbols: list[int]) -> str:
    """The code as printed, from LENGTH indexes into ALPHABET: `4F7K-Q2`."""
    code = "".join(ALPHABET[i] for i in symbols)
    return f"{code[:4]}-{code[4:]}"


def digest(typed: str) -> str:
    """The stored form of a code, whatever case, spaces or dashes it was typed with."""
    plain = "".join(c for c in typed.upper() if c.isalnum())
    return hashlib.sha256(plain.encode()).hexdigest()


def new_claim(code: str, *, at: dt.datetime, valid_hours: int) -> Claim:
    """The claim to store for a freshly printed `code`."""
    return Claim(digest(code), at + dt.timedelta(hours=valid_hours))


def judge(claim: Claim | None, typed: str, *, at: dt.datetime, wrong_guesses: int) -> Verdict:
    """What `typed` at `at` meets (a wrong guess is counted by the caller)."""
    if claim is None:
        return Verdict.NONE
    if claim.wrong >= wrong_guesses:
        return Verdict.SPENT
    if at >= claim.expires:
        return Verdict.EXPIRED
    if hmac.compare_digest(claim.digest, digest(typed)):
        return Verdict.OK
    return Verdict.WRONG
