"""Pure domain rules of kefu: the policy schema and the formulas over it.

Nothing in this package does I/O, talks to Telegram or the database, or reads
the clock: callers pass every value in (see tests/rules/test_purity.py).
"""
