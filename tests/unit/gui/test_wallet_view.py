"""The Wallet view in the real window, offscreen: holdings exactly, progress, its own job, obsolete reads dropped."""

from __future__ import annotations

import asyncio
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from backcheck.gui.main_window import MainWindow
from backcheck.gui.wallet_view import OFFLINE, WalletModel
from tests.helpers.evm import ACCOUNTS
from tests.helpers.solana_rpc import NVDAX, pubkey
from tests.helpers.wallet import NVDAX_RAW, NVDAX_SHARES, NVDAX_SHOWN, OWNER, many_accounts, setup_wallet


def check(w: MainWindow, address: str, chain: str = "solana") -> None:
    w.wallet_action.trigger()
    view = w.wallet_view
    view.address.setText(address)
    view.chain.setCurrentIndex(view.chain.findData(chain))
    view.button.click()


def row_of(model: WalletModel, symbol: str, raw: int | None = None) -> dict[str, str]:
    for r in range(model.rowCount()):
        h = model.row_object(r)
        if h.token.symbol == symbol and (raw is None or h.facts["balance_raw"].value == raw):
            return {model.HEADERS[c]: model.data(model.index(r, c)) for c in range(model.columnCount())}
    raise AssertionError(symbol)


def test_the_wallet_view_lists_holdings_exactly(qtbot, window, solana_rpc, jupiter_api, artifacts_dir):
    setup_wallet(solana_rpc)
    w = window(**{"rpc.solana": solana_rpc.url, "api.jupiter": jupiter_api.url, "country": "CH"})
    assert "&Wallet" in [a.text() for a in w.menuBar().actions()]
    assert w.wallet_action.shortcut().toString() == "Ctrl+Shift+K"
    check(w, OWNER)
    view = w.wallet_view
    assert w.stack.currentWidget() is view
    qtbot.wait_until(lambda: view.model.rowCount() == 4, timeout=15_000)
    nvda = row_of(view.model, "NVDAx")
    assert nvda["Raw balance"] == str(NVDAX_RAW)
    assert nvda["Wallets show"] == NVDAX_SHOWN
    assert nvda["Shares"] == f"≈ {NVDAX_SHOWN}"  # 27 digits: cut in the cell, exact in the tooltip
    assert nvda["Frozen / sanctioned"] == "✖ frozen"
    assert nvda["Listed as"] == "✔ official"
    assert nvda["Country excluded? (RD-8)"] == "✔ not excluded"  # CH is not among the excluded countries
    assert nvda["Value (USD)"] == "≈ 226928.60241749"  # shares × NVDA's 183.50 USD, exact in the tooltip
    assert row_of(view.model, "AZNx", 1)["Value (USD)"] == "unknown"  # no price: unknown, never 0
    dust = row_of(view.model, "AZNx", 1)
    assert dust["Wallets show"] == "< 0.00000001"  # never a bare 0
    assert dust["Shares"] == "0.00000000511"
    tooltip = view.model.data(view.model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert tooltip.startswith("<p style='white-space:pre-wrap'>")  # plain text, escaped
    nvda_row = next(r for r in range(4) if view.model.row_object(r).token.symbol == "NVDAx")
    assert NVDAX_SHARES in view.model.data(view.model.index(nvda_row, 0), Qt.ItemDataRole.ToolTipRole)
    flag = view.model.data(view.model.index(nvda_row, WalletModel.FLAG), Qt.ItemDataRole.ForegroundRole)
    assert flag.name() == "#9b1c1c"
    assert view.message.text().startswith("4 holdings found.\nSolana (slot 449660471, 2 round trips)")
    assert not view.progress.isVisible()
    view.view.selectRow(0)
    qtbot.wait(100)
    header = view.view.horizontalHeader()
    assert header.length() <= view.view.viewport().width() + 2, "a column is cut off at 1280×800"
    assert view.minimumSizeHint().width() < 1280
    assert w.grab().save(str(artifacts_dir / f"wallet-view-1280x800-{QApplication.platformName()}.png"), "PNG")


def test_progress_is_shown_while_reading(qtbot, window, solana_rpc):
    many_accounts(solana_rpc, 5_000)
    solana_rpc.latency = 0.6
    w = window(**{"rpc.solana": solana_rpc.url, "wallet.max_token_accounts": "4000"})
    shown: list[str] = []
    w.wallet_view.progressed.connect(lambda job, text: shown.append(text))
    check(w, OWNER)
    view = w.wallet_view
    assert view.progress.isVisible() and view.bridge.running
    qtbot.wait_until(lambda: view.message.text().startswith("Reading Solana at"), timeout=15_000)
    qtbot.wait_until(lambda: not view.bridge.running, timeout=15_000)
    qtbot.wait_until(lambda: "Solana: 5,000 token accounts listed; parsing 4,000" in shown, timeout=5_000)
    qtbot.wait_until(lambda: not view.progress.isVisible(), timeout=5_000)
    assert "1,000 of 5,000 token accounts were not parsed (the cap is 4,000" in view.message.text()
    assert view.model.rowCount() == 0  # the NVDAx account came last, past the cap: unknown, not "none"
    assert "holds none of the listed tokens that could be read" in view.message.text()


def finish_unseen(view) -> None:
    """Let the read finish while the GUI thread handles no event: its result stays queued."""
    deadline = time.monotonic() + 30
    while view.bridge.running:
        assert time.monotonic() < deadline, "the read did not finish"
        time.sleep(0.01)
    view.bridge.core.submit(asyncio.sleep(0)).result(5)


def test_a_cancelled_read_never_lands(qtbot, window, solana_rpc):
    setup_wallet(solana_rpc)
    w = window(**{"rpc.solana": solana_rpc.url})
    check(w, OWNER)
    view = w.wallet_view
    finish_unseen(view)
    view.cancel()  # the result (and progress) are queued: dropped when they arrive
    qtbot.wait(200)
    assert view.model.rowCount() == 0 and view.wallet is None


def test_a_new_read_replaces_the_old_one(qtbot, window, solana_rpc):
    setup_wallet(solana_rpc)
    solana_rpc.latency = 0.4
    w = window(**{"rpc.solana": solana_rpc.url})
    check(w, OWNER)
    view = w.wallet_view
    first = view.bridge.current_id
    check(w, pubkey("another-wallet"))  # an empty one
    assert view.bridge.current_id != first
    qtbot.wait_until(lambda: view.wallet is not None, timeout=15_000)
    qtbot.wait(900)  # the first read would have landed by now
    assert view.wallet.address != OWNER and view.model.rowCount() == 0


def test_open_report_reads_the_selected_token(qtbot, window, solana_rpc):
    setup_wallet(solana_rpc)
    w = window(**{"rpc.solana": solana_rpc.url})
    check(w, OWNER)
    view = w.wallet_view
    qtbot.wait_until(lambda: view.model.rowCount() == 4, timeout=15_000)
    row = next(r for r in range(4) if view.model.row_object(r).token.symbol == "NVDAx")
    view.view.selectRow(row)
    assert view.open_button.isEnabled()
    view.open_button.click()
    assert w.stack.currentIndex() == 1 and w.title_label.text().startswith("NVDAx")
    w.bridge.cancel()


@pytest.mark.parametrize(
    ("address", "chain", "expected"),
    [
        ("0x1234", "ethereum", "is not a wallet address"),
        (OWNER, "ethereum", "but Ethereum wallets are an EVM address"),
        (NVDAX, "solana", "is the NVDAx token contract"),
    ],
)
def test_bad_input_is_one_sentence(qtbot, window, address, chain, expected):
    w = window()
    check(w, address, chain)
    view = w.wallet_view
    qtbot.wait_until(lambda: expected in view.message.text(), timeout=10_000)
    assert "Traceback" not in view.message.text() and not view.progress.isVisible()


def test_offline_refuses_with_one_sentence(qtbot, window):
    w = window(offline="on")
    check(w, OWNER)
    assert w.wallet_view.message.text() == OFFLINE and not w.wallet_view.bridge.running


def test_the_model_is_a_proper_table_model(qtmodeltester, window, solana_rpc, qtbot):
    setup_wallet(solana_rpc)
    w = window(**{"rpc.solana": solana_rpc.url})
    check(w, OWNER)
    qtbot.wait_until(lambda: w.wallet_view.model.rowCount() == 4, timeout=15_000)
    qtmodeltester.check(w.wallet_view.model)


@pytest.mark.chain
def test_an_evm_wallet_on_the_test_chain(qtbot, window, chain, artifacts_dir):
    w = window(**{"rpc.ethereum": chain.url})
    check(w, ACCOUNTS[5], "ethereum")
    view = w.wallet_view
    qtbot.wait_until(lambda: view.model.rowCount() == 2, timeout=30_000)
    aaplx, bib01 = row_of(view.model, "AAPLx"), row_of(view.model, "bIB01")
    assert aaplx["Frozen / sanctioned"] == "✔ not sanctioned" and aaplx["Chain"] == "Ethereum"
    assert bib01["Shares"] == "unknown" and bib01["Wallets show"] == "6000"  # no multiplier: unknown, not 6000
    header = view.view.horizontalHeader()
    assert header.length() <= view.view.viewport().width() + 2, "a column is cut off at 1280×800"
    qtbot.wait(100)
    assert w.grab().save(str(artifacts_dir / f"wallet-view-evm-1280x800-{QApplication.platformName()}.png"), "PNG")
