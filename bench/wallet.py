"""Check my wallet: the sequential RPC round trips per chain, and the wall time, behind a latency.

A loopback proxy (EVM, in front of anvil with the committed test state) and the loopback Solana
server add the same latency to every request; the critical path (``bench.critical_path.chain``)
is the longest run of requests each waiting for the one before. The EVM wallet holds AAPLx with a
sanctions list set, so its second round trip (``isSanctioned``) is taken; the Solana wallet holds
four listed tokens (round 2 reads their mints). A third run lists 5,000 token accounts.

Run: ``.venv/bin/python -m bench.wallet [latency_ms]`` (default 150).
"""

from __future__ import annotations

import asyncio
import platform
import sys
import time
from typing import Any

from bench.critical_path import chain, trips


def _run(address: str, chain_key: str, settings: Any) -> Any:
    from backcheck.core.http import Http
    from backcheck.core.registry import Registry
    from backcheck.core.rules import RuleConfig
    from backcheck.core.wallet import check_wallet

    registry = Registry.load()

    async def go() -> Any:
        http = Http()
        try:
            return await check_wallet(address, chain_key, settings, http, registry, RuleConfig.load(settings))
        finally:
            await http.aclose()

    return asyncio.run(go())


def evm(latency: float) -> tuple[list[list[str]], float, str]:
    """AAPLx and bIB01 on Ethereum (1,168 listed tokens, one batch of Multicall3 chunks)."""
    from bench.run import local_settings
    from tests.conftest import start_node
    from tests.helpers.evm import ACCOUNTS, Chain
    from tests.helpers.rpc_proxy import RpcProxy
    from tests.helpers.solc import compile_contracts

    node = start_node(1)
    art = compile_contracts()
    proxy = RpcProxy(node.url, latency=latency)
    try:
        import json

        from tests.helpers.paths import ADDRESSES

        addresses = json.loads(ADDRESSES.read_text())
        sanctions, owner = addresses["sanctions_list"], addresses["roles"]["owner"]
        Chain(node).transact(
            owner, addresses["aaplx"], art["BackedAutoFeeToken"], "setSanctionsList(address)", sanctions
        )
        settings = local_settings(rpc_ethereum=proxy.url)
        start = time.perf_counter()
        wallet = _run(ACCOUNTS[5], "ethereum", settings)
        wall = time.perf_counter() - start
        return chain(proxy.spans), wall, wallet.chains[0].sentence()
    finally:
        proxy.close()
        node.stop()


def solana(latency: float, accounts: int = 0) -> tuple[list[list[str]], float, str]:
    """The loopback wallet (four holdings), or ``accounts`` token accounts of which one is listed."""
    from bench.run import local_settings
    from tests.helpers.solana_rpc import SolanaRpc
    from tests.helpers.wallet import OWNER, many_accounts, setup_wallet

    rpc = SolanaRpc({}, latency=latency)
    try:
        if accounts:
            many_accounts(rpc, accounts)
        else:
            setup_wallet(rpc)
        settings = local_settings(rpc_solana=rpc.url)
        start = time.perf_counter()
        wallet = _run(OWNER, "solana", settings)
        wall = time.perf_counter() - start
        return chain(rpc.spans), wall, wallet.chains[0].sentence()
    finally:
        rpc.close()


def main() -> None:
    latency = float(sys.argv[1]) / 1000 if len(sys.argv) > 1 else 0.15
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, {latency * 1000:.0f} ms")
    for name, measure in (
        ("EVM (Ethereum, AAPLx + bIB01, sanctions list set)", lambda: evm(latency)),
        ("Solana (4 holdings, both token programs)", lambda: solana(latency)),
        ("Solana (5,000 token accounts)", lambda: solana(latency, 5_000)),
    ):
        path, wall, sentence = measure()
        print(f"{name}: {len(path)} sequential RPC round trips at {latency * 1000:.0f} ms each, wall {wall:.2f} s")
        print(f"  {trips(path)}")
        print(f"  {sentence[:200]}")


if __name__ == "__main__":
    main()
