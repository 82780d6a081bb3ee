"""Monthly exams [000: 每月产品知识考试, 每月参与平台规则考试; 004: 客服考试得分在60以下
(B, −5), 客服考试分数为满分 (+5)]: which catalogue entry a score logs.

Pure functions over the policy's `[exams]`.
"""

from __future__ import annotations

from collections.abc import Collection

from rules.policy import Exams

FULL_MARKS = 100


def entry_for(score: int, exams: Exams, catalogue: Collection[str]) -> str | None:
    """The catalogue code a score logs: under the pass mark the violation, full marks
    the bonus; anything else, or a code empty or not in the shop's catalogue, none."""
    code = ""
    if score < exams.fail_below:
        code = exams.below_code
    elif score == FULL_MARKS:
        code = exams.full_marks_code
    return code if code and code in catalogue else None


def kind_of(word: str, exams: Exams) -> str | None:
    """The exam kind a word names: its key, or its name in either language."""
    text = word.strip().lower()
    for key, kind in exams.kinds.items():
        if text in (key, kind.name.zh.lower(), kind.name.en.lower()):
            return key
    return None
