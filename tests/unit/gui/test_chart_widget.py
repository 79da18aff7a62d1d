"""Charts on screen: the export's drawing functions painted by a widget, unknown said as a word, any scale."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QWidget

from backcheck.core.snapshot import load_source
from backcheck.gui.chart_widget import ChartPanel, ChartWidget
from backcheck.gui.charts import PALETTE, holders_data, reserves_data


def document(name: str) -> dict:
    return load_source(f"demo:{name}")[1].document


def colour_count(image: QImage, colour: str) -> int:
    wanted = QColor(colour)
    step = 2  # every other pixel is plenty to find bars
    return sum(
        image.pixelColor(x, y) == wanted for x in range(0, image.width(), step) for y in range(0, image.height(), step)
    )


def inked(image: QImage) -> int:
    """Pixels darker than the white the chart is drawn on (text, bars, grid)."""
    step = 2
    return sum(
        image.pixelColor(x, y).lightness() < 200
        for x in range(0, image.width(), step)
        for y in range(0, image.height(), step)
    )


@pytest.fixture
def chart(qtbot):
    def make(key: str, doc: dict | None) -> ChartWidget:
        widget = ChartWidget(key)
        qtbot.addWidget(widget)
        widget.show_document(doc)
        widget.resize(640, widget.sizeHint().height())
        widget.show()
        qtbot.waitExposed(widget)
        return widget

    return make


def test_holders_chart_paints_the_bars_of_the_report(chart, artifacts_dir):
    doc = document("concentrated")
    widget = chart("holders", doc)
    assert widget.data == holders_data(doc)
    image = widget.grab().toImage()
    assert colour_count(image, PALETTE["blue"]) > 500  # the holders' bars
    assert colour_count(image, PALETTE["orange"]) > 0  # the issuer wallet shown apart
    assert widget.accessibleName() == "Largest holders, share of the float"
    assert widget.accessibleDescription() == widget.data.summary()
    assert "69.96 %" in widget.accessibleDescription()
    image.save(str(artifacts_dir / f"chart-widget-holders-{QApplication.platformName()}.png"))


@pytest.mark.parametrize(
    ("key", "facts", "reason"),
    [
        ("holders", {}, "the holders were not read for this report"),
        ("holders", {"holders": {"value": None, "error": "explorer down <b>503</b>"}}, "explorer down <b>503</b>"),
        ("reserves", {}, "no proof of reserve was read for this token"),
    ],
)
def test_unknown_data_says_unknown_and_draws_no_bar(chart, key, facts, reason):
    widget = chart(key, {"facts": facts})
    assert widget.data.unknown == reason
    image = widget.grab().toImage()
    assert inked(image) > 100  # the word and its reason are drawn: not a blank chart
    for colour in (PALETTE["blue"], PALETTE["bluish_green"], PALETTE["sky_blue"]):
        assert colour_count(image, colour) == 0  # no bar, so nothing reads as a zero-length figure
    assert f"unknown ({reason})" in widget.accessibleDescription()
    assert "<b>" not in widget.toolTip()  # a reason from a source is shown literally, never as markup


def test_crisp_at_any_scale(chart):
    """Painted as vectors at the device's resolution, and as tall as its text lines at its font."""
    widget = chart("reserves", document("stale-reserve"))
    plain = QImage(widget.size(), QImage.Format.Format_ARGB32)
    plain.fill(QColor("white"))
    widget.render(plain)
    sharp = QImage(widget.size() * 2, QImage.Format.Format_ARGB32)
    sharp.setDevicePixelRatio(2)
    sharp.fill(QColor("white"))
    widget.render(sharp)
    bars = colour_count(plain, PALETTE["bluish_green"])
    assert bars > 100
    assert 3.5 * bars < colour_count(sharp, PALETTE["bluish_green"]) < 4.5 * bars  # four device pixels per pixel
    height = widget.sizeHint().height()
    font = widget.font()
    font.setPointSizeF(font.pointSizeF() * 1.5)
    widget.setFont(font)  # presentation mode scales the font: the chart grows with it
    assert widget.sizeHint().height() > 1.3 * height


def test_no_report_hides_the_chart(qtbot):
    page = QWidget()
    qtbot.addWidget(page)
    widget = ChartWidget("holders", page)
    page.show()
    assert widget.data is None and not widget.isVisible()
    widget.show_document(document("clean"))
    assert widget.isVisible()
    widget.show_document(None)
    assert not widget.isVisible()


def test_the_panel_shows_the_figures_beside_the_chart(qtbot):
    panel = ChartPanel("reserves")
    qtbot.addWidget(panel)
    doc = document("stale-reserve")
    panel.show_document(doc)
    headers, rows = reserves_data(doc).table()
    model = panel.figures
    assert [model.headerData(c, panel.table.horizontalHeader().orientation()) for c in range(2)] == list(headers)
    assert [(model.data(model.index(r, 0)), model.data(model.index(r, 1))) for r in range(model.rowCount())] == rows
    assert ("Promised cadence", "every 24 h") in rows
    panel.show_document(None)
    assert panel.isHidden() and panel.figures.rowCount() == 0
