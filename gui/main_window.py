"""The main window: search, candidates, and the detail of one token with provenance."""

from __future__ import annotations

import html
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QModelIndex, QStringListModel, Qt
from PySide6.QtGui import QCloseEvent, QFont, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from backcheck.core.adapters.xstocks import XStocksApi
from backcheck.core.addresses import classify, normalize_evm
from backcheck.core.answers import answers, standing
from backcheck.core.catalog import product_for
from backcheck.core.chains import CHAINS, Chain
from backcheck.core.convert import units_from_facts
from backcheck.core.errors import BadInput
from backcheck.core.lookup import (
    EVERY_EVM_CHAIN,
    Target,
    inspect,
    inspect_every_chain,
    resolve,
    resolve_every_chain,
)
from backcheck.core.registry import Candidate, Registry, Token
from backcheck.core.registry_refresh import RegistryDiff, refresh
from backcheck.core.report import Recorded, Report, judge
from backcheck.core.rules import RuleConfig
from backcheck.core.runtime import CoreLoop
from backcheck.core.settings import Settings
from backcheck.core.snapshot import Snapshot, demos

from .banner import Banner
from .bridge import CoreBridge
from .chart_widget import ChartWidget
from .checklist import ChecklistView
from .compare_view import CompareView
from .converter import ConverterPanel
from .file_actions import FileActions
from .legal import LegalPanel
from .models import CandidatesModel, FactsModel, HoldersModel, PowersModel, official_badge
from .overview import AnswerOverview
from .present_actions import PresentActions
from .settings_dialog import SettingsDialog
from .summary import summary_lines
from .supply import supply_text
from .wallet_view import WalletView
from .welcome import WelcomePanel
from .widgets import ElidedLabel, WrapLabel, fit_columns, named, table

STATUS_STYLE = {
    "pass": "background:#1e7b34;color:white",
    "caution": "background:#b7791f;color:white",
    "warning": "background:#c05621;color:white",
    "critical": "background:#9b1c1c;color:white",
    "unknown": "background:#4a5568;color:white",
    "n/a": "background:#a0aec0;color:black",
}
RETRY_HINT = "To read it again, press Enter in the search box or click its row in the results."
NOT_LISTED = "This address is on no issuer's list: treat it as an impostor until proven otherwise."
OFFLINE = (
    "Offline mode is on, so nothing is read live: open a demo (Demo menu) or a snapshot (File → Open snapshot…), "
    "or turn offline mode off in File → Settings…."
)


class MainWindow(QMainWindow):
    """Search a token, pick a chain, read it.

    Attributes:
        registry: The token registry searched.
        settings: Endpoints and preferences.
        bridge: Runs core jobs off the GUI thread.
        report: The report on screen.
        snapshot: The snapshot file it was opened from, ``None`` for a live report.
        recorded: The last live report with the exchanges that made it (what Save snapshot saves).
        files: The File and Demo menus.
    """

    def __init__(self, registry: Registry, settings: Settings, core: CoreLoop, *, demo_dir: Path | None = None) -> None:
        super().__init__()
        self.registry = registry
        self.settings = settings
        self.bridge = CoreBridge(core, self)
        self.bridge.succeeded.connect(self._on_inspected)
        self.bridge.failed.connect(self._on_failed)
        self.refresh_bridge = CoreBridge(core, self)  # its own job slot: never cancels a lookup
        self.refresh_bridge.succeeded.connect(self._on_registry_checked)
        self.refresh_bridge.failed.connect(self._on_registry_check_failed)
        self.registry_check_box: QMessageBox | None = None
        self._target: Target | None = None
        self.report: Report | None = None
        self.snapshot: Snapshot | None = None
        self.recorded: Recorded | None = None
        self.setWindowTitle("Backcheck — check a tokenized stock")
        self.resize(1180, 780)
        self.files = FileActions(self, demos(demo_dir))
        self._build()

    # -- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.search_edit = named(QLineEdit(), "searchEdit")
        self.search_edit.setPlaceholderText("Ticker (AAPL), token (AAPLx), ISIN or contract address")
        words = sorted({*self.registry.symbols(), *(t.underlying.symbol for t in self.registry.tokens)}, key=str.lower)
        completer = QCompleter(QStringListModel(words, self), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.search_edit.setCompleter(completer)
        self.search_edit.returnPressed.connect(self.search)

        self.chain_combo = named(QComboBox(), "chainCombo")
        self.chain_combo.addItem("All chains", None)
        self.chain_combo.addItem("Every EVM chain, combined", EVERY_EVM_CHAIN)
        for chain in CHAINS:
            self.chain_combo.addItem(chain.name, chain.key)
        search_button = named(QPushButton("Search"), "searchButton")
        search_button.clicked.connect(self.search)
        self.offline_label = named(QLabel("Offline"), "offlineLabel")
        self.offline_label.setStyleSheet(f"{STATUS_STYLE['unknown']};padding:2px 8px;border-radius:3px")
        self.offline_label.setToolTip("Offline mode: nothing is read from the network. Change it in File → Settings….")

        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.chain_combo)
        top.addWidget(search_button)
        top.addWidget(self.offline_label)

        # Which deployment a pasted address is ("You hold: …"), kept while that token is on screen.
        self.hold_label = named(ElidedLabel(), "holdLabel")
        self.hold_label.setMargin(4)
        self.hold_label.setVisible(False)
        self.message_label = named(WrapLabel(plain=True), "messageLabel")  # it shows sources' own error texts
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.candidates = CandidatesModel()
        self.candidates_view = table(self.candidates, "candidatesView")
        self.candidates.modelReset.connect(self._span_headings)
        self.candidates_view.activated.connect(self._on_candidate)
        self.candidates_view.clicked.connect(self._on_candidate)

        # No splitter: a QSplitter ignores height-for-width, which clips word-wrapped labels.
        self._fit_candidates()

        root = QWidget()
        layout = QVBoxLayout(root)
        layout.addLayout(top)
        layout.addWidget(self.hold_label)
        layout.addWidget(self.message_label)
        layout.addWidget(self.candidates_view)
        self.banner = Banner()
        layout.addWidget(self.banner)
        self.welcome = WelcomePanel(self.files.demos)
        self.welcome.demo_chosen.connect(self.files.open_demo)
        self.welcome.search_wanted.connect(self.search_edit.setFocus)
        self.stack = named(QStackedWidget(), "detailStack")  # the welcome panel until a token is shown
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self._build_detail())
        self.wallet_view = WalletView(self.bridge.core, self.registry, self.settings)  # F19: its own job slot
        self.wallet_view.report_wanted.connect(self._start)
        self.stack.addWidget(self.wallet_view)
        layout.addWidget(self.stack, 1)
        # Scrolls when the content is taller than the screen (long messages, five result rows).
        scroll = named(QScrollArea(), "windowScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(root)
        self.setCentralWidget(scroll)
        QShortcut(QKeySequence("Ctrl+L"), self, self.search_edit.setFocus)
        menu = self.menuBar().addMenu("&Registry")
        self.check_registry_action = menu.addAction("Check against the issuer's live list")
        self.check_registry_action.triggered.connect(self.check_registry)
        self.wallet_action = self.menuBar().addMenu("&Wallet").addAction("Check my wallet…")
        self.wallet_action.setShortcut(QKeySequence("Ctrl+Shift+K"))
        self.wallet_action.triggered.connect(self.show_wallet)
        self.present = PresentActions(self)
        self.statusBar().showMessage(f"{len(self.registry.tokens)} tokens in the registry")
        self._apply_settings()

    def _build_detail(self) -> QWidget:
        # A snapshot file says what the token is called: the labels that show it never read markup.
        self.title_label = named(ElidedLabel(), "titleLabel")  # a long name elides; its tooltip has it whole
        font = QFont(self.title_label.font())
        font.setPointSize(font.pointSize() + 6)
        font.setBold(True)
        self.title_label.setFont(font)
        self.official_badge = named(QLabel(), "officialBadge")
        self.official_badge.setMargin(4)
        self.subtitle_label = named(WrapLabel(plain=True), "subtitleLabel")
        self.address_label = named(QLabel(textFormat=Qt.TextFormat.PlainText), "addressLabel")
        self.address_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_button = named(QPushButton("Copy address"), "copyButton")
        self.copy_button.clicked.connect(self._copy_address)
        self.explorer_label = named(QLabel(openExternalLinks=True), "explorerLabel")
        self.supply_label = named(WrapLabel(), "supplyLabel")  # wraps: a long symbol never widens the window
        big = QFont(self.supply_label.font())
        big.setPointSize(big.pointSize() + 3)
        self.supply_label.setFont(big)
        self.provenance_label = named(WrapLabel(plain=True), "provenanceLabel")
        self.provenance_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary_label = named(WrapLabel(), "summaryLabel")
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.checklist = ChecklistView()
        self.legal = LegalPanel()
        self.converter = ConverterPanel()
        self.facts = FactsModel()
        self.facts_view = table(self.facts, "factsView")
        self.holders = HoldersModel()
        self.holders_view = table(self.holders, "holdersView")
        self.holders_view.setMinimumHeight(240)  # about eight rows under the chart; the window scrolls
        self.holders_chart = ChartWidget("holders")
        self.holders_page = named(QWidget(), "holdersPage")  # the chart above the table it draws
        holders_layout = QVBoxLayout(self.holders_page)
        holders_layout.addWidget(self.holders_chart)
        holders_layout.addWidget(self.holders_view, 1)
        self.compare_view = CompareView(self.bridge.core, self.registry, self.settings)
        self.powers = PowersModel()
        self.powers_view = table(self.powers, "powersView")
        self.overview = AnswerOverview()
        self.overview.why.connect(self._why)
        self.overview.convert.connect(self._show_converter)
        figures = named(QLabel("Key figures, each with where it came from"), "figuresHeading")
        figures.setStyleSheet("font-weight:bold")
        overview_page = named(QWidget(), "overviewPage")
        page = QVBoxLayout(overview_page)
        page.addWidget(self.overview)
        page.addWidget(figures)
        page.addWidget(self.supply_label)
        page.addWidget(self.provenance_label)
        page.addWidget(self.summary_label)
        page.addStretch(1)
        self.tabs = named(QTabWidget(), "detailTabs")
        self.tabs.addTab(overview_page, "Overview")
        self.tabs.addTab(self.checklist, "Checks")
        self.tabs.addTab(self.powers_view, "Issuer powers")
        self.tabs.addTab(self.holders_page, "Holders")
        self.tabs.addTab(self.facts_view, "Evidence")
        self.tabs.setTabToolTip(self.tabs.count() - 1, "Every figure with where it came from and how to re-run it")
        self.tabs.addTab(self.legal, "Redemption && legal")  # && shows one & (a single & marks a shortcut)
        self.tabs.addTab(self.converter, "Converter")
        self.tabs.addTab(self.compare_view, "Compare")

        head = QHBoxLayout()
        head.addWidget(self.title_label)
        head.addWidget(self.official_badge)
        head.addStretch(1)
        addr = QHBoxLayout()
        addr.addWidget(self.address_label)
        addr.addWidget(self.copy_button)
        addr.addWidget(self.explorer_label)
        addr.addStretch(1)

        detail = named(QWidget(), "detail")
        layout = QVBoxLayout(detail)
        layout.addLayout(head)
        layout.addWidget(self.subtitle_label)
        layout.addLayout(addr)
        layout.addWidget(self.tabs, 1)
        self._show_target(None)
        return detail

    # -- actions --------------------------------------------------------------------------

    def search(self) -> None:
        """Search the registry; an address, or a single match, is read at once."""
        text = self.search_edit.text().strip()
        chain_key = self.chain_combo.currentData()
        self.bridge.cancel()
        self.files.cancel()
        self._show_target(None)
        self.candidates.set_rows([])
        self._show_hold(None)
        if not text:
            self._message("Type a ticker (AAPL), a token symbol (AAPLx), an ISIN or a contract address.")
            return
        try:
            if chain_key == EVERY_EVM_CHAIN:
                self._start_every_chain(resolve_every_chain(self.registry, text))
                return
            chain = next((c for c in CHAINS if c.key == chain_key), None)
            if classify(text) in ("evm_address", "solana_address"):
                self._search_address(text, chain)
                return
            found = self.registry.search(text, chain)
            if not found:
                resolve(self.registry, text, chain_key)  # raises the explanatory BadInput
            self._show_candidates(found)
            if len(found) == 1:
                self._on_candidate(self.candidates.index(self.candidates.candidate_rows()[0], 0))
            else:
                self._message(f"{len(found)} matches — pick the token and chain you hold.")
        except BadInput as exc:
            self._message(str(exc), error=True)

    def _search_address(self, text: str, chain: Chain | None) -> None:
        """Which one do I hold? A pasted address is that exact deployment, or on no issuer's list.

        Raises:
            BadInput: The address is malformed or does not fit the chain chosen.
        """
        found = self.registry.search(text, chain)
        if len(found) > 1:  # one address on several chains (EVM): the token is known, the chain is the holder's
            normalize_evm(text)  # a mistyped checksum is refused before anything is shown
            self._show_candidates(found)
            self._show_hold(found[0].token, f"at this address on {len(found)} chains")
            self._message("Pick the chain your tokens are on.")
            return
        if not found and chain is None and classify(text) == "evm_address":
            normalize_evm(text)
            self._show_hold(None, NOT_LISTED)
            self._message("To read it anyway, pick the chain it is on in the chain list and search again.")
            return
        target = resolve(self.registry, text, chain.key if chain else None)
        self._show_candidates(found)
        self._show_hold(target.token, f"on {target.chain.name}" if target.token else NOT_LISTED)
        self._start(target)

    def _show_candidates(self, found: list[Candidate]) -> None:
        self.candidates.set_candidates(found)
        fit_columns(self.candidates_view, rows=self.candidates.candidate_rows())  # headings span, and elide
        self._fit_candidates()

    def _span_headings(self) -> None:
        """Each heading row of the results spans the whole width."""
        view = self.candidates_view
        view.clearSpans()
        for row in self.candidates.group_rows():
            view.setSpan(row, 0, 1, self.candidates.columnCount())

    def _show_hold(self, token: Token | None, where: str = "") -> None:
        """Say which token a pasted address is ("You hold: …"); ``where`` alone when it is on no list."""
        label = self.hold_label
        label.setVisible(bool(where))
        if token is None:
            label.setText(where)
            label.setStyleSheet(STATUS_STYLE["critical"] + ";border-radius:3px")
            return
        badge = official_badge(token.official)
        label.setText(f"You hold: {token.issuer_name} {token.symbol} ({token.name}) {where} — {badge}")
        label.setStyleSheet(STATUS_STYLE["pass" if token.official else "unknown"] + ";border-radius:3px")

    def _fit_candidates(self) -> None:
        """Give the results as much height as their rows need, up to about five rows."""
        view = self.candidates_view
        view.setVisible(self.candidates.rowCount() > 0)  # no empty table on the first screen
        rows = min(max(self.candidates.rowCount(), 1), 7)
        view.setFixedHeight(view.horizontalHeader().height() + rows * view.verticalHeader().defaultSectionSize() + 4)

    def _on_candidate(self, index: QModelIndex) -> None:
        c = self.candidates.candidate(index.row())
        if c is None:  # a heading
            return
        if self.hold_label.isVisible():  # a pasted address on several chains: now the holder named the chain
            self._show_hold(c.token, f"on {c.deployment.chain.name}")
        self._start(
            Target(
                self.search_edit.text().strip(),
                c.deployment.chain,
                c.deployment.address,
                c.token,
                c.deployment,
            )
        )

    def _start(self, target: Target) -> None:
        # A row activated while it is being read is not read twice (a double-click also
        # clicks); once that read has ended, activating it reads again: that is the retry.
        if (self._target == target and self.bridge.running) or self._refused_offline():
            return
        self.files.cancel()
        self._show_target(target)
        self._message(f"Reading {target.chain.name} at {self.settings.get(f'rpc.{target.chain.key}')} …")
        try:
            reading = inspect(target, self.settings, self.bridge.core.http, self.registry)
            self.bridge.run(judge(reading, self.registry, RuleConfig.load(self.settings)))
        except BadInput as exc:
            self._message(str(exc), error=True)

    def _start_every_chain(self, targets: list[Target]) -> None:
        if self._refused_offline():
            return
        self.files.cancel()
        self._show_target(targets[0])
        self._every_chain_subtitle(targets)
        self._message(f"Reading {len(targets)} chains at once …")
        core = self.bridge.core
        reading = inspect_every_chain(targets, self.settings, core.http, self.registry)
        self.bridge.run(judge(reading, self.registry, RuleConfig.load(self.settings)))

    def _on_inspected(self, job_id: int, recorded: Recorded) -> None:
        if job_id != self.bridge.current_id:
            return
        self.recorded = recorded
        self.show_report(recorded.report)

    def _refused_offline(self) -> bool:
        """In offline mode, say so instead of reading live."""
        offline = self.settings.get("offline") == "on"
        if offline:
            self._message(OFFLINE, error=True)
        return offline

    def _every_chain_subtitle(self, targets: list[Target]) -> None:
        chains = ", ".join(t.chain.name for t in targets)
        issuer = targets[0].token.issuer_name if targets[0].token else ""
        self.subtitle_label.setText(f"{issuer} · every EVM chain: {chains}")

    def show_report(self, report: Report, snapshot: Snapshot | None = None) -> None:
        """Show a judged report: a live one, or one opened from a snapshot or a demo (``snapshot``)."""
        inspection = report.inspection
        if snapshot is not None:
            self._show_target(inspection.target)
            if inspection.per_chain:
                self._every_chain_subtitle([part.target for part in inspection.per_chain])
        self.report, self.snapshot = report, snapshot
        self.banner.show_report(report)
        self.overview.show_report(report.document)
        self.files.update_actions()
        self.present.update_actions()
        shown = dict(inspection.facts)
        for part in inspection.per_chain:
            shown.update({f"{part.target.chain.key} · {key}": fact for key, fact in part.facts.items()})
        self.facts.set_facts(shown)
        fit_columns(self.facts_view)
        for model, view, key in (
            (self.holders, self.holders_view, "holders"),
            (self.powers, self.powers_view, "issuer_powers"),
        ):
            fact = inspection.facts.get(key)
            model.set_rows(fact.value if fact is not None and isinstance(fact.value, list) else [])
            fit_columns(view)
        self.holders_chart.show_document(report.document)
        self.compare_view.show_report(report)
        self.summary_label.setText("<br>".join(summary_lines(inspection.facts)))
        supply, provenance = supply_text(inspection)
        self.supply_label.setText(supply)
        self.provenance_label.setText(provenance)
        self.checklist.show_findings(report.findings, inspection.facts, report.verdict)
        self.legal.show_product(product_for(inspection.target.token, RuleConfig.load(self.settings).catalog))
        price = inspection.facts.get("underlying_price")
        units = units_from_facts(inspection.facts, price.value if price and isinstance(price.value, Decimal) else None)
        if units is not None:
            multiplier = inspection.facts["multiplier"]
            self.converter.fill(units, f"{multiplier.source}, block/slot {multiplier.block}")
        # A snapshot's sources fared so when it was made; it is read again by a search, not by itself.
        if report.document.get("kind") == "demo":  # its sources are the test chain's: the banner says what it is
            self._message("")
            return
        then, retry = ("When it was made — ", "") if snapshot else ("", f"\n{RETRY_HINT}")
        failed = [s for s in inspection.sources if s.state != "ok"]
        if failed:
            self._message(then + "; ".join(f"{s.name}: {s.error or s.state}" for s in failed) + retry, error=True)
        else:  # notes of an answering source (e.g. explorers tried before the log scan) are not errors
            notes = [f"{s.name}: {s.error}" for s in inspection.sources if s.error]
            read = f"{then}Read from {', '.join(s.name for s in inspection.sources)}."
            self._message(f"{read} Notes — {'; '.join(notes)}" if notes else read)

    def show_wallet(self) -> None:
        """Show the Wallet view (a token's report comes back on a search or a holding's "Open")."""
        self.stack.setCurrentWidget(self.wallet_view)
        self.wallet_view.address.setFocus()

    def _show_converter(self) -> None:
        self.tabs.setCurrentWidget(self.converter)

    def _why(self, key: str) -> None:
        """An answer card's "Why ›": the checks behind that answer, the worst one open."""
        if self.report is None:
            return
        self.tabs.setCurrentWidget(self.checklist)
        self.checklist.select(next(a.findings for a in answers(self.report.document) if a.key == key))

    def _on_failed(self, job_id: int, message: str) -> None:
        if job_id == self.bridge.current_id:
            self._message(f"{message}\n{RETRY_HINT}", error=True)

    def open_settings(self) -> SettingsDialog:
        """Open the settings dialog without blocking the window."""
        dialog = SettingsDialog(self.settings, self.bridge.core, self)
        dialog.accepted.connect(self._apply_settings)
        dialog.open()
        return dialog

    def _apply_settings(self) -> None:
        self.offline_label.setVisible(self.settings.get("offline") == "on")

    def check_registry(self) -> None:
        """Diff the bundled registry against the issuer's live API, in the background."""
        if self.settings.get("offline") == "on":
            self._show_registry_check(OFFLINE)
            return
        self.statusBar().showMessage(f"Reading the issuer's list at {self.settings.get('api.xstocks')} …")
        api = XStocksApi(self.refresh_bridge.core.http, self.settings.get("api.xstocks"))
        self.refresh_bridge.run(refresh(api, self.registry))

    def _on_registry_checked(self, job_id: int, diff: RegistryDiff) -> None:
        if job_id != self.refresh_bridge.current_id:
            return
        lines = [f"Compared with {diff.source}."]
        if diff.clean:
            lines.append("The bundled registry matches the issuer's list.")
        lines += [f"New at the issuer: {r.symbol} on {r.chain} ({r.address})" for r in diff.new[:20]]
        lines += [f"No longer listed: {r.symbol} on {r.chain} ({r.address})" for r in diff.removed[:20]]
        lines += [f"Address changed: {a.symbol} on {a.chain}: {a.address} → {b.address}" for a, b in diff.changed[:20]]
        lines.append(
            f"Rows listed by third parties: {len(diff.confirmed)} confirmed by the issuer's live list, "
            f"{len(diff.not_listed)} not in the issuer's list."
        )
        hidden = len(diff.new) + len(diff.removed) + len(diff.changed) - 60
        if hidden > 0:
            lines.append(f"… and {hidden} more (see `backcheck refresh-registry`).")
        self._show_registry_check("\n".join(lines))

    def _on_registry_check_failed(self, job_id: int, message: str) -> None:
        if job_id == self.refresh_bridge.current_id:
            self._show_registry_check(message)

    def _show_registry_check(self, text: str) -> None:
        self.statusBar().clearMessage()
        box = QMessageBox(QMessageBox.Icon.Information, "Registry check", text, parent=self)
        box.setObjectName("registryCheckBox")
        box.open()  # non-blocking: the window keeps working
        self.registry_check_box = box

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: D102 - Qt override
        self.files.finish()  # an export still drawing ends before the window goes
        super().closeEvent(event)

    def _copy_address(self) -> None:
        if self._target is not None:
            QGuiApplication.clipboard().setText(self._target.address)
            self.statusBar().showMessage("Address copied", 3000)

    # -- display --------------------------------------------------------------------------

    def _message(self, text: str, *, error: bool = False) -> None:
        self.message_label.setStyleSheet("color:#9b1c1c;font-weight:bold" if error else "")
        self.message_label.setText(text)

    def _show_target(self, target: Target | None) -> None:
        self._target = target
        self.report = self.snapshot = None
        self.banner.show_report(None)
        self.files.update_actions()
        if target is not None:
            self.stack.setCurrentIndex(1)  # the welcome panel gives way to the first token shown
            self.tabs.setCurrentIndex(0)  # a new token opens on its answers
        self.facts.set_facts({})
        self.holders.set_rows([])
        self.holders_chart.show_document(None)
        self.compare_view.clear()
        self.powers.set_rows([])
        self.summary_label.setText("")
        self.checklist.clear()
        self.legal.show_product(None)
        self.supply_label.setText("")
        self.provenance_label.setText("")
        has = target is not None
        for widget in (self.copy_button, self.explorer_label, self.official_badge):
            widget.setVisible(has)
        if target is None:
            self.title_label.setText("No token selected")
            self.subtitle_label.setText("Search above, then pick the token and chain you hold.")
            self.address_label.setText("")
            return
        token = target.token
        self.title_label.setText(f"{token.symbol} — {token.name}" if token else "Unlisted contract")
        self.subtitle_label.setText(
            f"{token.issuer_name if token else 'Unknown issuer'} · {target.chain.name}"
            + (f" · registry: {target.deployment.source}, as of {target.deployment.as_of}" if target.deployment else "")
        )
        self.address_label.setText(target.address)
        url = target.chain.explorer_url(target.address)
        self.explorer_label.setText(f'<a href="{html.escape(url)}">Open in explorer</a>')
        row = target.deployment
        basis = row.basis if row else None
        badge = {"third-party": "LISTED BY A THIRD PARTY", "withdrawn": "WITHDRAWN BY THE ISSUER"}.get(
            basis or "",
            {True: "OFFICIAL", False: "NOT ON ANY ISSUER LIST", None: "UNVERIFIED (added by you)"}[target.official],
        )
        colour = {True: "pass", False: "critical", None: "unknown"}[target.official]
        self.official_badge.setText(badge)
        self.official_badge.setToolTip(
            standing({"official": target.official, "basis": basis, "listed_by": row.listed_by if row else None})[0]
        )
        self.official_badge.setStyleSheet(STATUS_STYLE[colour] + ";border-radius:3px")
