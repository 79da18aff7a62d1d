"""Errors a person can act on. Their message is shown as is, never a traceback."""


class BackcheckError(Exception):
    """Base of the errors whose message is written for a user."""

    exit_code = 1


class BadInput(BackcheckError):
    """What the user typed cannot be used (unknown ticker, bad address …)."""

    exit_code = 2


class SourceError(BackcheckError):
    """A data source failed: unreachable, refused, malformed answer, wrong chain."""

    exit_code = 3
