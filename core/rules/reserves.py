"""RS-*: is the token backed one to one, now, and is the evidence any good?"""

from __future__ import annotations

from decimal import Decimal

from .engine import Context, Outcome, rule


def _proofs(ctx: Context) -> list[tuple[str, str, str, str]]:
    """(kind, age fact, cadence fact, coverage fact) for each proof-of-reserve source present."""
    out = []
    if "reserves_age_hours" in ctx.facts:
        out.append(("issuer's proof of reserve", "reserves_age_hours", "reserves_cadence_hours", "reserves_coverage"))
    if "reserves_feed_age_hours" in ctx.facts:
        out.append(
            ("reserve feed", "reserves_feed_age_hours", "reserves_feed_heartbeat_hours", "reserves_feed_coverage")
        )
    return out


@rule("RS-1", "Proof of reserve stale")
def stale(ctx: Context) -> Outcome:
    """Age above twice the promised cadence (72 h when no cadence is promised)."""
    proofs = _proofs(ctx)
    if not proofs:
        return Outcome("unknown", "No proof of reserve was read for this token, so its freshness is unknown.")
    worst: Outcome | None = None
    for kind, age_key, cadence_key, _ in proofs:
        age = ctx.number(age_key)
        if age is None:
            return ctx.missing(age_key)
        cadence = ctx.number(cadence_key)
        limit = (
            cadence * ctx.threshold("RS-1.cadence_multiple") if cadence else ctx.threshold("RS-1.unknown_cadence_hours")
        )
        promised = f"promised every {cadence} h" if cadence else "no cadence promised"
        if age > limit:
            return Outcome(
                "warning",
                f"The {kind} is {age} h old, more than {limit} h ({promised}). Between proofs, nobody shows that the "
                "shares are still there.",
                (age_key, cadence_key),
            )
        worst = Outcome("pass", f"The {kind} is {age} h old ({promised}; stale after {limit} h).", (age_key,))
    assert worst is not None
    return worst


@rule("RS-2", "Reserve shortfall")
def shortfall(ctx: Context) -> Outcome:
    """Reserves below outstanding tokens beyond a 0.1 % tolerance: more tokens than shares."""
    proofs = [(kind, cov) for kind, _, _, cov in _proofs(ctx) if cov in ctx.facts]
    if not proofs:
        return Outcome(
            "unknown",
            "No reserve coverage could be computed (no proof of reserve, or the outstanding supply is unknown).",
        )
    floor = 1 - ctx.threshold("RS-2.tolerance")
    results = []
    for kind, key in proofs:
        coverage = ctx.number(key)
        if coverage is None:
            return ctx.missing(key)
        if coverage < floor:
            return Outcome(
                "critical",
                f"The {kind} covers only {coverage * 100:.2f} % of the tokens outstanding. Some tokens have no "
                "shares behind them (over-issuance).",
                (key,),
            )
        results.append(f"{kind}: {coverage * 100:.2f} %")
    return Outcome(
        "pass", f"Reserves cover the tokens outstanding ({'; '.join(results)}).", tuple(k for _, k in proofs)
    )


@rule("RS-3", "Issuer figures don't add up")
def figures(ctx: Context) -> Outcome:
    """One chain's outstanding above the issuer's all-chain circulating supply."""
    total = ctx.number("outstanding_all_chains")
    part_key = "outstanding_evm_chains" if "outstanding_evm_chains" in ctx.facts else "float"
    part = ctx.number(part_key)
    if total is None or part is None:
        return ctx.missing("outstanding_all_chains", part_key)
    if part > total * (1 + ctx.threshold("RS-3.tolerance")):
        return Outcome(
            "warning",
            f"This chain alone has {part} tokens outstanding, more than the {total} the issuer reports for all "
            "chains together. One of the two figures is wrong.",
            (part_key, "outstanding_all_chains"),
        )
    return Outcome(
        "pass",
        f"{part} outstanding here fits within the issuer's {total} across all chains.",
        (part_key, "outstanding_all_chains"),
    )


@rule("RS-4", "Weak reserve evidence")
def evidence(ctx: Context) -> Outcome:
    """An oracle feed beats an issuer's own figures; none at all is worst."""
    feed, issuer = ctx.facts.get("reserves_feed_answer"), ctx.facts.get("reserves_shares")
    if feed is not None and feed.known:
        return Outcome(
            "pass",
            "Reserves are published on chain through an oracle feed, fed by a third party's "
            "look at the custody accounts.",
            ("reserves_feed_answer",),
        )
    if feed is not None or (issuer is not None and not issuer.known):
        return ctx.missing(*(k for k in ("reserves_feed_answer", "reserves_shares") if k in ctx.facts))
    if issuer is not None:
        return Outcome(
            "caution",
            "The only proof of reserve is the issuer's own report through its API. It is better than nothing, but "
            "nobody independent publishes it.",
            ("reserves_shares",),
        )
    return Outcome(
        "warning",
        "No proof of reserve exists that Backcheck knows of for this token. 'Fully backed' is "
        "then a promise, not something you can check.",
    )


@rule("RS-6", "Invalid oracle round")
def oracle_round(ctx: Context) -> Outcome:
    """Answer ≤ 0, updatedAt = 0, or answeredInRound < roundId."""
    if "reserves_feed_answer" not in ctx.facts:
        return Outcome("n/a", "This token has no reserve feed.")
    check = ctx.value("reserves_feed_round_check")
    if check is None:
        return ctx.missing("reserves_feed_round_check")
    if check != "ok":
        return Outcome(
            "warning",
            f"The reserve feed's latest round is not sane: {check}. Do not rely on its answer.",
            ("reserves_feed_round_check",),
        )
    return Outcome("pass", "The reserve feed's latest round is complete and positive.", ("reserves_feed_round_check",))


@rule("RS-7", "Unexplained supply jump")
def supply_jump(ctx: Context) -> Outcome:
    """Tokens outstanding moved more than 10 % since the last reserve report."""
    then, now = ctx.number("outstanding_all_chains"), ctx.number("outstanding_now_all_chains")
    if then is None or now is None:
        return Outcome(
            "unknown",
            "Needs the issuer's current circulating supply across all chains next to the figure in its last proof; "
            "Backcheck did not read the current one, so a jump since the proof is unknown.",
            ("outstanding_all_chains",),
        )
    change = abs(now - then) / then if then else Decimal(0)
    if change > ctx.threshold("RS-7.supply_jump"):
        return Outcome(
            "caution",
            f"Supply moved {change * 100:.1f} % since the last proof of reserve; the proof may "
            "not cover the new tokens yet.",
            ("outstanding_all_chains", "outstanding_now_all_chains"),
        )
    return Outcome(
        "pass",
        f"Supply moved {change * 100:.1f} % since the last proof.",
        ("outstanding_all_chains", "outstanding_now_all_chains"),
    )
