"""The report as one HTML page (Jinja2, autoescaped): self-contained for browsers, or for QTextDocument.

Token names and symbols come from the chain, so anyone can set them: every value reaches the page
through autoescaping, never as markup. The page loads nothing: inline CSS, inline SVG charts, no
script, and a Content-Security-Policy that forbids any load. URLs (sources, methods, legal
documents) are printed as text, never as links.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import jinja2
from markupsafe import Markup

from backcheck.core.answers import CHAIN_NAMES, counts_line
from backcheck.core.resources import resource_path
from backcheck.gui import charts

from . import content

TEMPLATE = "report.html.j2"


@functools.cache
def environment() -> jinja2.Environment:
    """The template environment: the bundled templates, autoescaping on for everything."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(resource_path("export")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["lines"] = _lines
    env.filters["short"] = content.shorten
    return env


def _lines(text: str) -> Markup:
    """Each line of ``text`` escaped, joined by ``<br>`` (a list value reads one item a line)."""
    return Markup("<br>").join(text.split("\n"))


def render(document: Mapping[str, Any], *, for_pdf: bool, chart_markup: Mapping[str, str]) -> str:
    """The page for one report.

    Args:
        document: The report document (``backcheck.report/1``).
        for_pdf: Markup and CSS for QTextDocument (the PDF) instead of a browser.
        chart_markup: Per chart key, what stands in the chart's place: inline SVG (trusted,
            made by :mod:`backcheck.gui.export.svg`) or the PDF's placeholder text.
    """
    token = document["token"]
    holders, reserves = charts.holders_data(document), charts.reserves_data(document)
    return (
        environment()
        .get_template(TEMPLATE)
        .render(
            pdf=for_pdf,
            marks=content.STATUS,
            fact_keys=set(document.get("facts", {})),
            token=token,
            chain=CHAIN_NAMES.get(token.get("chain"), token.get("chain") or "?"),
            demo=document.get("demo") if document.get("kind") == "demo" else None,
            is_demo=document.get("kind") == "demo",
            as_of=document.get("as_of") or document.get("generated_at") or "unknown",
            verdict=content.verdict(document),
            counts=counts_line(document),
            red_flags=document["verdict"].get("red_flags", []),
            coverage=document["verdict"].get("coverage") or "Coverage unknown",
            groups=content.groups(document),
            findings=content.finding_views(document),
            facts=content.evidence_rows(document.get("facts", {})),
            deployments=[
                (d.get("chain", "?"), d.get("address", "?"), content.evidence_rows(d.get("facts", {})))
                for d in document.get("deployments") or []
            ],
            sources=document.get("sources", []),
            charts=[
                ("holders", holders.table(), holders.summary()),
                ("reserves", reserves.table(), reserves.summary()),
            ],
            chart_markup={key: _trusted(markup) for key, markup in chart_markup.items()},
            origin=_origin(document),
            not_proven=content.NOT_PROVEN,
        )
    )


def _origin(document: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Where the report comes from, as (label, text) rows; absent fields of older documents are skipped."""
    rows = [("Facts as of", document.get("as_of") or document.get("generated_at") or "unknown")]
    snapshot = document.get("snapshot")
    if snapshot:
        rows += [("Snapshot file", snapshot.get("file", "")), ("Snapshot digest (sha256)", snapshot.get("digest", ""))]
    else:
        rows.append(("Snapshot", "none: this report was not saved as a snapshot"))
    rows.append(("Kind", "DEMO scenario" if document.get("kind") == "demo" else document.get("kind") or "live"))
    made, judged = document.get("made_by"), document.get("evaluated_by")
    if made:
        rows.append(
            ("Facts measured by", f"Backcheck {made.get('app_version')} (thresholds {made.get('thresholds_version')})")
        )
    if judged:
        rows.append(
            (
                "Findings judged by",
                f"Backcheck {judged.get('app_version')} (thresholds {judged.get('thresholds_version')}) "
                f"at {judged.get('evaluated_at')}",
            )
        )
    rows += [
        ("Thresholds version", str(document.get("thresholds_version") or "unknown")),
        ("Report generated at", str(document.get("generated_at") or "unknown")),
        ("Query", str(document.get("query") or "")),
        ("Report format", str(document.get("schema") or "")),
    ]
    return rows


def _trusted(markup: str) -> str:
    """Chart markup is made by this package from escaped text; Jinja inserts it as is."""
    return Markup(markup)  # noqa: S704 - made by svg.py from escaped text, not taken from a source
