"""The bridge on a real core loop: one job at a time, and a cancelled job is never delivered."""

import asyncio
import threading
import weakref

import pytest

from backcheck.core.errors import SourceError
from backcheck.gui.bridge import INTERRUPTED, CoreBridge


@pytest.fixture
def bridge(qapp, core):
    return CoreBridge(core)


async def blocked(started: threading.Event, stopped: threading.Event) -> str:
    """Wait until cancelled, saying when it started and when it was stopped."""
    started.set()
    try:
        await asyncio.Event().wait()
    except asyncio.CancelledError:
        stopped.set()
        raise
    return "never"


async def returns(value: object) -> object:
    return value


async def raises(exc: BaseException) -> None:
    raise exc


def test_cancel_stops_the_job_and_delivers_nothing(qtbot, bridge):
    started, stopped = threading.Event(), threading.Event()
    bridge.run(blocked(started, stopped))
    assert started.wait(5)
    assert bridge.running
    with qtbot.assertNotEmitted(bridge.succeeded, wait=200), qtbot.assertNotEmitted(bridge.failed, wait=200):
        bridge.cancel()
        assert stopped.wait(5), "the cancelled coroutine kept running"
    assert bridge.current_id == 0
    assert not bridge.running


def test_a_new_job_replaces_the_running_one(qtbot, bridge):
    started, stopped = threading.Event(), threading.Event()
    first = bridge.run(blocked(started, stopped))
    assert started.wait(5)
    with qtbot.waitSignal(bridge.succeeded, timeout=5_000) as blocker:
        second = bridge.run(returns("second"))
    assert stopped.wait(5)
    assert second != first
    assert blocker.args == [second, "second"]
    assert bridge.current_id == second
    assert not bridge.running


@pytest.mark.parametrize(
    ("exc", "message"),
    [
        (SourceError("Solana RPC did not answer."), "Solana RPC did not answer."),
        (ValueError("bad"), "Something went wrong inside Backcheck (ValueError); nothing was changed. A crash report"),
        # Cancelled by the core (a cancelled inner task, or the loop stopping), not by the bridge:
        # the window must not wait for it forever.
        (asyncio.CancelledError(), INTERRUPTED),
    ],
)
def test_a_failed_job_is_one_message(qtbot, bridge, exc, message):
    with qtbot.waitSignal(bridge.failed, timeout=5_000) as blocker:
        job = bridge.run(raises(exc))
    assert blocker.args[0] == job and blocker.args[1].startswith(message)


def test_the_bridge_is_not_kept_alive_by_its_running_job(qtbot, core):
    """The future holds the bridge weakly: no bridge ↔ future cycle holds a QObject."""
    started, stopped = threading.Event(), threading.Event()
    bridge = CoreBridge(core)
    bridge.run(blocked(started, stopped))
    assert started.wait(5)
    gone = weakref.ref(bridge)
    del bridge
    assert gone() is None
