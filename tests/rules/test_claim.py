"""The one-time claim code (rules/claim.py): good once, for a while, for a few guesses."""

from __future__ import annotations

import datetime as dt

from rules.claim import ALPHABET, Claim, Verdict, judge, new_claim, shown

AT = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
CODE = shown([2, 13, 5, 17, 21, 0])


def test_a_code_is_printed_in_two_groups_without_confusable_characters() -> None:
    assert CODE == "4F7K-Q2"
    assert not set("01ILO") & set(ALPHABET)


def test_the_code_is_read_without_case_spaces_or_dashes() -> None:
    claim = new_claim(CODE, at=AT, valid_hours=24)
    for typed in ("4F7K-Q2", "4f7k q2", " 4F7KQ2 "):
        assert judge(claim, typed, at=AT, wrong_guesses=5) is Verdict.OK
    assert judge(claim, "4F7K-Q3", at=AT, wrong_guesses=5) is Verdict.WRONG


def test_it_expires_and_dies_after_the_wrong_guesses() -> None:
    claim = new_claim(CODE, at=AT, valid_hours=24)
    later = AT + dt.timedelta(hours=24)
    assert judge(claim, CODE, at=later - dt.timedelta(seconds=1), wrong_guesses=5) is Verdict.OK
    assert judge(claim, CODE, at=later, wrong_guesses=5) is Verdict.EXPIRED
    spent = Claim(claim.digest, claim.expires, wrong=5)
    assert judge(spent, CODE, at=AT, wrong_guesses=5) is Verdict.SPENT
    assert judge(None, CODE, at=AT, wrong_guesses=5) is Verdict.NONE


def test_only_a_digest_is_stored() -> None:
    stored = new_claim(CODE, at=AT, valid_hours=24).to_json()
    assert "4F7K" not in stored and Claim.from_json(stored).expires == AT + dt.timedelta(hours=24)
