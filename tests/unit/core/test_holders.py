from decimal import Decimal

from backcheck.core.holders import Holder, concentration


def h(amount: str, label: str | None = None) -> Holder:
    return Holder("acct", "owner", Decimal(amount), label)


def test_labelled_wallets_are_excluded_from_the_float():
    c = concentration([h("900", "Issuer inventory"), h("50"), h("30"), h("20")], Decimal("1000"))
    assert (c.inventory, c.float_) == (Decimal(900), Decimal(100))
    assert c.top1 == Decimal("0.5")
    assert c.top10 == Decimal(1)
    assert c.hhi == Decimal("0.25") + Decimal("0.09") + Decimal("0.04")
    assert c.nakamoto == 2  # 50 % is not more than half; 50 + 30 is


def test_partial_list_gives_no_nakamoto_when_half_is_not_reached():
    c = concentration([h("10"), h("10")], Decimal("100"))
    assert c.nakamoto is None
    assert c.top1 == Decimal("0.1")


def test_no_float():
    c = concentration([h("100", "Issuer inventory")], Decimal("100"))
    assert c.float_ == 0
    assert (c.top1, c.top10, c.hhi, c.nakamoto) == (None, None, None, None)
