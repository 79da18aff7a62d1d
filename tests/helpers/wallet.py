"""A wallet on the loopback Solana server for "Check my wallet" (F19): registry mints, both token programs.

The owner holds NVDAx (Token-2022, its account frozen, the new multiplier effective), AZNx with its
multiplier below 1 (0.511; one account of 10.00000001 tokens and one of a single raw unit), an
official Ondo mint on the classic Token program, an unlisted mint and an empty NVDAx account;
another owner's account sits beside them.
"""

from __future__ import annotations

from backcheck.core.chains import chain_by_key
from backcheck.core.registry import Registry

from .solana_rpc import NVDAX, TOKEN_PROGRAM, SolanaRpc, nvdax_mint, plain_mint, pubkey, token_account

_REGISTRY = Registry.load()
_SOLANA = chain_by_key("solana")
AZNX = next(c.deployment.address for c in _REGISTRY.search("AZNx", _SOLANA))
ONDO_MINT, ONDO_DECIMALS = next(
    (d.address, d.decimals)
    for t in _REGISTRY.tokens
    if t.issuer_key == "ondo" and t.official
    for d in t.deployments
    if d.chain == _SOLANA and d.decimals is not None
)
OWNER = pubkey("wallet-owner")
PAST = 1_700_000_000  # a multiplier change effective long ago: the new one applies
NVDAX_RAW = 123_456_789_012
NVDAX_SHARES = "1236.66813306538082152998888"  # 1234.56789012 tokens × 1.001701196801074, exactly
NVDAX_SHOWN = "1236.66813306"  # as wallets cut it at 8 decimals


def setup_wallet(rpc: SolanaRpc) -> None:
    """Load the wallet's mints and token accounts."""
    rpc.accounts.update(
        {
            NVDAX: nvdax_mint(effective_at=PAST),
            AZNX: nvdax_mint(multiplier="0.511", new_multiplier="0.511", effective_at=PAST),
            ONDO_MINT: plain_mint(ONDO_DECIMALS, 10**15),
            pubkey("nvdax-ata"): token_account(NVDAX, OWNER, NVDAX_RAW, state="frozen"),
            pubkey("aznx-ata"): token_account(AZNX, OWNER, 1_000_000_001),
            pubkey("aznx-dust"): token_account(AZNX, OWNER, 1),
            pubkey("ondo-ata"): token_account(
                ONDO_MINT, OWNER, 5 * 10**ONDO_DECIMALS, ONDO_DECIMALS, program=TOKEN_PROGRAM
            ),
            pubkey("unlisted-ata"): token_account(pubkey("some-other-mint"), OWNER, 10**9),
            pubkey("empty-ata"): token_account(NVDAX, OWNER, 0),
            pubkey("someone-else"): token_account(NVDAX, pubkey("other-owner"), 10**12),
        }
    )


def many_accounts(rpc: SolanaRpc, count: int) -> None:
    """``count`` token accounts of the owner: unlisted mints, then one NVDAx account last."""
    rpc.accounts[NVDAX] = nvdax_mint(effective_at=PAST)
    for n in range(count - 1):
        rpc.accounts[pubkey(f"spam-{n}")] = token_account(pubkey(f"spam-mint-{n}"), OWNER, 1)
    rpc.accounts[pubkey("last")] = token_account(NVDAX, OWNER, 10**8)
