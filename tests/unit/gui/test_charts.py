"""The report's charts: their data from real reports (the demos), unknown drawn as a word, any scale."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from PySide6.QtCore import QByteArray, QRectF
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from backcheck.core.snapshot import load_source
from backcheck.gui.charts import (
    CHARTS,
    PALETTE,
    holders_data,
    line_height,
    reserves_data,
)
from backcheck.gui.export import fonts
from backcheck.gui.export.content import STATUS
from backcheck.gui.export.svg import chart_svg


def document(name: str) -> dict:
    return load_source(f"demo:{name}")[1].document


def fact(value, error: str | None = None, unit: str = "unit") -> dict:
    doc = {"value": value, "unit": unit, "source": "test", "method": "test", "block": 1, "fetched_at": "2026-01-01"}
    return {**doc, "error": error} if error else doc


def svg_text(key: str, doc: dict) -> str:
    markup = chart_svg(key, doc, fonts.family())
    return " ".join(re.findall(r">([^<>]+)</text>", markup))


def test_holders_come_from_the_report_largest_first(qapp):
    data = holders_data(document("concentrated"))
    assert data.unknown is None
    shares = [h.value for h in data.holders]
    assert shares == sorted(shares, reverse=True) and len(shares) <= 10
    assert shares[0] == Decimal("0.699581")
    assert [w.label for w in data.apart] == ["Backed issuer inventory (working capital)"]
    assert data.apart[0].value == Decimal("9018.9")
    headers, rows = data.table()
    assert headers == ("Holder", "Share of the float")
    assert rows[0] == ("0x9965…a4dc", "69.96 %")
    assert rows[-1][0] == "Backed issuer inventory (working capital) (shown apart)"


@pytest.mark.parametrize(
    ("facts", "reason"),
    [
        ({"holders": fact(None, error="explorer down")}, "explorer down"),
        ({}, "the holders were not read for this report"),
    ],
)
def test_unknown_holders_are_drawn_as_the_word_with_its_reason(qapp, facts, reason):
    data = holders_data({"facts": facts})
    assert data.unknown == reason and not data.holders
    text = svg_text("holders", {"facts": facts})
    assert "unknown" in text and reason in text and "%" not in text


def test_reserves_come_from_the_issuers_proof(qapp):
    data = reserves_data(document("stale-reserve"))
    assert data.unknown is None and data.basis == "the issuer's proof of reserve"
    assert data.age.value is not None and data.cadence.value == Decimal(24)
    assert data.age.value > 2 * data.cadence.value  # the demo's red flag, on the chart
    assert [f.label for f in data.amounts][:2] == [
        "Shares held (issuer's proof of reserve)",
        "Outstanding on every chain (issuer's figure)",
    ]
    rows = dict(data.table()[1])
    assert rows["Promised cadence"] == "every 24 h"


def test_reserves_from_a_reserve_feed(qapp):
    facts = {
        "reserves_feed_answer": fact("1000"),
        "float": fact("990.5"),
        "reserves_feed_coverage": fact("1.009591"),
        "reserves_feed_age_hours": fact("3.5"),
        "reserves_feed_heartbeat_hours": fact("24"),
    }
    data = reserves_data({"facts": facts})
    assert data.basis == "the reserve feed"
    assert [f.value for f in data.amounts] == [Decimal(1000), Decimal("990.5")]
    assert "Coverage of the float: 100.96 %" in svg_text("reserves", {"facts": facts})


def test_no_proof_of_reserve_is_unknown_not_zero(qapp):
    data = reserves_data({"facts": {"total_supply": fact("10")}})
    assert data.unknown == "no proof of reserve was read for this token"
    assert "unknown" in svg_text("reserves", {"facts": {}})


def test_an_unknown_figure_draws_no_bar(qapp):
    doc = document("clean")
    facts = {**doc["facts"], "reserves_shares": fact(None, error="issuer API down")}
    markup = chart_svg("reserves", {"facts": facts}, fonts.family())
    assert PALETTE["bluish_green"].lower() not in markup.lower()  # the shares-held bar's colour
    assert PALETTE["blue"].lower() in markup.lower()  # the outstanding bar is still drawn
    assert "unknown (issuer API down)" in svg_text("reserves", {"facts": facts})


@pytest.mark.parametrize("key", sorted(CHARTS))
def test_charts_use_the_colour_blind_safe_palette_and_greys(qapp, key):
    markup = chart_svg(key, document("concentrated"), fonts.family())
    colours = {c.lower() for c in re.findall(r'(?:fill|stroke)="(#[0-9a-fA-F]{6})"', markup)}
    allowed = {c.lower() for c in PALETTE.values()}
    for colour in colours - allowed:
        rgb = QColor(colour)
        assert rgb.red() == rgb.green() == rgb.blue(), f"{colour} is neither Okabe-Ito nor grey"


def test_every_status_mark_is_in_the_bundled_font(qapp):
    metrics = QFontMetricsF(QFont(fonts.family()))
    for icon, _word in STATUS.values():
        assert metrics.inFontUcs4(ord(icon)), icon


@pytest.mark.parametrize("scale", [1.0, 1.5])
@pytest.mark.parametrize(("key", "demo"), [("holders", "concentrated"), ("reserves", "stale-reserve")])
def test_a_chart_fits_its_lines_at_any_scale(qapp, artifacts_dir, key, demo, scale):
    make, draw = CHARTS[key]
    data = make(document(demo))
    font = QFont(fonts.family())
    font.setPixelSize(round(14 * scale))
    image = QImage(round(640 * scale), 10, QImage.Format.Format_RGB32)
    height = round(data.lines * line_height(font, image)) + 1
    image = QImage(round(640 * scale), height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setFont(font)
    draw(painter, QRectF(0, 0, image.width(), image.height()), data)
    painter.end()
    last_row = [image.pixelColor(x, image.height() - 1) for x in range(image.width())]
    assert all(c == QColor("white") for c in last_row), "the drawing runs past its height"
    image.save(str(artifacts_dir / f"chart-{key}-{demo}-x{scale}.png"))


@pytest.mark.parametrize("key", sorted(CHARTS))
def test_the_svg_is_valid_and_renders(qapp, artifacts_dir, key):
    markup = chart_svg(key, document("paused-single-key"), fonts.family())
    renderer = QSvgRenderer(QByteArray(markup.encode()))
    assert renderer.isValid()
    size = renderer.defaultSize()
    assert size.width() == 640 and size.height() > 100
    image = QImage(size, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    image.save(str(artifacts_dir / f"export-html-chart-{key}.png"))
