"""Alembic migrations of kefu's schema; run at start by `Database.migrate`."""
