"""PDF and HTML export of real reports (the shipped demos): read back with poppler and html.parser."""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from backcheck.core.answers import ICONS, QUESTIONS, WORDS, answers, counts_line, group_status, verdict_line
from backcheck.core.errors import BadInput
from backcheck.core.snapshot import load_source
from backcheck.gui.export import export_html, export_pdf
from backcheck.gui.export.content import EXTRA_GROUPS, groups

DEMOS = ("clean", "paused-single-key", "impostor")
SECTIONS = (
    "Answer",
    "The five questions",
    "Every finding",
    "Evidence",
    "Charts",
    "Where this report comes from",
    "What this report does not prove",
)
HOSTILE_NAME = "<script>alert(1)</script>"
HOSTILE_SYMBOL = "<img src=x onerror=alert(1)>"
NEW_FIELDS = ("kind", "as_of", "made_by", "evaluated_by", "snapshot", "demo")


def poppler(tool: str, *args: str) -> str:
    """Run a poppler-utils tool; a missing install fails the test (tools/bootstrap.sh --test installs it)."""
    path = shutil.which(tool)
    assert path is not None, f"{tool} is missing: install poppler-utils (tools/bootstrap.sh --test)"
    return subprocess.run([path, *args], capture_output=True, text=True, check=True, timeout=60).stdout


def demo(name: str) -> tuple[str, bytes, dict]:
    snapshot, report = load_source(f"demo:{name}")
    return snapshot.name, snapshot.data, report.document


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An empty folder for the exports (tmp_path also holds the test's settings folder)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


class Page(HTMLParser):
    """Every start tag with its attributes, the text, the headings and the style sheet of a page."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.headings: list[tuple[str, str]] = []
        self.style = ""
        self._open: list[str] = []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._open.append(tag)
        if tag in ("h1", "h2", "h3"):
            self.headings.append((tag, ""))

    def handle_endtag(self, tag):
        if tag in self._open:
            del self._open[len(self._open) - 1 - self._open[::-1].index(tag) :]

    def handle_data(self, data):
        self.text.append(data)
        if self.headings and self._open and self._open[-1] == self.headings[-1][0]:
            tag, text = self.headings[-1]
            self.headings[-1] = (tag, text + data)
        if self._open and self._open[-1] == "style":
            self.style += data

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


@pytest.mark.parametrize("name", DEMOS)
def test_pdf_shows_token_verdict_every_finding_and_digest(qapp, out, artifacts_dir, name):
    file_name, data, document = demo(name)
    pdf = out / f"{name}.pdf"
    export_pdf(document, pdf, attachment=(file_name, data))
    text = poppler("pdftotext", str(pdf), "-")
    assert document["token"]["symbol"] in text
    assert "DEMO" in text and document["demo"]["title"] in " ".join(text.split())
    for finding in document["findings"]:
        assert finding["id"] in text, finding["id"]
    for status in {"info" if f.get("info") else f["status"] for f in document["findings"]}:
        assert f"{ICONS[status]} {WORDS[status]}" in text, status  # icon and word, as in the window
    assert document["verdict"]["coverage"] in " ".join(text.split())
    assert document["snapshot"]["digest"] in text and document["as_of"] in text
    positions = [text.index(heading) for heading in SECTIONS]
    assert positions == sorted(positions), "sections out of order"
    info = poppler("pdfinfo", str(pdf)).splitlines()
    pages = int(next(line.split()[-1] for line in info if line.startswith("Pages")))
    assert text.count("DEMO") >= pages, "every page header says DEMO"
    for first, last, part in ((1, 2, "answer"), (pages - 1, pages, "end")):  # the five questions; charts and origin
        for old in artifacts_dir.glob(f"export-{name}-{part}-*.png"):
            old.unlink()
        shot = artifacts_dir / f"export-{name}-{part}"
        poppler("pdftoppm", "-r", "70", "-png", "-f", str(first), "-l", str(last), str(pdf), str(shot))


@pytest.mark.parametrize("name", DEMOS)
def test_the_answer_layer_is_the_windows(qapp, out, name):
    """Verdict line, counts, and each question's status, figure and sentence come from core.answers."""
    _, _, document = demo(name)
    export_html(document, out / "r.html")
    export_pdf(document, out / "r.pdf")
    html = " ".join("".join(Page((out / "r.html").read_text(encoding="utf-8")).text).split())
    pdf = " ".join(poppler("pdftotext", str(out / "r.pdf"), "-").split())
    for text in (html, pdf):
        assert verdict_line(document) in text
        assert " ".join(counts_line(document).split()) in text
        for item in answers(document):
            assert f"{item.question} {ICONS[item.status]} {WORDS[item.status]}" in text, item.key
            assert item.shown_figure in text and item.sentence in text and item.measured in text, item.key


def test_findings_no_question_holds_are_grouped_apart(qapp):
    """The five groups are core's answers; every other applicable finding is in exactly one extra group."""
    _, _, document = demo("clean")
    shown = groups(document)
    assert [g.key for g in shown[:5]] == [key for key, _, _ in QUESTIONS]
    assert [tuple(v.id for v in g.findings) for g in shown[:5]] == [a.findings for a in answers(document)]
    placed = {rule_id for _, _, ids in QUESTIONS for rule_id in ids}
    rest = {f["id"] for f in document["findings"] if f["id"] not in placed and f["status"] != "n/a"}
    extra = [v.id for g in shown[5:] for v in g.findings]
    assert rest and sorted(extra) == sorted(rest)
    by_id = {f["id"]: f for f in document["findings"]}
    for group in shown[5:]:
        assert group.key in {key for key, _, _ in EXTRA_GROUPS}
        mine = [by_id[v.id] for v in group.findings]
        assert group.status == (group_status(mine) if mine else None)
    assert shown[5].figure == "1 token = 1.0021 shares."  # the multiplier, a figure without a check of its own


def test_a_page_long_symbol_cannot_bury_the_verdict(qapp, out):
    _, _, document = demo("impostor")
    document = copy.deepcopy(document)
    document["token"]["symbol"] = "AAPLx" * 1000
    export_html(document, out / "r.html")
    verdict = (out / "r.html").read_text(encoding="utf-8").split('<p class="verdict">')[1].split("</p>")[0]
    assert len(verdict) < 500 and "shortened" in verdict and "NOT on any issuer&#39;s list" in verdict


def test_pdf_carries_the_snapshot_as_an_attachment(qapp, out):
    file_name, data, document = demo("clean")
    pdf = out / "clean.pdf"
    export_pdf(document, pdf, attachment=(file_name, data))
    assert file_name in poppler("pdfdetach", "-list", str(pdf))
    poppler("pdfdetach", "-save", "1", "-o", str(out / "attached"), str(pdf))
    assert (out / "attached").read_bytes() == data
    assert "PDF version:     1.6" in poppler("pdfinfo", str(pdf))


def test_pdf_without_attachment_has_none(qapp, out):
    _, _, document = demo("clean")
    export_pdf(document, out / "plain.pdf")
    assert poppler("pdfdetach", "-list", str(out / "plain.pdf")).startswith("0 embedded files")


def test_pdf_embeds_only_the_bundled_font(qapp, out):
    """The PDF looks the same everywhere: only DejaVu Sans, embedded, whatever the machine has."""
    _, _, document = demo("paused-single-key")
    export_pdf(document, out / "r.pdf")
    rows = poppler("pdffonts", str(out / "r.pdf")).splitlines()[2:]
    assert {row.split()[0] for row in rows} == {"DejaVuSans", "DejaVuSans-Bold"}
    assert all(row.split()[-5] == "yes" for row in rows), rows  # the "emb" column


def test_html_escapes_names_from_the_chain(qapp, out):
    _, _, document = demo("impostor")
    document = copy.deepcopy(document)
    document["token"]["name"], document["token"]["symbol"] = HOSTILE_NAME, HOSTILE_SYMBOL
    document["facts"]["token_name"]["value"] = "</td></tr></table><h1>spoof</h1>"
    holders = document["facts"]["holders"]["value"]
    holders[0] = {**holders[0], "label": HOSTILE_NAME}
    export_html(document, out / "r.html")
    markup = (out / "r.html").read_text(encoding="utf-8")
    page = Page(markup)
    assert not page.named("script") and not page.named("img")
    assert [text for tag, text in page.headings if tag == "h1"] == [f"{HOSTILE_SYMBOL} — {HOSTILE_NAME}"]
    text = "".join(page.text)
    assert HOSTILE_NAME in text and "</td></tr></table><h1>spoof</h1>" in text
    assert f"{HOSTILE_NAME} (shown apart)" in text  # the holders table; the SVG text is escaped too
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup.split('<h2 id="charts"')[1].split("</svg>")[0]


def test_pdf_escapes_names_from_the_chain(qapp, out):
    _, _, document = demo("impostor")
    document = copy.deepcopy(document)
    document["token"]["name"], document["token"]["symbol"] = HOSTILE_NAME, HOSTILE_SYMBOL
    export_pdf(document, out / "r.pdf")
    text = poppler("pdftotext", str(out / "r.pdf"), "-").replace("\n", "")  # the big title wraps the name
    assert HOSTILE_NAME in text and HOSTILE_SYMBOL in text


def test_a_page_long_name_cannot_bury_the_answer(qapp, out):
    _, _, document = demo("impostor")
    document = copy.deepcopy(document)
    document["token"]["name"] = "Apple " * 1000
    export_html(document, out / "r.html")
    page = Page((out / "r.html").read_text(encoding="utf-8"))
    h1 = next(text for tag, text in page.headings if tag == "h1")
    assert len(h1) < 200 and "shortened" in h1


def test_html_is_accessible(qapp, out):
    _, _, document = demo("paused-single-key")
    export_html(document, out / "r.html")
    page = Page((out / "r.html").read_text(encoding="utf-8"))
    assert [tag for tag, _ in page.headings].count("h1") == 1
    h2 = [text.strip() for tag, text in page.headings if tag == "h2"]
    assert h2 == list(SECTIONS)
    assert page.named("html")[0]["lang"] == "en"
    headers = page.named("th")
    assert headers and all(attrs.get("scope") in ("col", "row") for attrs in headers)
    texts = {text.strip() for text in page.text}
    for key in document["facts"]:
        assert key in texts, key
    charts = page.named("svg")
    assert len(charts) == 2
    assert all(attrs.get("role") == "img" and attrs.get("aria-label") for attrs in charts)
    assert len(page.named("title")) == 1 + len(charts)  # the page's and each chart's
    assert len(page.named("figcaption")) == len(charts)
    ids = [attrs["id"] for _, attrs in page.tags if "id" in attrs]
    assert len(ids) == len(set(ids))


def test_every_chain_of_an_all_chains_report_has_its_evidence(qapp, out):
    _, _, document = demo("clean")
    per_chain = {"chain": "arbitrum", "address": "0xabc", "facts": {"total_supply": document["facts"]["total_supply"]}}
    document = {**document, "deployments": [per_chain]}
    export_html(document, out / "r.html")
    export_pdf(document, out / "r.pdf")
    page = Page((out / "r.html").read_text(encoding="utf-8"))
    assert ("h3", "On arbitrum (0xabc)") in page.headings
    assert any(attrs.get("id") == "fact-arbitrum-total_supply" for _, attrs in page.tags)
    assert "On arbitrum (0xabc)" in poppler("pdftotext", str(out / "r.pdf"), "-")


def test_html_loads_nothing(qapp, out):
    """Self-contained: no script, no external resource, no link out; web addresses are printed as text."""
    _, _, document = demo("clean")
    export_html(document, out / "r.html")
    markup = (out / "r.html").read_text(encoding="utf-8")
    page = Page(markup)
    for tag in ("script", "link", "iframe", "object", "embed", "img", "base", "form"):
        assert not page.named(tag), tag
    assert not any("src" in attrs or "srcset" in attrs for _, attrs in page.tags)
    hrefs = [attrs["href"] for _, attrs in page.tags if "href" in attrs]
    assert hrefs and all(str(href).startswith("#") for href in hrefs)
    assert not any(name.startswith("on") for _, attrs in page.tags for name in attrs)
    assert "url(" not in page.style and "@import" not in page.style
    policy = next(a for a in page.named("meta") if a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in str(policy["content"])
    ids = {attrs["id"] for _, attrs in page.tags if "id" in attrs}
    assert all(str(href)[1:] in ids for href in hrefs), "an internal link points nowhere"


def test_a_document_without_the_newer_fields_exports(qapp, out):
    _, _, document = demo("clean")
    older = {key: value for key, value in document.items() if key not in NEW_FIELDS}
    export_pdf(older, out / "r.pdf")
    export_html(older, out / "r.html")
    text = poppler("pdftotext", str(out / "r.pdf"), "-")
    assert "DEMO" not in text and "not saved as a snapshot" in text
    assert older["generated_at"] in text
    assert "DEMO" not in (out / "r.html").read_text(encoding="utf-8")


def test_a_missing_folder_is_one_sentence_and_writes_nothing(qapp, out):
    _, _, document = demo("clean")
    for export, name in ((export_pdf, "r.pdf"), (export_html, "r.html")):
        with pytest.raises(BadInput, match=r"the folder .*nope does not exist\.$"):
            export(document, out / "nope" / name)
    assert list(out.iterdir()) == []


def test_an_unwritable_folder_is_one_sentence(qapp):
    """/proc takes no new files, even for root (tests may run as root, where chmod does not stop a write)."""
    _, _, document = demo("clean")
    with pytest.raises(BadInput, match=r"^Cannot write in /proc: "):
        export_html(document, Path("/proc/r.html"))


def test_a_folder_as_target_is_refused(qapp, out):
    _, _, document = demo("clean")
    (out / "r.pdf").mkdir()
    with pytest.raises(BadInput, match="it is a folder"):
        export_pdf(document, out / "r.pdf")


def test_an_export_replaces_an_existing_file_whole(qapp, out):
    _, _, document = demo("clean")
    target = out / "r.pdf"
    target.write_bytes(b"an older export")
    export_pdf(document, target)
    data = target.read_bytes()
    assert data.startswith(b"%PDF-1.6") and data.rstrip().endswith(b"%%EOF")
    assert os.listdir(out) == ["r.pdf"]


def test_a_failed_export_leaves_the_existing_file_intact(qapp, out):
    _, _, document = demo("clean")
    broken = {**document, "findings": [{"id": "XX-1", "status": "pass", "evidence": 7}]}
    for export, name in ((export_pdf, "r.pdf"), (export_html, "r.html")):
        target = out / name
        target.write_bytes(b"an older export")
        with pytest.raises(TypeError):
            export(broken, target)
        assert target.read_bytes() == b"an older export"
    assert sorted(os.listdir(out)) == ["r.html", "r.pdf"]
