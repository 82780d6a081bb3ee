"""Reading a metrics file as shops export it: CSV in UTF-8 (with or without BOM) or
GBK/GB18030, or XLSX (the first sheet). Bytes in, a header and rows out.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from rules.errors import Refusal

MAX_BYTES = 5 * 1024 * 1024
KINDS = (".csv", ".xlsx")


@dataclass(frozen=True)
class Table:
    """A header row and the rows under it; `other_sheets` names sheets left aside."""

    header: list[object]
    rows: list[list[object]]
    other_sheets: tuple[str, ...] = ()


def read_table(filename: str, data: bytes, *, max_bytes: int | None = MAX_BYTES) -> Table:
    """Refused (with the reason) when the file is too big, of the wrong kind, or unreadable."""
    if max_bytes is not None and len(data) > max_bytes:
        raise Refusal("import_too_big", size=len(data), limit=max_bytes)
    lower = filename.lower()
    if not lower.endswith(KINDS):
        raise Refusal("import_kind", filename=filename)
    if not data.strip():
        raise Refusal("import_empty", filename=filename)
    table = _read_xlsx(data) if lower.endswith(".xlsx") else _read_csv(data)
    if not table.header or all(cell in (None, "") for cell in table.header):
        raise Refusal("import_empty", filename=filename)
    return table


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise Refusal("import_garbage")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text[:4096])
        if printable >= 0.95 * min(len(text), 4096):
            return text
    raise Refusal("import_garbage")


def _read_csv(data: bytes) -> Table:
    text = _decode(data)
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    lines = [row for row in csv.reader(io.StringIO(text), dialect) if any(c.strip() for c in row)]
    rows: list[list[object]] = [list(row) for row in lines]
    if not rows:
        return Table([], [])
    return Table(rows[0], rows[1:])


def _read_xlsx(data: bytes) -> Table:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise Refusal("import_garbage") from None
    try:
        sheets = book.worksheets
        first = sheets[0]
        rows: list[list[object]] = [list(row) for row in first.iter_rows(values_only=True)]
    finally:
        book.close()
    rows = [row for row in rows if any(cell not in (None, "") for cell in row)]
    others = tuple(sheet.title for sheet in sheets[1:])
    if not rows:
        return Table([], [], others)
    return Table(rows[0], rows[1:], others)
