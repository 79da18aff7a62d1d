"""The redemption and legal panel: what the catalog says about getting out, with sources and dates."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QTextBrowser

from backcheck.core.catalog import Product

TERMS = (
    ("issuer_entity", "Issuer"),
    ("legal_form", "Legal form"),
    ("is_share", "Is it a share?"),
    ("regulator", "Prospectus / regulator"),
    ("governing_law", "Governing law"),
    ("who_may_redeem", "Who may redeem"),
    ("retail_redemption", "Retail redemption"),
    ("kyc_to_redeem", "KYC to redeem"),
    ("kyc_to_hold", "KYC to hold"),
    ("professional_threshold", "Professional-investor test"),
    ("redemption_minimum_usd", "Minimum (USD)"),
    ("fees", "Fees"),
    ("settlement_days", "Settlement (business days)"),
    ("redeem_for", "You receive"),
    ("excluded_jurisdictions", "Excluded jurisdictions"),
    ("custodians", "Custodians"),
    ("segregation", "Segregation"),
    ("security_agent", "Security agent"),
    ("documents", "Documents"),
    ("reserve_evidence", "Reserve evidence"),
    ("reserve_source", "Reserve source"),
    ("reserve_cadence", "Reserve report cadence"),
    ("reserve_agent", "Reserve attested by"),
)


class LegalPanel(QTextBrowser):
    """Catalog terms as a table; what the sources do not say reads 'unknown', never a guess."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("legalPanel")
        self.setOpenExternalLinks(True)

    def show_product(self, product: Product | None) -> None:
        """Show one product's terms, or say there are none."""
        if product is None:
            self.setHtml(
                "<p><b>No redemption or legal terms</b> in Backcheck's catalog for this token. Ask the "
                "issuer for its prospectus, redemption terms and custodian before you rely on it.</p>"
            )
            return
        rows = []
        for key, label in TERMS:
            term = product.term(key)
            if term.value is None:
                value = "<i>unknown — the sources do not say</i>"
            elif isinstance(term.value, bool):
                value = "yes" if term.value else "no"
            elif isinstance(term.value, list):
                value = ", ".join(html.escape(str(v)) for v in term.value)
            else:
                value = html.escape(str(term.value))
            source = html.escape(term.source) + (f" (checked {term.checked})" if term.checked else "")
            rows.append(f"<tr><td><b>{label}</b></td><td>{value}</td><td><small>{source}</small></td></tr>")
        caveat = f"<p><b>{html.escape(product.caveat)}</b></p>" if product.caveat else ""
        self.setHtml(
            f"<h3>{html.escape(product.name)}</h3>{caveat}<table cellspacing='6'>"
            "<tr><th align='left'>Term</th><th align='left'>What the sources say</th>"
            f"<th align='left'>Source</th></tr>{''.join(rows)}</table>"
        )
