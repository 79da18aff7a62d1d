"""The red-flag checklist: every rule of product.md as a small pure function from facts to a finding."""

from . import checks  # noqa: F401 - registers every rule
from .engine import RULES, Context, Finding, RuleConfig, Verdict, evaluate, verdict

__all__ = ["RULES", "Context", "Finding", "RuleConfig", "Verdict", "evaluate", "verdict"]
