"""Generate many transfers among many holders on anvil, at test time (not committed).

Each batchTransfer call moves tokens to many receivers in one transaction, staying below the
2^24 per-transaction gas cap of current Ethereum rules (facts-toolchain.md §2).
"""

from __future__ import annotations

import hashlib

from .evm import ACCOUNTS, Chain, calldata

TX_GAS_CAP = 16_000_000


def holder(i: int) -> str:
    return "0x" + hashlib.sha256(f"holder-{i}".encode()).hexdigest()[:40]


def generate(chain: Chain, token: str, token_art: dict, minter: str, holders: int, transfers: int) -> int:
    """Mint to the dev accounts, then spread ``transfers`` transfers over ``holders`` addresses.

    Returns the number of transactions sent. Every transfer emits Transfer and TransferShares.
    """
    senders = ACCOUNTS[:8]
    per_sender = 10**24
    for sender in senders:
        chain.transact(minter, token, token_art, "mint(address,uint256)", sender, per_sender)
    chain.anvil.rpc("anvil_setBlockGasLimit", hex(30_000_000))
    sent = 0
    # First reach every holder once (new storage slots are expensive), then keep moving.
    targets = [holder(i % holders) for i in range(transfers)]
    i = 0
    while i < len(targets):
        fresh = i < holders
        size = 250 if fresh else 1_000
        chunk = targets[i : i + size]
        sender = senders[(i // size) % len(senders)]
        data = calldata(token_art, "batchTransfer(address[],uint256[])", chunk, [10**15] * len(chunk))
        tx = {"from": sender, "to": token, "data": data, "gas": hex(TX_GAS_CAP)}
        chain.anvil.rpc("eth_sendTransaction", tx)
        sent += 1
        i += size
    chain.anvil.rpc("evm_mine")
    return sent
