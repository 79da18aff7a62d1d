"""The test chain's clock is fixed relative to the committed state, never today's date."""

from __future__ import annotations

import gzip
import json

import pytest

from tests.conftest import CLOCK_START_AFTER_DUMP
from tests.helpers.paths import STATE_FIXTURE


def _head_time(chain) -> int:
    return int(chain.anvil.rpc("eth_getBlockByNumber", "latest", False)["timestamp"], 16)


@pytest.mark.chain
@pytest.mark.parametrize("round_", [1, 2])
def test_each_test_starts_at_the_same_chain_time(chain, round_):
    dumped = int(json.loads(gzip.decompress(STATE_FIXTURE.read_bytes()))["block"]["timestamp"], 16)
    assert _head_time(chain) == dumped + CLOCK_START_AFTER_DUMP
    chain.anvil.rpc("evm_increaseTime", hex(86_400 * round_))  # reverted after the test
    chain.anvil.rpc("evm_mine")
    assert _head_time(chain) >= dumped + CLOCK_START_AFTER_DUMP + 86_400 * round_
