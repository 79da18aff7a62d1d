"""CT-*: who can control the token, how they are governed, and whether a power is in use now.

Regulated issuers hold such powers by design; the rules say who holds each and how, rather than
scoring the token as a scam (product.md, "Regulated is not a rug").
"""

from __future__ import annotations

from decimal import Decimal

from .engine import Context, Outcome, rule

PLAIN = "plain account"


def _kind(ctx: Context, key: str) -> str | None:
    value = ctx.value(f"{key}_kind")
    return None if value is None else str(value)


@rule("CT-1", "Upgradeable with a single-key admin")
def upgradeable(ctx: Context) -> Outcome:
    """Who can replace the contract's logic: single key, multisig, timelock."""
    if ctx.chain_kind != "evm":
        return Outcome(
            "n/a", "Solana xStocks are Token-2022 accounts; the token program itself is not upgradeable by the issuer."
        )
    admin = ctx.value("proxy_admin")
    if admin is None:
        return ctx.missing("proxy_admin")
    if str(admin).startswith("none"):
        return Outcome(
            "pass", "The contract is not an upgradeable proxy: its logic cannot be replaced.", ("proxy_admin",)
        )
    kind = ctx.value("proxy_admin_controller_kind")
    if kind is None:
        return ctx.missing("proxy_admin_controller_kind")
    controller = ctx.value("proxy_admin_controller")
    kind = str(kind)
    if kind.startswith(PLAIN):
        return Outcome(
            "warning",
            f"One key ({controller}) can replace the token's logic with anything, at once. Expected for an issuer, "
            "but a single point of failure: if that key is lost or stolen, so is control of every balance.",
            ("proxy_admin", "proxy_admin_controller_kind"),
        )
    if kind.startswith("timelock"):
        hours = Decimal(kind.split("minimum delay ")[1].split(" h")[0]) if "minimum delay" in kind else Decimal(0)
        if hours >= ctx.threshold("CT-1.timelock_hours"):
            return Outcome(
                "pass",
                f"Upgrades go through a timelock ({kind}): holders see them coming.",
                ("proxy_admin_controller_kind",),
            )
        return Outcome("caution", f"Upgrades go through a short timelock ({kind}).", ("proxy_admin_controller_kind",))
    if kind.startswith("multisig"):
        return Outcome(
            "caution",
            f"Upgrades need a multisig ({kind}) but no timelock: a change takes effect at once.",
            ("proxy_admin_controller_kind",),
        )
    return Outcome(
        "caution",
        f"The upgrade power sits with a contract Backcheck cannot classify ({kind}).",
        ("proxy_admin_controller_kind",),
    )


@rule("CT-2", "Mint power held by a single key")
def mint_power(ctx: Context) -> Outcome:
    """A single key that can create tokens."""
    authority = ctx.value("mint_authority")
    if authority is None:
        return ctx.missing("mint_authority")
    if authority in ("none", "not present"):
        return Outcome("pass", "Nobody can mint new tokens.", ("mint_authority",))
    kind = _kind(ctx, "mint_authority")
    if kind is None:
        return ctx.missing("mint_authority_kind")
    if kind.startswith(PLAIN):
        return Outcome(
            "warning",
            f"One key ({authority}) can mint new tokens. Expected for an issuer, but a single point of failure: a "
            "stolen key could create unbacked tokens.",
            ("mint_authority", "mint_authority_kind"),
        )
    return Outcome("pass", f"Minting is held by {kind}.", ("mint_authority_kind",))


@rule("CT-3", "Freeze / blacklist / pause powers exist")
def restrict_powers(ctx: Context) -> Outcome:
    """Info when a multisig holds them; caution when a single key does."""
    powers = [
        k
        for k in ("freeze_authority", "pause_authority")
        if ctx.value(k) not in (None, "none", "not present") and not str(ctx.value(k)).startswith("none")
    ]
    sanctions = ctx.value("sanctions_list")
    if sanctions not in (None, "none", "not present"):
        powers.append("sanctions_list")
    if not powers:
        if all(k in ctx.facts for k in ("pause_authority",)) or "freeze_authority" in ctx.facts:
            return Outcome("pass", "Nobody can freeze, blacklist or pause this token.")
        return ctx.missing("pause_authority")
    single = [k for k in powers if (_kind(ctx, k) or "").startswith(PLAIN)]
    unknown = [k for k in powers if k != "sanctions_list" and _kind(ctx, k) is None]
    names = ", ".join(p.replace("_", " ") for p in powers)
    if single:
        keyed = ", ".join(s.replace("_", " ") for s in single)
        return Outcome(
            "caution",
            f"Powers that can stop your transfers exist ({names}), and {keyed} sits with a single key. Expected for a "
            "regulated issuer; the single key is the weak point.",
            tuple(powers),
        )
    if unknown:
        return ctx.missing(*(f"{k}_kind" for k in unknown))
    return Outcome(
        "pass",
        f"Powers that can stop transfers exist ({names}) and are held by multisig or contracts.",
        tuple(powers),
        info=True,
    )


@rule("CT-4", "Paused or frozen now")
def paused(ctx: Context) -> Outcome:
    """A paused token cannot move at all."""
    value = ctx.value("paused")
    if value is None:
        return ctx.missing("paused")
    if value is True:
        return Outcome(
            "critical", "The token is paused right now: no transfer, sale or redemption goes through.", ("paused",)
        )
    if ctx.value("market_trading_halted") is True:
        return Outcome(
            "caution",
            "The token moves on chain, but the issuer has halted its own trading.",
            ("paused", "market_trading_halted"),
        )
    return Outcome("pass", "The token is not paused.", ("paused",))


@rule("CT-5", "Permanent delegate / forced transfer")
def permanent_delegate(ctx: Context) -> Outcome:
    """Someone who can move or burn any holder's tokens."""
    delegate = ctx.value("permanent_delegate")
    if delegate is None:
        return ctx.missing("permanent_delegate")
    if str(delegate).startswith("none"):
        return Outcome("pass", "Nobody can move or burn tokens out of your account.", ("permanent_delegate",))
    kind = _kind(ctx, "permanent_delegate")
    if kind is None:
        return ctx.missing("permanent_delegate_kind")
    status = "warning" if kind.startswith(PLAIN) else "caution"
    return Outcome(
        status,
        f"{delegate} ({kind}) can move or burn tokens out of any holder's account without asking. Issuers use this "
        "for court orders and lost keys; it also means your balance is never fully yours.",
        ("permanent_delegate", "permanent_delegate_kind"),
    )


@rule("CT-6", "New accounts frozen by default")
def frozen_default(ctx: Context) -> Outcome:
    """New token accounts that start frozen need the issuer's approval to receive."""
    if ctx.chain_kind != "solana":
        return Outcome("n/a", "EVM tokens have no default account state.")
    state = ctx.value("default_account_state")
    if state is None:
        return ctx.missing("default_account_state")
    if state == "frozen":
        return Outcome(
            "caution",
            "New accounts start frozen: you can receive tokens only after the issuer thaws your account.",
            ("default_account_state",),
        )
    return Outcome("pass", f"New accounts start {state}.", ("default_account_state",))


@rule("CT-7", "Active transfer hook")
def transfer_hook(ctx: Context) -> Outcome:
    """A program that runs on every transfer can block or tax it."""
    if ctx.chain_kind != "solana":
        return Outcome("n/a", "EVM tokens have no transfer-hook extension (an upgrade could add any logic; see CT-1).")
    program = ctx.value("transfer_hook_program")
    if program is None:
        return ctx.missing("transfer_hook_program")
    if program != "none":
        return Outcome(
            "caution", f"Every transfer calls program {program}, which can refuse it.", ("transfer_hook_program",)
        )
    armed = ctx.value("transfer_hook_authority") not in (None, "none")
    note = " The hook slot is armed: its authority can switch a program on later." if armed else ""
    return Outcome("pass", f"No transfer hook is active.{note}", ("transfer_hook_program", "transfer_hook_authority"))


@rule("CT-8", "Transfer fee")
def transfer_fee(ctx: Context) -> Outcome:
    """A fee taken from every transfer."""
    if ctx.chain_kind == "evm":
        fee = ctx.value("fee_per_year")
        note = (
            f" A yearly fee of {fee * 100:.4f} % is taken through the multiplier."
            if isinstance(fee, Decimal) and fee
            else ""
        )
        return Outcome("pass", f"Backed EVM tokens take no fee on transfers.{note}", ("fee_per_year",))
    bps = ctx.number("transfer_fee")
    if bps is None:
        return ctx.missing("transfer_fee")
    if bps > 0:
        return Outcome("caution", f"Every transfer pays a {bps / 100} % fee to the issuer.", ("transfer_fee",))
    return Outcome("pass", "Transfers carry no fee.", ("transfer_fee",))


@rule("CT-9", "Recent authority change")
def authority_change(ctx: Context) -> Outcome:
    """Any role, admin or authority change in the last 30 days."""
    if "authority_changes_30d" not in ctx.facts:
        return Outcome(
            "unknown",
            "Backcheck did not read the history of role and admin changes, so a recent change is unknown. An "
            "explorer's event log for the contract shows them.",
        )
    changes = ctx.value("authority_changes_30d")
    if changes is None:
        return ctx.missing("authority_changes_30d")
    days = ctx.threshold("CT-9.days")
    if changes:
        listed = "; ".join(
            f"{c['event']} at block {c['block']}" if isinstance(c, dict) else str(c) for c in list(changes)[:8]
        )
        more = f" and {len(changes) - 8} more" if len(changes) > 8 else ""
        return Outcome(
            "caution",
            f"Roles, admin or code changed in the last {days} days: {listed}{more}. Check who "
            "holds each power now (Issuer powers tab).",
            ("authority_changes_30d",),
        )
    return Outcome("pass", f"No role, admin or upgrade change in the last {days} days.", ("authority_changes_30d",))
