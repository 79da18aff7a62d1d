"""The Compare tab in the real window, against the anvil test chain: on demand, its own job, the worst marked."""

from __future__ import annotations

import asyncio
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from backcheck.core.compare import LABELS, Cell, Comparison, Row
from backcheck.core.settings import Settings
from backcheck.core.snapshot import load_source
from backcheck.gui.compare_view import DEMO, OFFLINE, UNLISTED, WORST, CompareModel, CompareView
from backcheck.gui.main_window import MainWindow

HOSTILE = "<img src=x>" + "N" * 4989


def read_aaplx(qtbot, w: MainWindow) -> None:
    w.chain_combo.setCurrentIndex(w.chain_combo.findData("ethereum"))
    w.search_edit.setText("AAPLx")
    w.search()
    qtbot.wait_until(lambda: w.report is not None, timeout=15_000)


def compare_on_ethereum(w: MainWindow) -> None:
    view = w.compare_view
    w.tabs.setCurrentWidget(view)
    view.scope.setCurrentIndex(view.scope.findData(w.report.inspection.target.chain))
    assert view.scope.currentText() == "on Ethereum only (2 tokens)"
    view.button.click()


def cells(model: CompareModel, role=Qt.ItemDataRole.DisplayRole) -> dict[str, list]:
    c = model.comparison
    return {
        c.rows[r].label: [model.data(model.index(r, col), role) for col in range(model.columnCount())]
        for r in range(model.rowCount())
    }


@pytest.mark.chain
def test_compare_every_official_token_on_the_test_chain(qtbot, window, chain, xstocks_api, artifacts_dir):
    w = window(**{"rpc.ethereum": chain.url, "api.xstocks": xstocks_api.url})
    read_aaplx(qtbot, w)
    view = w.compare_view
    assert w.tabs.tabText(w.tabs.count() - 1) == "Compare"
    assert view.button.text() == "Compare every official token of AAPL"
    assert view.model.rowCount() == 0 and not view.bridge.running  # never on its own: it reads every token live
    token_job, report = w.bridge.current_id, w.report
    compare_on_ethereum(w)
    assert view.bridge.running and view.message.text().startswith("Reading every official token of AAPL")
    qtbot.wait_until(lambda: view.model.columnCount() == 2, timeout=30_000)
    assert w.bridge.current_id == token_job and w.report is report  # its own job: the token's read stands
    model = view.model
    header = [model.headerData(n, Qt.Orientation.Horizontal) for n in range(2)]
    assert header == ["AAPLon · Ethereum", "AAPLx · Ethereum"]
    assert [model.headerData(r, Qt.Orientation.Vertical) for r in range(model.rowCount())] == list(LABELS)
    shown = cells(model)
    # Nothing is deployed at AAPLon's address on the test chain: its float is unknown, and that is the worst.
    assert shown["Float"][0] == f"? Unknown   {WORST}\nunknown"
    assert shown["Float"][1].endswith("\n1002.1 tokens") and WORST not in shown["Float"][1]
    assert model.data(model.index(LABELS.index("Float"), 0), Qt.ItemDataRole.FontRole).bold()
    assert model.data(model.index(LABELS.index("Float"), 1), Qt.ItemDataRole.FontRole) is None
    assert shown["Official"] == ["✔ Pass\nOfficial: on the issuer's list"] * 2
    for row in model.comparison.rows:  # the worst cell of every row is marked, and only that one
        marked = [n for n, text in enumerate(shown[row.label]) if WORST in text]
        assert marked == ([] if row.worst is None else [row.worst])
    tips = cells(model, Qt.ItemDataRole.ToolTipRole)
    assert "Float of AAPLon · Ethereum: ? Unknown" in tips["Float"][0]
    assert "<img" not in "".join(t for row in tips.values() for t in row)
    assert view.message.text().startswith("2 official tokens of AAPL side by side, read live.")
    qtbot.wait(100)
    assert w.grab().save(str(artifacts_dir / f"compare-tab-1280x800-{QApplication.platformName()}.png"), "PNG")


def finish_unseen(view) -> None:
    """Let the comparison finish while the GUI thread handles no event: its result stays queued."""
    deadline = time.monotonic() + 30
    while view.bridge.running:
        assert time.monotonic() < deadline, "the comparison did not finish"
        time.sleep(0.01)
    view.bridge.core.submit(asyncio.sleep(0)).result(5)


@pytest.mark.chain
def test_an_obsolete_comparison_never_lands(qtbot, window, chain, xstocks_api):
    w = window(**{"rpc.ethereum": chain.url, "api.xstocks": xstocks_api.url})
    read_aaplx(qtbot, w)
    compare_on_ethereum(w)
    finish_unseen(w.compare_view)
    w.search_edit.setText("")
    w.search()  # a new search: the comparison belonged to the token that was on screen
    qtbot.wait(300)  # the queued result arrives now
    assert w.compare_view.model.rowCount() == 0 and w.compare_view.report is None
    assert w.compare_view.message.text() == ""


def test_refused_offline_with_one_sentence(qtbot, window):
    w = window()
    _, report = load_source("demo:clean", w.registry)
    w.compare_view.show_report(report)
    w.settings.override("offline", "on")
    w.compare_view.button.click()
    assert w.compare_view.message.text() == OFFLINE and not w.compare_view.bridge.running


def test_refused_for_a_demo_with_one_sentence(qtbot, window):
    w = window()
    w.files.open_demo(next(d for d in w.files.demos if d.name == "clean"))
    qtbot.wait_until(lambda: w.report is not None, timeout=10_000)
    assert w.compare_view.message.text() == DEMO  # said before it is asked, and again when it is
    w.compare_view.button.click()
    assert w.compare_view.message.text() == DEMO and not w.compare_view.bridge.running
    assert w.compare_view.model.rowCount() == 0


def test_an_address_on_no_list_has_nothing_to_compare(qtbot, window):
    w = window()
    w.chain_combo.setCurrentIndex(w.chain_combo.findData("ethereum"))
    w.search_edit.setText("0x" + "12" * 20)
    w.search()
    qtbot.wait_until(lambda: w.report is not None, timeout=15_000)  # the read fails fast: nothing listens here
    assert w.compare_view.intro.text() == UNLISTED and not w.compare_view.button.isEnabled()


def hostile_comparison() -> Comparison:
    report = load_source("demo:clean")[1]
    cells = (Cell(f"{HOSTILE} <b>text</b>", "warning"), Cell("fine", "pass"))
    rows = tuple(Row(label, cells, 0) for label in LABELS)
    return Comparison("AAPL", (f"{HOSTILE} · Ethereum", "AAPLx · Ethereum"), rows, (report, report))


def test_the_model_shows_status_as_icon_word_and_colour(qtmodeltester):
    model = CompareModel()
    model.set_comparison(hostile_comparison())
    qtmodeltester.check(model)
    first = model.data(model.index(0, 0))
    assert first.startswith(f"▲ Warning   {WORST}\n<img src=x>NNN") and first.endswith("…")  # cut; the tooltip has all
    assert model.data(model.index(0, 1)) == "✔ Pass\nfine"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ForegroundRole).name() == "#b34700"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.BackgroundRole) is not None
    tip = model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert "&lt;img src=x&gt;" in tip and "&lt;b&gt;text&lt;/b&gt;" in tip and "<img" not in tip
    assert tip.replace("\u200b", "").count("N") >= 4989 * 2  # the whole name, in the column and in the text


def test_hostile_headers_are_plain_and_elided(qtbot, core, registry, artifacts_dir):
    view = CompareView(core, registry, Settings.load())
    qtbot.addWidget(view)
    view.resize(1280, 700)
    view.model.set_comparison(hostile_comparison())
    view.view.setVisible(True)
    view.show()
    qtbot.wait_exposed(view)
    header = view.view.horizontalHeader()
    assert view.model.headerData(0, Qt.Orientation.Horizontal) == f"{HOSTILE} · Ethereum"  # text, never markup
    assert header.sectionSize(0) < 1280 and header.textElideMode() == Qt.TextElideMode.ElideRight
    assert "&lt;img" in view.model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert view.minimumSizeHint().width() < 1280
    qtbot.wait(50)
    assert view.grab().save(str(artifacts_dir / f"compare-hostile-{QApplication.platformName()}.png"), "PNG")
