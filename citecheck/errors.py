"""The exceptions citecheck raises: only tool or environment failures, never problems in a manuscript.

A problem in the manuscript is a ``Finding``. An ``InputError`` means the input cannot be audited at
all (a missing or binary file); the command line turns it into one line on stderr and exit code 2.
"""


class CitecheckError(Exception):
    """Base class of every error citecheck raises on purpose."""


class InputError(CitecheckError):
    """The input cannot be read as a manuscript; the message says why, in one line."""
