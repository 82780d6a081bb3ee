"""Files of daily figures as the shop's chat tool exports them."""

from __future__ import annotations

ZH_HEADER = "日期,客服,咨询人数,接待人数,回复率,平均响应时间(秒),询单人数,下单人数,付款人数,销售额"


def csv_bytes(rows: list[str], encoding: str = "utf-8", header: str = ZH_HEADER) -> bytes:
    """A CSV file: the header, then the rows, in `encoding`."""
    return "\n".join([header, *rows]).encode(encoding)
