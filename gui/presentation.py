"""Presentation mode's look: every font and control larger, a high-contrast palette.

Fonts are QFonts scaled here, never sizes in style sheets, so one factor reaches every widget.
Controls grow with their text, and a proxy of the application's style scales the margins,
indicators and icons around it, so a button is as much larger as its label. :class:`Presentation`
remembers what it changed and gives it all back.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleFactory, QStyleOption, QWidget

Role = QPalette.ColorRole
# Black on white with a dark blue selection: at least 7:1 everywhere, disabled text included.
HIGH_CONTRAST = {
    Role.Window: "#ffffff",
    Role.WindowText: "#000000",
    Role.Base: "#ffffff",
    Role.AlternateBase: "#ebebeb",
    Role.Text: "#000000",
    Role.Button: "#f2f2f2",
    Role.ButtonText: "#000000",
    Role.BrightText: "#ffffff",
    Role.Highlight: "#00367a",
    Role.HighlightedText: "#ffffff",
    Role.Link: "#0000b3",
    Role.LinkVisited: "#4b0082",
    Role.ToolTipBase: "#ffffff",
    Role.ToolTipText: "#000000",
    Role.PlaceholderText: "#3d3d3d",
    Role.Light: "#ffffff",
    Role.Midlight: "#d9d9d9",
    Role.Mid: "#595959",
    Role.Dark: "#000000",
    Role.Shadow: "#000000",
}
DISABLED_TEXT = "#595959"

CT, PM = QStyle.ContentsType, QStyle.PixelMetric
# Controls whose margins above and below the (already scaled) text are scaled too; not across, so a
# row of buttons or tabs that fitted the window still does.
MARGINS = {
    CT.CT_PushButton,
    CT.CT_ToolButton,
    CT.CT_ComboBox,
    CT.CT_LineEdit,
    CT.CT_SpinBox,
    CT.CT_TabBarTab,
    CT.CT_MenuBarItem,
    CT.CT_MenuItem,
    CT.CT_HeaderSection,
}
# Sizes that do not come from text: check marks, icons, the room above and below a tab's title (not scroll
# bars: the audience does not read them, and they would take width from the tabs).
METRICS = {
    PM.PM_IndicatorWidth,
    PM.PM_IndicatorHeight,
    PM.PM_ExclusiveIndicatorWidth,
    PM.PM_ExclusiveIndicatorHeight,
    PM.PM_SmallIconSize,
    PM.PM_ButtonIconSize,
    PM.PM_TabBarIconSize,
    PM.PM_ListViewIconSize,
    PM.PM_TabBarTabVSpace,  # not the horizontal room: the tabs must still fit across the window
}


def high_contrast() -> QPalette:
    """The presentation palette: black on white, strong borders and selection."""
    palette = QPalette()
    for role, colour in HIGH_CONTRAST.items():
        palette.setColor(role, QColor(colour))
    for role in (Role.WindowText, Role.Text, Role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(DISABLED_TEXT))
    return palette


class ScaledStyle(QProxyStyle):
    """The named style with its controls' vertical margins, indicators and icons ``scale`` times larger."""

    def __init__(self, name: str, scale: float) -> None:
        super().__init__(QStyleFactory.create(name))
        self.scale = scale

    def sizeFromContents(  # noqa: D102 - Qt override
        self, kind: QStyle.ContentsType, option: QStyleOption, size: QSize, widget: QWidget | None = None
    ) -> QSize:
        out: QSize = super().sizeFromContents(kind, option, size, widget)
        if kind not in MARGINS:
            return out
        return QSize(out.width(), size.height() + round((out.height() - size.height()) * self.scale))

    def pixelMetric(  # noqa: D102 - Qt override
        self, metric: QStyle.PixelMetric, option: QStyleOption | None = None, widget: QWidget | None = None
    ) -> int:
        value = super().pixelMetric(metric, option, widget)
        return round(value * self.scale) if metric in METRICS else value


def rescale_fonts(app: QApplication, root: QWidget, font: QFont) -> None:
    """Make ``font`` the application's font, and scale alike every widget under ``root`` that has a size of its own.

    A widget given a size of its own (a title, a badge) does not follow the application's font,
    so it is scaled by the same factor here; parents come before their children (the order
    ``findChildren`` gives), and a child that followed its parent is left alone.
    """
    factor = font.pointSizeF() / app.font().pointSizeF()
    before = [(widget, widget.font().pointSizeF()) for widget in (root, *root.findChildren(QWidget))]
    app.setFont(font)
    for widget, size in before:
        now = widget.font()
        if size > 0 and now.pointSizeF() == size:
            now.setPointSizeF(size * factor)
            widget.setFont(now)


class Presentation:
    """The application's look in presentation mode, and the look it replaced."""

    def __init__(self) -> None:
        self._normal: tuple[QFont, QPalette, str] | None = None
        self._style: ScaledStyle | None = None  # its Python overrides live as long as this reference

    def enter(self, app: QApplication, root: QWidget, scale: float) -> None:
        """Scale fonts and controls under ``root`` by ``scale`` and use the high-contrast palette."""
        if self._normal is not None:
            return
        style = app.style().name()
        self._normal = (QFont(app.font()), QPalette(app.palette()), style)
        self._style = ScaledStyle(style, scale)
        app.setStyle(self._style)  # first: a new style resets the palette
        big = QFont(app.font())
        big.setPointSizeF(big.pointSizeF() * scale)
        rescale_fonts(app, root, big)
        app.setPalette(high_contrast())

    def leave(self, app: QApplication, root: QWidget) -> None:
        """Give back the style, fonts and palette found on entering."""
        if self._normal is None:
            return
        font, palette, style = self._normal
        self._normal = None
        app.setStyle(QStyleFactory.create(style))
        self._style = None
        rescale_fonts(app, root, font)
        app.setPalette(palette)
