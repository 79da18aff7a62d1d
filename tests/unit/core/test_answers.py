"""The five answers: worst status of their findings, unknown never shown as pass, one figure each."""

import pytest

from backcheck.core.answers import ICONS, QUESTIONS, WORDS, answer, answers, counts_line, group_status, verdict_line
from backcheck.core.rules import RULES


def finding(rule_id: str, status: str, explanation: str = "First sentence. Second one.", **extra) -> dict:
    return {"id": rule_id, "status": status, "title": f"title of {rule_id}", "explanation": explanation, **extra}


def document(findings: list[dict], facts: dict | None = None, official: bool | None = True) -> dict:
    token = {"symbol": "AAPLx", "address": "0x9d27", "issuer": "Backed", "chain": "ethereum", "official": official}
    facts = {k: {"value": v, "fetched_at": "2026-06-01T15:00:00.000Z"} for k, v in (facts or {}).items()}
    return {"token": token, "facts": facts, "findings": findings, "verdict": {"worst": []}}


def test_every_rule_but_the_report_level_ones_answers_exactly_one_question():
    placed = [rule_id for _, _, ids in QUESTIONS for rule_id in ids]
    assert len(placed) == len(set(placed))
    report_level = {"DQ-1", "DQ-3", "MK-1"}  # coverage, staleness and the walkthrough's manual check
    assert set(placed) == {rule_id for rule_id, _, _ in RULES} - report_level


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (["pass", "pass"], "pass"),
        (["pass", "unknown"], "unknown"),  # one check not measured: the answer is not a pass
        (["unknown", "caution"], "caution"),
        (["caution", "warning", "pass"], "warning"),
        (["critical", "unknown"], "critical"),
        (["n/a", "pass"], "pass"),
        (["n/a"], "n/a"),
    ],
)
def test_the_answer_is_the_worst_of_its_findings(statuses, expected):
    doc = document([finding(f"HD-{n + 1}", s) for n, s in enumerate(statuses)])
    result = answer("holders", "Who holds it?", ("HD-1", "HD-2", "HD-3"), doc)
    assert result.status == expected
    applicable = [s for s in statuses if s != "n/a"]
    judged = [s for s in applicable if s != "unknown"]
    assert result.measured == f"{len(judged)} of {len(applicable)} checks measured"


def test_only_info_passes_make_an_info_answer():
    doc = document([finding("RD-3", "pass", info=True), finding("RD-9", "pass", info=True)])
    assert answer("exit", "?", ("RD-3", "RD-9"), doc).status == "info"
    doc["findings"].append(finding("RD-1", "pass"))
    assert answer("exit", "?", ("RD-1", "RD-3", "RD-9"), doc).status == "pass"


def test_the_sentence_is_the_worst_findings_first_sentence():
    doc = document(
        [finding("CT-2", "warning"), finding("CT-4", "critical", "The token is paused. Nobody can move it.")]
    )
    result = answer("control", "Who can control it?", ("CT-2", "CT-4"), doc)
    assert result.sentence == "CT-4 title of CT-4: The token is paused."
    assert result.findings == ("CT-4", "CT-2")
    unknown = answer("control", "?", ("CT-4",), document([finding("CT-4", "unknown")]))
    assert "could not be run, so this is not a pass" in unknown.sentence


@pytest.mark.parametrize(
    ("facts", "figure"),
    [
        (
            {"reserves_coverage": "1.002693", "reserves_age_hours": "6.0"},
            "100.27 % covered (issuer's proof, 6.0 h old)",
        ),
        (
            {"reserves_coverage": "1.5", "reserves_coverage_measured": "0.9"},
            "90.00 % covered (measured by Backcheck)",  # the app's own measurement first
        ),
        ({}, None),
        ({"reserves_coverage": "NaN"}, None),
    ],
)
def test_the_backing_figure(facts, figure):
    assert answer("backed", "?", ("RS-1",), document([finding("RS-1", "pass")], facts)).figure == figure


def test_figures_of_the_other_cards():
    doc = document([], {"paused": True, "holders_top1_share": "0.490021", "premium": "-0.004"}, official=False)
    figures = {a.key: a.figure for a in answers(doc)}
    assert figures == {
        "what": "NOT on any issuer's list",
        "backed": None,
        "control": "Paused now",
        "holders": "Top holder 49.00 % of the float",
        "exit": "Price -0.40 % vs the shares' value",
    }


def test_verdict_line_says_what_it_is_the_backing_and_the_worst():
    doc = document(
        [finding("RS-1", "pass"), finding("RS-4", "caution", "Self-reported only. More.")],
        {"reserves_coverage": "1.0", "reserves_age_hours": "6.0"},
    )
    doc["verdict"]["worst"] = ["RS-4 Weak reserve evidence"]
    line = verdict_line(doc)
    assert line.startswith("AAPLx is Backed's official token on Ethereum. Backing: 100.00 % covered")
    assert "— caution: RS-4 title of RS-4: Self-reported only." in line and line.endswith(
        "Worst: RS-4 Weak reserve evidence."
    )
    impostor = verdict_line(document([], official=False))
    assert "NOT on any issuer's list" in impostor and "No finding above unknown." in impostor


def test_status_words_and_icons_tell_unknown_and_stale_from_pass():
    assert len(set(ICONS.values())) == len(ICONS) and len(set(WORDS.values())) == len(WORDS)


@pytest.mark.parametrize(
    ("findings", "expected"),
    [
        ([finding("DQ-1", "caution"), finding("MK-1", "unknown")], "caution"),
        ([finding("DQ-3", "pass"), finding("MK-1", "unknown")], "unknown"),  # never a pass with one unknown
        ([finding("DQ-3", "pass", info=True), finding("MK-1", "pass")], "pass"),
        ([finding("DQ-3", "pass", info=True)], "info"),
        ([finding("DQ-3", "n/a")], "n/a"),
        ([], "n/a"),
    ],
)
def test_a_group_of_findings_outside_the_questions_has_the_same_status_rule(findings, expected):
    assert group_status(findings) == expected


def test_counts_line_is_worst_first_with_icons_and_info_apart():
    doc = document([])
    doc["verdict"]["counts"] = {"pass": 19, "caution": 5, "critical": 0, "unknown": 8, "n/a": 4, "info": 4}
    line = counts_line(doc)
    assert line == "◆\u00a05\u00a0caution, ?\u00a08\u00a0unknown, ●\u00a04\u00a0info, ✔\u00a019\u00a0pass"


@pytest.mark.parametrize(
    ("official", "basis", "badge"),
    [
        (True, "issuer", "Official: on the issuer's list"),
        (None, "third-party", "Listed by someone/list, not confirmed by the issuer"),
        (False, "withdrawn", "Withdrawn from the issuer's list"),
        (None, "user", "Added by you"),
        (False, None, "NOT on any issuer's list"),
    ],
)
def test_standing_says_whose_list_holds_the_token(official, basis, badge):
    from backcheck.core.answers import standing

    token = {"official": official, "basis": basis, "listed_by": "someone/list"}
    assert standing(token)[0] == badge
    sentence = standing(token)[1].format(name="X", issuer="Y", chain="Z")
    assert sentence.startswith("X ") and "{" not in sentence
