"""The answer-first overview on a real Qt widget: five cards, icon + word, plain text, screenshots."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from backcheck.gui.overview import AnswerOverview


def report(**token) -> dict:
    finding = lambda rule_id, status, text: {  # noqa: E731
        "id": rule_id, "status": status, "title": f"title {rule_id}", "explanation": text, "evidence": [],
    }  # fmt: skip
    return {
        "token": {"symbol": "AAPLx", "address": "0x9d27", "issuer": "Backed Assets (JE) Limited", "chain": "ethereum",
                  "official": True, **token},
        "facts": {
            "reserves_coverage": {"value": "1.002693", "fetched_at": "2026-06-01T15:00:00.000Z"},
            "reserves_age_hours": {"value": "6.0", "fetched_at": "2026-06-01T15:00:00.000Z"},
            "holders_top1_share": {"value": "0.2806", "fetched_at": "2026-06-01T15:00:00.000Z"},
            "paused": {"value": False, "fetched_at": "2026-06-01T15:00:00.000Z"},
        },
        "findings": [
            finding("ID-1", "pass", "Official."),
            finding("RS-1", "pass", "Fresh."),
            finding("RS-4", "caution", "The only proof of reserve is the issuer's own report. It is better than none."),
            finding("CT-1", "warning", "One key can replace the token's logic. Expected but a single point."),
            finding("HD-1", "unknown", "Not measured."),
            finding("RD-1", "pass", "Retail may redeem."),
        ],
        "verdict": {"counts": {"pass": 3, "caution": 1, "warning": 1, "unknown": 1, "info": 0},
                    "worst": ["CT-1 title CT-1"], "coverage": "5 of 6 checks measured"},
    }  # fmt: skip


@pytest.fixture
def overview(qtbot):
    widget = AnswerOverview()
    qtbot.addWidget(widget)
    widget.resize(1200, 640)
    widget.show()
    return widget


def test_five_cards_with_the_worst_status_and_one_sentence(overview):
    overview.show_report(report())
    assert list(overview.cards) == ["what", "backed", "control", "holders", "exit"]
    statuses = {key: card.answer.status for key, card in overview.cards.items()}
    assert statuses == {"what": "pass", "backed": "caution", "control": "warning", "holders": "unknown", "exit": "pass"}
    backed = overview.cards["backed"]
    assert backed.figure.text() == "100.27 % covered (issuer's proof, 6.0 h old)"
    assert backed.sentence.text() == "RS-4 title RS-4: The only proof of reserve is the issuer's own report."
    badges = {label.text() for label in overview.findChildren(QLabel) if label.objectName().startswith("badge-")}
    assert {"◆ Caution", "▲ Warning", "? Unknown", "✔ Pass"} <= badges  # icon + word, never colour alone
    assert "5 of 6 checks measured" in overview.coverage.text()


def test_why_and_convert_signals(overview, qtbot):
    overview.show_report(report())
    with qtbot.waitSignal(overview.why) as why:
        qtbot.mouseClick(overview.findChild(QPushButton, "why-control"), Qt.MouseButton.LeftButton)
    assert why.args == ["control"]
    with qtbot.waitSignal(overview.convert):
        qtbot.mouseClick(overview.findChild(QPushButton, "convertButton"), Qt.MouseButton.LeftButton)


def test_names_from_the_chain_stay_plain_text(overview):
    overview.show_report(report(symbol="<b>AAPLx</b><img src=x>"))
    assert overview.verdict.textFormat() == Qt.TextFormat.PlainText
    assert overview.verdict.text().startswith("<b>AAPLx</b><img src=x> is Backed")


def test_a_long_name_elides_in_the_verdict_with_the_whole_line_in_the_tooltip(overview):
    long = "<img src=x>" + "N" * 4989
    overview.show_report(report(symbol=long))
    shown = QLabel.text(overview.verdict)  # what the screen shows
    assert shown.startswith("<img src=x>NNN") and "… is Backed Assets (JE) Limited's official token" in shown
    assert len(shown) < 600 and overview.verdict.minimumSizeHint().width() < 1200
    whole = overview.verdict.toolTip().replace("\u200b", "")
    assert long.replace("<", "&lt;").replace(">", "&gt;") in whole and "<img" not in whole


def test_the_reserves_chart_sits_under_the_cards(overview, qtbot):
    overview.show_report(report())
    panel = overview.reserves
    assert panel.isVisible()
    qtbot.wait(50)
    assert all(panel.geometry().top() > card.geometry().bottom() for card in overview.cards.values())
    # This report has no proof of reserve: the chart says so rather than drawing a zero.
    assert panel.chart.data.unknown == "no proof of reserve was read for this token"
    assert panel.figures.rowCount() == 1


def test_showing_a_second_report_replaces_the_cards(overview, qtbot):
    overview.show_report(report())
    first = overview.cards["what"]
    overview.show_report(report(official=False))
    assert overview.cards["what"] is not first and overview.cards["what"].figure.text() == "NOT on any issuer's list"
    qtbot.waitUntil(lambda: len(overview.findChildren(type(first))) == 5)


@pytest.mark.parametrize(("name", "size", "font"), [("1280x800", (1280, 800), None), ("presentation", (1280, 720), 15)])
def test_screenshot(overview, artifacts_dir, name, size, font):
    if font:
        f = overview.font()
        f.setPointSize(font)
        overview.setFont(f)
    overview.resize(*size)
    overview.show_report(report())
    QApplication.processEvents()
    # The window scrolls (the reserves chart is under the cards): the overview gets at least what it needs.
    overview.resize(size[0], max(size[1], overview.minimumSizeHint().height()))
    QApplication.processEvents()
    for card in overview.cards.values():  # nothing clipped: each card gets at least its own size hint
        assert card.height() >= card.minimumSizeHint().height(), card.objectName()
    shot = artifacts_dir / f"overview-{name}-{QApplication.platformName()}.png"
    assert overview.grab().save(str(shot), "PNG")
