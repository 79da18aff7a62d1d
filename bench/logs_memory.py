"""Peak memory and speed of decoding + aggregating 1,000,000 transfer logs (run in its own process).

Usage: python -m bench.logs_memory [LOGS] [HOLDERS]. Logs arrive as raw JSON-RPC bodies of
10,000 logs each, like eth_getLogs answers; prints one JSON line.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

from backcheck.core.logscan import TRANSFER_SHARES, apply_logs

CHUNK = 10_000


def body(start: int, count: int, holders: int) -> bytes:
    logs = []
    for i in range(start, start + count):
        sender, receiver = (i * 7919) % holders, (i * 104729 + 1) % holders
        logs.append(
            {
                "address": "0x9d275685dc284c8eb1c79f6aba7a63dc75ec890a",
                "topics": [TRANSFER_SHARES, "0x" + f"{sender:064x}", "0x" + f"{receiver:064x}"],
                "data": "0x" + f"{1000 + i % 97:064x}",
                "blockNumber": hex(1000 + i // 500),
                "transactionHash": "0x" + f"{i:064x}",
                "transactionIndex": "0x0",
                "blockHash": "0x" + f"{i // 500:064x}",
                "logIndex": hex(i % 500),
                "removed": False,
            }
        )
    return json.dumps({"jsonrpc": "2.0", "id": 1, "result": logs}).encode()


def high_water_mb() -> float:
    """This process's peak resident memory (VmHWM; ru_maxrss would include the parent's after fork)."""
    match = re.search(r"VmHWM:\s+(\d+) kB", Path("/proc/self/status").read_text())
    return int(match.group(1)) / 1024 if match else float("nan")


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    holders = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    before = high_water_mb()
    balances: dict[str, int] = {}
    seconds = 0.0
    for start in range(0, total, CHUNK):
        raw = body(start, min(CHUNK, total - start), holders)  # the node's answer (not timed)
        began = time.perf_counter()
        logs = json.loads(raw)["result"]
        apply_logs(logs, balances, set())
        seconds += time.perf_counter() - began
        del raw, logs
    after = high_water_mb()
    result = {
        "logs": total,
        "holders": len(balances),
        "seconds": seconds,
        "logs_per_s": total / seconds,
        "peak_rss_mb": after,
        "rss_before_mb": before,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
