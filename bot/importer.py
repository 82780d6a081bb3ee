"""Reading a metrics file as shops export it: CSV in UTF-8 (with or without BOM) or
GBK/GB18030, or XLSX (the first sheet). Bytes in, a header and rows out.
"""

from __future__ import annotations

import csv
import io
import logging
import zipfile
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

from openpyxl import load_workbook

from rules.errors import Refusal

log = logging.getLogger(__name__)
# The largest file /import accepts. Telegram lets bots download up to 20 MB; a
# month of a large team's daily export is well under 10 MB as CSV.
MAX_BYTES = 10 * 1024 * 1024
KINDS = (".csv", ".xlsx")
P = ParamSpec("P")
T = TypeVar("T")


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
    reader = csv.reader(io.StringIO(text), dialect, strict=True)
    try:
        rows: list[list[object]] = [list(row) for row in reader if any(c.strip() for c in row)]
    except csv.Error as exc:  # an unclosed quote, a field over csv's size limit
        raise Refusal("import_csv_broken", line=reader.line_num, reason=str(exc)[:80]) from None
    if not rows:
        return Table([], [])
    return Table(rows[0], rows[1:])


def _read_xlsx(data: bytes) -> Table:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise Refusal("import_garbage")
    # openpyxl raises whatever its zip and XML parsers raise on a damaged workbook
    # (BadZipFile, KeyError, ParseError, ValueError, TypeError …): any of them is a
    # workbook that cannot be read, and says so.
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        log.info("unreadable workbook: %s", type(exc).__name__)
        raise Refusal("import_xlsx_broken") from None
    try:
        sheets = book.worksheets
        if not sheets:
            raise Refusal("import_no_sheet")
        first = sheets[0]
        rows: list[list[object]] = [list(row) for row in first.iter_rows(values_only=True)]
    except Refusal:
        raise
    except Exception as exc:
        log.info("unreadable sheet: %s", type(exc).__name__)
        raise Refusal("import_xlsx_broken") from None
    finally:
        book.close()
    rows = [row for row in rows if any(cell not in (None, "") for cell in row)]
    others = tuple(sheet.title for sheet in sheets[1:])
    if not rows:
        return Table([], [], others)
    return Table(rows[0], rows[1:], others)
