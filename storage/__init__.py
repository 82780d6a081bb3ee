"""Storage: the only code that touches the database. Returns plain data."""
