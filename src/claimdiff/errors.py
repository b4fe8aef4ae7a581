"""The tool's own error type. The CLI turns it into a one-line message and an exit code."""

from __future__ import annotations


class ClaimdiffError(Exception):
    """A failure the user can act on. str(error) is the whole message, naming the file where one is involved."""

    exit_code = 1


class InputError(ClaimdiffError):
    """An article could not be read: missing, unreadable, unsupported, empty or undecodable."""

    exit_code = 2


class LimitError(ClaimdiffError):
    """A configured limit (file size, number of articles, claims per article) was exceeded."""

    exit_code = 3


class RenderError(ClaimdiffError):
    """The briefing could not be rendered or written."""


class DeliveryError(ClaimdiffError):
    """The briefing could not be sent."""

    exit_code = 4
