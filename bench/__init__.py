"""Benchmarks: run by hand, they print figures (never timed assertions in tests)."""
