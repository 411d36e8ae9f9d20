"""One way to write an amount of yuan, wherever it is written.

``yuan(amount)`` gives the amount with thousands separators and two decimals, rounded half up to
the fen: ``yuan(Decimal("1234567.5"))`` is ``"1,234,567.50"``, ``yuan(2330)`` is ``"2,330.00"``;
no amount (``None`` or ``""``) is ``"—"``. It has no unit: a sentence adds " 元" itself
("请求金额 12,000.00 元"), a table column says "（元）" in its header.

Pages use it through the template filter ``{{ amount|money }}`` (``core/templatetags/display``);
text built in Python (messages, service errors, event and timeline texts, calculator traces,
documents) calls it directly, so an amount reads the same on a page, in a message and on paper.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

EMPTY = "—"
FEN = Decimal("0.01")


def yuan(amount) -> str:
    """``amount`` (Decimal, int, float or numeric string) as "1,234,567.50"; ``None``/"" → "—".

    A float goes through ``str()`` first, so 0.1 is 0.10 and not its binary expansion.
    """
    if amount is None or amount == "":
        return EMPTY
    value = Decimal(str(amount)).quantize(FEN, ROUND_HALF_UP)
    if not value:
        value = abs(value)  # -0.004 rounds to -0.00: no one owes minus nothing.
    return f"{value:,}"
