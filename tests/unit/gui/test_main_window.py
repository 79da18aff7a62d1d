"""The real main window, driven like a person would, against the anvil test chain."""

import asyncio
import dataclasses
import re
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from backcheck.core import snapshot
from backcheck.core.chains import chain_by_key
from backcheck.core.registry import Deployment, Registry, Token, Underlying
from backcheck.core.report import Origin, make_report
from backcheck.core.settings import Settings
from backcheck.gui.charts import CHARTS
from backcheck.gui.checklist import COLORS
from backcheck.gui.main_window import NOT_LISTED, RETRY_HINT, MainWindow
from tests.helpers.loopback_server import LoopbackServer, Reply
from tests.helpers.rpc_proxy import RpcProxy, methods


@pytest.fixture(scope="module")
def registry():
    return Registry.load()


@pytest.fixture
def window(qtbot, registry, core):
    def make(rpc_url: str = "http://127.0.0.1:9") -> MainWindow:
        settings = Settings.load()
        settings.override("rpc.ethereum", rpc_url)
        w = MainWindow(registry, settings, core)
        qtbot.add_widget(w)
        w.show()
        qtbot.wait_exposed(w)
        return w

    return make


def finding_item(w: MainWindow, rule_id: str):
    tree = w.checklist.tree
    return next(
        tree.topLevelItem(i) for i in range(tree.topLevelItemCount()) if f"] {rule_id} " in tree.topLevelItem(i).text(0)
    )


def search(qtbot, w: MainWindow, text: str, chain: str | None = None) -> None:
    if chain:
        w.chain_combo.setCurrentIndex(w.chain_combo.findData(chain))
    w.search_edit.clear()
    qtbot.keyClicks(w.search_edit, text)
    qtbot.keyClick(w.search_edit, Qt.Key.Key_Return)


@pytest.mark.chain
def test_type_aaplx_pick_ethereum_see_supply(qtbot, window, chain, xstocks_api, artifacts_dir):
    w = window(chain.url)
    w.settings.override("api.xstocks", xstocks_api.url)  # the issuer's live list confirms the address
    search(qtbot, w, "AAPLx")
    rows = w.candidates.candidate_rows()
    assert len(rows) == 8 and w.candidates.group_rows() == [0, 1]
    row = next(r for r in rows if w.candidates.candidate(r).deployment.chain.key == "ethereum")
    w.candidates_view.activated.emit(w.candidates.index(row, 0))
    qtbot.wait_until(lambda: "10,021" in w.supply_label.text(), timeout=10_000)
    block = int(chain.anvil.rpc("eth_blockNumber"), 16)
    assert "AAPLx" in w.supply_label.text()
    assert f"block {block}" in w.provenance_label.text()
    assert chain.url in w.provenance_label.text()
    assert w.official_badge.text() == "OFFICIAL"
    assert w.address_label.text().lower() == chain.addresses["aaplx"].lower()
    assert w.facts.rowCount() >= 4
    assert finding_item(w, "ID-1").text(0).startswith("[PASS] ID-1")
    w.copy_button.click()
    assert QApplication.clipboard().text().lower() == chain.addresses["aaplx"].lower()
    qtbot.wait(100)  # let the layout settle, as the event loop would before a person looks
    shot = artifacts_dir / f"main-window-aaplx-{QApplication.platformName()}.png"
    assert w.grab().save(str(shot), "PNG")


@pytest.mark.chain
def test_chain_filter_reads_at_once(qtbot, window, chain):
    w = window(chain.url)
    search(qtbot, w, "aaplx", chain="ethereum")
    assert len(w.candidates.candidate_rows()) == 1
    qtbot.wait_until(lambda: "10,021" in w.supply_label.text(), timeout=10_000)


@pytest.mark.chain
def test_impostor_address_is_marked(qtbot, window, chain):
    w = window(chain.url)
    search(qtbot, w, chain.addresses["impostor"], chain="ethereum")
    qtbot.wait_until(lambda: w.checklist.tree.topLevelItemCount() > 0, timeout=10_000)
    assert w.official_badge.text() == "NOT ON ANY ISSUER LIST"
    assert w.checklist.tree.topLevelItem(0).text(0) == "[CRITICAL] ID-1 Not the issuer's official token"
    assert w.hold_label.isVisible() and w.hold_label.text() == NOT_LISTED


@pytest.mark.parametrize(
    ("text", "chain", "message"),
    [
        ("ZZZZQ", None, "No token matches 'ZZZZQ'"),
        ("0x9d275685dc284c8eb1c79f6aba7a63dc75ec890a", "solana", "is an EVM address"),
        ("0x9d275685dC284C8eB1C79f6ABA7a63Dc75ec890A", "ethereum", "invalid EIP-55 checksum"),
        ("0x9d275685dC284C8eB1C79f6ABA7a63Dc75ec890A", None, "invalid EIP-55 checksum"),
    ],
)
def test_bad_input_is_one_clear_sentence(qtbot, window, text, chain, message):
    w = window()
    search(qtbot, w, text, chain)
    assert message in w.message_label.text()
    assert w.facts.rowCount() == 0


def test_unreachable_rpc_is_shown_as_unknown(qtbot, window):
    w = window("http://127.0.0.1:9")
    search(qtbot, w, "AAPLx", chain="ethereum")
    qtbot.wait_until(lambda: "Could not reach" in w.message_label.text(), timeout=10_000)
    assert "unknown" in w.supply_label.text()


@pytest.mark.chain
def test_wrong_chain_id_is_explained(qtbot, window, chain):
    w = window()
    w.settings.override("rpc.arbitrum", chain.url)
    search(qtbot, w, "AAPLx", chain="arbitrum")
    qtbot.wait_until(lambda: "serves Ethereum (1), not Arbitrum One" in w.message_label.text(), timeout=10_000)


@pytest.mark.chain
def test_new_search_cancels_the_old_one(qtbot, window, chain):
    proxy = RpcProxy(chain.url)
    proxy.fault = lambda r: Reply(delay=3.0, raw=b"{}") if "eth_call" in methods(r) else None
    try:
        w = window(proxy.url)
        w.settings.override("rpc.arbitrum", chain.url)
        search(qtbot, w, "AAPLx", chain="ethereum")
        qtbot.wait_until(lambda: any("eth_call" in c for c in proxy.calls), timeout=5_000)  # held by the fault
        assert "Reading Ethereum" in w.message_label.text()
        # The window stays responsive and the second search replaces the first.
        search(qtbot, w, "AAPLx", chain="arbitrum")
        qtbot.wait_until(lambda: "serves Ethereum (1), not Arbitrum One" in w.message_label.text(), timeout=10_000)
        qtbot.wait(200)
        assert w.title_label.text().startswith("AAPLx")
        assert "Arbitrum" in w.subtitle_label.text()
    finally:
        proxy.close()


def test_nvdax_on_solana_in_the_window(qtbot, window, solana_rpc, xstocks_api, artifacts_dir):
    from tests.helpers.nvdax import setup_nvdax
    from tests.helpers.solana_rpc import INVENTORY_OWNER

    setup_nvdax(solana_rpc, xstocks_api, pending=True)
    w = window()
    w.settings.override("rpc.solana", solana_rpc.url)
    w.settings.override("api.xstocks", xstocks_api.url)
    search(qtbot, w, "NVDAx", chain="solana")
    qtbot.wait_until(lambda: "Reserves" in w.summary_label.text(), timeout=10_000)
    summary = w.summary_label.text()
    assert "1 token = 1.001701196801074 shares" in summary
    assert "Change scheduled</b>: 1.0025" in summary
    assert "coverage 100.27 %" in summary
    assert "6.0 h old" in summary
    assert "Nakamoto coefficient 3" in summary
    assert "CashDividend effective" in summary
    assert "trading status</b>: not halted; issuer quote 183.42 USD" in summary
    assert "321,821.29653478 NVDAx" in w.supply_label.text()
    assert "Read at slot 449660471" in w.provenance_label.text()
    assert w.holders.rowCount() == 20
    first = [w.holders.data(w.holders.index(0, c)) for c in range(w.holders.columnCount())]
    assert first[1] == INVENTORY_OWNER
    assert "inventory" in first[2].lower()
    assert first[4] == "excluded (labelled wallet)"
    w.tabs.setCurrentWidget(w.holders_page)
    assert w.holders_chart.isVisible() and "28.06 %" in w.holders_chart.accessibleDescription()
    qtbot.wait(100)
    shot = artifacts_dir / f"main-window-nvdax-{QApplication.platformName()}.png"
    assert w.grab().save(str(shot), "PNG")


def test_registry_check_from_the_menu(qtbot, window, xstocks_api):
    xstocks_api.assets = [a for a in xstocks_api.assets if a["symbol"] != "TSLAx"]
    w = window()
    w.settings.override("api.xstocks", xstocks_api.url)
    w.check_registry_action.trigger()
    qtbot.wait_until(lambda: w.registry_check_box is not None, timeout=10_000)
    assert "No longer listed: TSLAx on ethereum" in w.registry_check_box.text()
    w.registry_check_box.close()


@pytest.mark.chain
def test_power_map_table_and_feed_in_the_window(qtbot, window, chain, polygon, artifacts_dir):
    from tests.helpers.evm import Chain
    from tests.helpers.solc import compile_contracts

    Chain(chain.anvil).transact(
        chain.addresses["roles"]["pauser"],
        chain.addresses["bib01"],
        compile_contracts()["BackedTokenV1"],
        "setPause(bool)",
        True,
    )
    w = window(chain.url)
    w.settings.override("rpc.polygon", polygon.url)
    search(qtbot, w, "bIB01", chain="ethereum")
    qtbot.wait_until(lambda: w.powers.rowCount() > 0, timeout=10_000)
    rows = {
        w.powers.data(w.powers.index(r, 0)): [w.powers.data(w.powers.index(r, c)) for c in range(5)]
        for r in range(w.powers.rowCount())
    }
    assert rows["pause authority"][1] == "paused now"
    assert rows["upgrade"][2].startswith("owned contract")
    assert "plain account" in rows["mint authority"][2]
    assert "Reserve feed" in w.summary_label.text()
    assert "covers 100.00 % of the float" in w.summary_label.text()
    assert "Paused now: True" in w.summary_label.text()
    w.tabs.setCurrentWidget(w.powers_view)
    qtbot.wait(100)
    assert w.grab().save(str(artifacts_dir / f"main-window-powers-{QApplication.platformName()}.png"), "PNG")


@pytest.mark.chain
def test_every_evm_chain_combined(qtbot, window, chain):
    from tests.conftest import start_node

    others = {key: start_node(cid) for key, cid in (("bnb", 56), ("arbitrum", 42161))}
    try:
        w = window(chain.url)
        for key, node in others.items():
            w.settings.override(f"rpc.{key}", node.url)
        search(qtbot, w, "AAPLx", chain="all")
        qtbot.wait_until(lambda: "Outstanding on 7 EVM chains" in w.supply_label.text(), timeout=15_000)
        # Four of the seven chains have no node here: the sum is unknown, never a partial figure.
        assert "<b>unknown</b>" in w.supply_label.text()
        assert "Chains read: 3 of 7" in w.provenance_label.text()
        names = {w.facts.data(w.facts.index(r, 0)) for r in range(w.facts.rowCount())}
        assert "arbitrum · total supply" in names
    finally:
        for node in others.values():
            node.stop()


def test_checklist_walks_from_answer_to_raw(qtbot, window, solana_rpc, xstocks_api, jupiter_api, artifacts_dir):
    """Answer → Reasoning → Evidence → Raw for a finding, with 'verify it yourself' at the bottom."""
    import json

    from tests.helpers.nvdax import setup_nvdax

    setup_nvdax(solana_rpc, xstocks_api, pending=True)
    w = window()
    for key, url in (
        ("rpc.solana", solana_rpc.url),
        ("api.xstocks", xstocks_api.url),
        ("api.jupiter", jupiter_api.url),
    ):
        w.settings.override(key, url)
    w.settings.override("country", "US")
    search(qtbot, w, "NVDAx", chain="solana")
    qtbot.wait_until(lambda: w.checklist.tree.topLevelItemCount() > 30, timeout=10_000)
    w.tabs.setCurrentWidget(w.checklist)
    # Answer: the verdict names counts, the worst findings and the red flags raised.
    answer = w.checklist.answer.text()
    assert "<b>Answer</b>:" in answer
    assert "checks measured" in answer
    assert "Red flags of the due-diligence method" in answer
    # The worst come first; RD-8 is a warning for a US resident.
    statuses = [w.checklist.tree.topLevelItem(i).text(0).split("]")[0][1:] for i in range(5)]
    assert statuses[0] in ("CRITICAL", "WARNING")
    rd8 = finding_item(w, "RD-8")
    assert rd8.text(0).startswith("[WARNING] RD-8")
    # Reasoning.
    hd1 = finding_item(w, "HD-1")
    why = hd1.child(0)
    assert why.text(0) == "Why"
    assert "28.06 % of the float" in why.text(1)
    # Evidence: the fact with its source and slot.
    evidence = hd1.child(1)
    row = evidence.child(0)
    assert row.text(0) == "holders top1 share"
    assert "Solana RPC" in row.text(1)
    assert "block/slot 449660471" in row.text(1)
    # Raw: the fact's JSON and the exact call to re-run.
    raw, verify = row.child(0), row.child(1)
    assert raw.text(0) == "Raw"
    assert json.loads(raw.text(1))["value"] == "0.280604"
    assert verify.text(0) == "Verify it yourself"
    assert verify.text(1).startswith('getTokenLargestAccounts ["Xsc9qvGR1efVDFGLrVsmkzv3qi45LTBjeUKSPmx9qEh"]')
    for item in (hd1, evidence, row):
        w.checklist.tree.expandItem(item)
    w.checklist.tree.scrollToItem(verify)
    w.checklist.tree.setCurrentItem(verify)
    assert "getTokenLargestAccounts" in w.checklist.detail.text()
    # Redemption & legal, and the converter filled from the token.
    assert "Backed Assets (JE) Limited" in w.legal.toPlainText()
    assert "unknown — the sources do not say" in w.legal.toPlainText()
    assert w.converter.multiplier.text() == "1.001701196801074"
    w.converter.amount.setText("10")
    assert "10.01701196 shares" in w.converter.result.text()
    assert "After the multiplier change on" in w.converter.result.text()
    w.converter.amount.setText("1,5")
    assert "decimal comma" in w.converter.result.text()
    qtbot.wait(100)
    assert w.grab().save(str(artifacts_dir / f"main-window-checklist-{QApplication.platformName()}.png"), "PNG")


def finish_unseen(w: MainWindow) -> None:
    """Let the running read finish while the GUI thread handles no event: its result stays queued."""
    deadline = time.monotonic() + 10
    while w.bridge.running:
        assert time.monotonic() < deadline, "the read did not finish"
        time.sleep(0.01)
    # The done callback (which queues the result) runs on the loop before this no-op does.
    w.bridge.core.submit(asyncio.sleep(0)).result(5)


def read_nvdax(qtbot, w: MainWindow, solana_rpc, xstocks_api, jupiter_api=None) -> None:
    w.settings.override("rpc.solana", solana_rpc.url)
    w.settings.override("api.xstocks", xstocks_api.url)
    if jupiter_api is not None:
        w.settings.override("api.jupiter", jupiter_api.url)
    search(qtbot, w, "NVDAx", chain="solana")


def shows_no_result(w: MainWindow) -> bool:
    return (
        w.supply_label.text() == ""
        and w.summary_label.text() == ""
        and w.checklist.answer.text() == ""
        and w.checklist.tree.topLevelItemCount() == 0
        and w.facts.rowCount() == 0
    )


@pytest.mark.parametrize("then", ["empty search", "another search"])
def test_a_cancelled_read_that_had_finished_never_lands(qtbot, window, nvdax, then):
    """The read finished and its result is queued; the user searches again before it arrives."""
    slow = LoopbackServer({("POST", "/"): lambda r: Reply(delay=10.0, raw=b"{}")})
    try:
        w = window()
        read_nvdax(qtbot, w, *nvdax)
        finish_unseen(w)
        w.settings.override("rpc.ethereum", slow.url)  # only now: NVDAx's own read covers every chain
        if then == "empty search":
            search(qtbot, w, "")
        else:
            search(qtbot, w, "AAPLx", chain="ethereum")  # a new read, still waiting on the slow node
        qtbot.wait(300)  # the queued result of the cancelled read arrives now
        assert shows_no_result(w)
        assert "NVDAx" not in w.title_label.text()
        if then == "empty search":
            assert w.title_label.text() == "No token selected"
            assert w.message_label.text().startswith("Type a ticker")
        else:
            assert w.title_label.text().startswith("AAPLx")
            assert w.message_label.text().startswith("Reading Ethereum")
        w.bridge.cancel()
    finally:
        slow.close()


def test_a_cancelled_read_stops_reading(qtbot, window, nvdax):
    solana_rpc, xstocks_api = nvdax
    solana_rpc.latency = 1.0
    w = window()
    read_nvdax(qtbot, w, solana_rpc, xstocks_api)
    qtbot.wait_until(lambda: len(solana_rpc.calls) > 0, timeout=5_000)
    search(qtbot, w, "")
    qtbot.wait(300)  # requests sent before the cancel have arrived; each answer takes 1 s
    sent = len(solana_rpc.calls)
    # Uncancelled, the read would go on (the holders' owners) once its first answers arrive.
    qtbot.wait(2_500)
    assert len(solana_rpc.calls) == sent
    assert shows_no_result(w)
    assert w.title_label.text() == "No token selected"


@pytest.mark.parametrize("retry", ["activate the row", "press Enter in the search"])
def test_a_failed_read_can_be_read_again(qtbot, window, nvdax, jupiter_api, retry, artifacts_dir):
    solana_rpc, xstocks_api = nvdax
    solana_rpc.fault = lambda r: Reply(raw=b"<html>Internal error</html>", status=500)
    w = window()
    w.resize(1280, 800)
    read_nvdax(qtbot, w, solana_rpc, xstocks_api, jupiter_api)
    qtbot.wait_until(lambda: RETRY_HINT in w.message_label.text(), timeout=10_000)
    assert "Solana RPC" in w.message_label.text()
    assert "NVDAx" not in w.supply_label.text()
    if retry == "activate the row":
        qtbot.wait(100)
        shot = artifacts_dir / f"main-window-failed-read-{QApplication.platformName()}.png"
        assert w.grab().save(str(shot), "PNG")
    calls = len(solana_rpc.calls)
    solana_rpc.fault = None
    if retry == "activate the row":
        w.candidates_view.setCurrentIndex(w.candidates.index(w.candidates.candidate_rows()[0], 0))
        qtbot.keyClick(w.candidates_view, Qt.Key.Key_Return)
    else:
        qtbot.keyClick(w.search_edit, Qt.Key.Key_Return)
    qtbot.wait_until(lambda: "321,821.29653478 NVDAx" in w.supply_label.text(), timeout=10_000)
    assert len(solana_rpc.calls) > calls
    assert RETRY_HINT not in w.message_label.text()
    assert w.checklist.tree.topLevelItemCount() > 0


def test_the_answer_counts_info_apart_from_passes(qtbot, window, nvdax, jupiter_api, artifacts_dir):
    w = window()
    w.resize(1280, 800)
    read_nvdax(qtbot, w, *nvdax, jupiter_api)
    qtbot.wait_until(lambda: w.checklist.tree.topLevelItemCount() > 30, timeout=10_000)
    tree = w.checklist.tree
    rows = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    info = [r for r in rows if r.text(0).startswith("[INFO]")]
    passes = [r for r in rows if r.text(0).startswith("[PASS]")]
    assert info and passes
    answer = w.checklist.answer.text()
    assert re.search(rf"\b{len(passes)} pass\b", answer), answer
    assert re.search(rf"\b{len(info)} info\b", answer), answer
    assert {r.foreground(0).color().name() for r in info} == {COLORS["info"]}
    assert {r.foreground(0).color().name() for r in passes} == {COLORS["pass"]}
    w.tabs.setCurrentWidget(w.checklist)
    tree.scrollToItem(info[0])
    qtbot.wait(100)
    assert w.grab().save(str(artifacts_dir / f"main-window-answer-{QApplication.platformName()}.png"), "PNG")


def test_search_is_grouped_underlying_issuer_chain(qtbot, window, registry, artifacts_dir):
    w = window()
    w.resize(1280, 800)
    search(qtbot, w, "AAPL")
    model, view = w.candidates, w.candidates_view
    headings = {model.data(model.index(r, 0)): r for r in model.group_rows()}
    assert "Apple (AAPL)" in headings
    backed = headings["Backed Assets (JE) Limited — AAPLx (Apple xStock) on 8 chains · ✔ official"]
    ondo = headings["Ondo Global Markets — AAPLon (Apple (Ondo Tokenized)) on 3 chains · ✔ official"]
    assert all(view.columnSpan(r, 0) == model.columnCount() for r in headings.values())  # a heading spans the table
    assert [model.candidate(r).token.symbol for r in range(ondo + 1, ondo + 4)] == ["AAPLon"] * 3
    assert {model.data(model.index(r, model.COL_OFFICIAL)) for r in range(backed + 1, backed + 9)} == {"✔ official"}
    assert w.message_label.text() == f"{len(model.candidate_rows())} matches — pick the token and chain you hold."
    w.candidates_view.activated.emit(model.index(backed, 0))  # a heading is not a choice: nothing is read
    assert not w.bridge.running and w.report is None
    assert all(view.columnWidth(c) <= 420 for c in range(model.columnCount() - 1))  # the last one stretches
    qtbot.wait(100)
    assert w.grab().save(str(artifacts_dir / f"grouped-search-1280x800-{QApplication.platformName()}.png"), "PNG")


@pytest.mark.chain
def test_pasting_an_address_says_which_token_you_hold(qtbot, window, registry, chain, xstocks_api, artifacts_dir):
    w = window(chain.url)
    w.resize(1280, 800)
    w.settings.override("api.xstocks", xstocks_api.url)
    address = chain.addresses["aaplx"]
    evm = [d for _, d in registry.by_address(address)]
    # The same address on several EVM chains: the token is known; which chain is the holder's to say.
    search(qtbot, w, address)
    assert w.hold_label.text() == (
        f"You hold: Backed Assets (JE) Limited AAPLx (Apple xStock) at this address on {len(evm)} chains — ✔ official"
    )
    assert len(w.candidates.candidate_rows()) == len(evm) and not w.bridge.running
    assert w.message_label.text() == "Pick the chain your tokens are on."
    base = next(r for r in w.candidates.candidate_rows() if w.candidates.candidate(r).deployment.chain.key == "bnb")
    w.candidates_view.activated.emit(w.candidates.index(base, 0))
    assert w.hold_label.text().endswith("AAPLx (Apple xStock) on BNB Smart Chain — ✔ official")
    w.bridge.cancel()
    # With the chain, that exact deployment, read at once.
    search(qtbot, w, address, chain="ethereum")
    assert w.hold_label.text() == "You hold: Backed Assets (JE) Limited AAPLx (Apple xStock) on Ethereum — ✔ official"
    qtbot.wait_until(lambda: w.report is not None, timeout=15_000)
    assert w.official_badge.text() == "OFFICIAL" and w.hold_label.isVisible()
    qtbot.wait(100)
    assert w.grab().save(str(artifacts_dir / f"address-paste-1280x800-{QApplication.platformName()}.png"), "PNG")
    search(qtbot, w, "AAPLx")  # a search by name says nothing of what you hold
    assert not w.hold_label.isVisible()


def test_an_address_on_no_list_is_said_before_anything_is_read(qtbot, window):
    w = window()
    search(qtbot, w, "0x" + "12" * 20)
    assert w.hold_label.isVisible() and w.hold_label.text() == NOT_LISTED
    assert w.message_label.text() == "To read it anyway, pick the chain it is on in the chain list and search again."
    assert not w.bridge.running and w.candidates.rowCount() == 0


HOSTILE_NAME = "<img src=x>" + "N" * 4989  # 5,000 characters, no space to wrap at


def hostile_token() -> Token:
    ethereum = chain_by_key("ethereum")
    deployment = Deployment(ethereum, "0x9d275685dC284C8eB1C79f6ABA7a63Dc75ec890a", 18, "<script>list</script>", "2026")
    return Token(
        "<img src=x>", HOSTILE_NAME, "evil", "<b>Evil</b> Corp", None, Underlying("AAPL", "<i>Apple</i>", None),
        (deployment,), True,
    )  # fmt: skip


def hostile_snapshot(registry, path):
    """A demo file anyone can make: its token's symbol, name, issuer and title are markup and very long."""
    inspection = snapshot.read(snapshot.demo_path("clean")).inspection
    token = dataclasses.replace(hostile_token(), symbol="<img src=x>" + "S" * 900)
    inspection = dataclasses.replace(inspection, target=dataclasses.replace(inspection.target, token=token))
    demo = {"name": "hostile", "title": ("<img src=x> " + "Evil title " * 20)[:200], "teaches": "<i>t</i>"}
    made_by = {"app_version": "x", "thresholds_version": "y"}
    report = make_report(inspection, registry, origin=Origin("demo", made_by, demo=demo))
    data, _ = snapshot.build(report.document, inspection, [], demo=demo)
    path.write_bytes(data)
    return path


def fits_the_window(w: MainWindow) -> None:
    """Nothing asks for more width than the window has: no sideways scrolling."""
    QApplication.processEvents()
    assert w.centralWidget().horizontalScrollBar().maximum() == 0
    assert w.centralWidget().widget().minimumSizeHint().width() < 1280


def test_hostile_and_long_names_are_plain_text_and_elide(qtbot, core, tmp_path, artifacts_dir):
    registry = Registry([hostile_token()], [])
    w = MainWindow(registry, Settings.load(), core)
    qtbot.add_widget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.wait_exposed(w)
    # Candidates: headings and cells as text; the long name elides in a column of bounded width.
    search(qtbot, w, "<img src=x>", chain="ethereum")
    model = w.candidates
    assert model.data(model.index(0, 0)) == "<i>Apple</i> (AAPL)"
    assert model.data(model.index(1, 0)).startswith(f"<b>Evil</b> Corp — <img src=x> ({HOSTILE_NAME}) on 1 chain")
    row = model.candidate_rows()[0]
    assert model.data(model.index(row, model.COL_TOKEN)) == f"<img src=x> — {HOSTILE_NAME}"
    assert w.candidates_view.columnWidth(model.COL_TOKEN) <= 420
    assert w.candidates_view.textElideMode() == Qt.TextElideMode.ElideRight and not w.candidates_view.wordWrap()
    tip = model.data(model.index(row, model.COL_TOKEN), Qt.ItemDataRole.ToolTipRole)
    assert "&lt;img src=x&gt;" in tip and "<img" not in tip and "&lt;script&gt;" in tip
    # Title: the whole name as text, elided on screen, whole in the tooltip.
    title = w.title_label
    assert title.text() == f"<img src=x> — {HOSTILE_NAME}" and title.textFormat() == Qt.TextFormat.PlainText
    qtbot.wait_until(lambda: w.report is not None, timeout=15_000)  # nothing listens: the read ends fast
    shown = QLabel.text(title)  # what the screen shows
    assert shown.endswith("…") and len(shown) < 300 and title.fontMetrics().horizontalAdvance(shown) <= title.width()
    assert "&lt;img src=x&gt;" in title.toolTip() and "<img" not in title.toolTip()
    fits_the_window(w)
    # A demo file with a long symbol, a 5,000-character name and a markup title.
    w.files.open_path(hostile_snapshot(registry, tmp_path / "hostile.backcheck"))
    qtbot.wait_until(lambda: w.snapshot is not None, timeout=10_000)
    qtbot.wait(100)
    assert QLabel.text(w.title_label).endswith("…")
    banner = w.banner.title
    assert banner.textFormat() == Qt.TextFormat.PlainText and banner.text().startswith("<img src=x> Evil title")
    verdict = w.overview.verdict
    assert verdict.textFormat() == Qt.TextFormat.PlainText
    assert QLabel.text(verdict).startswith(
        "<img src=x>SSS"
    ) and "… is <b>Evil</b> Corp's official token" in QLabel.text(verdict)
    assert "S" * 900 in verdict.toolTip().replace("\u200b", "") and "<img" not in verdict.toolTip()
    cards = w.overview.cards
    assert all(card.sentence.textFormat() == Qt.TextFormat.PlainText for card in cards.values())
    assert w.compare_view.button.text() == "Compare every official token of AAPL"
    fits_the_window(w)
    assert w.grab().save(str(artifacts_dir / f"hostile-names-1280x800-{QApplication.platformName()}.png"), "PNG")


@pytest.mark.parametrize(("demo", "view"), [("concentrated", "holders"), ("stale-reserve", "overview")])
def test_charts_on_screen(qtbot, registry, core, artifacts_dir, demo, view):
    """The holders chart above its table, the reserves chart under the answer cards, from a shipped demo."""
    w = MainWindow(registry, Settings.load(), core)
    qtbot.add_widget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.wait_exposed(w)
    w.files.open_demo(next(d for d in w.files.demos if d.name == demo))
    qtbot.wait_until(lambda: w.snapshot is not None, timeout=10_000)
    document = w.report.document
    if view == "holders":
        w.tabs.setCurrentWidget(w.holders_page)
        chart = w.holders_chart
        assert chart.data.holders[0].label == "0x9965…a4dc" and w.holders.rowCount() > 10
        assert chart.geometry().bottom() < w.holders_view.geometry().top()  # above the table it draws
    else:
        chart = w.overview.reserves.chart
        assert chart.data.age.value > 2 * chart.data.cadence.value  # the demo's red flag, drawn
        cards = w.overview.cards.values()
        assert all(chart.mapTo(w.overview, chart.rect().topLeft()).y() > card.geometry().bottom() for card in cards)
    assert chart.isVisible() and chart.accessibleDescription() == chart.data.summary()
    assert chart.data == CHARTS[chart.key][0](document)  # the export's data, from the report on screen
    qtbot.wait(100)
    fits_the_window(w)
    w.centralWidget().ensureWidgetVisible(chart.parentWidget(), 0, 0)  # scrolled down to the whole chart
    qtbot.wait(50)
    assert w.grab().save(str(artifacts_dir / f"{view}-chart-1280x800-{QApplication.platformName()}.png"), "PNG")
