"""claimdiff: compare articles about one event — shared claims, contradictions, who says what."""

from .errors import ClaimdiffError, DeliveryError, InputError, LimitError, RenderError
from .model import Agreement, Article, Briefing, Claim, ClaimGroup, Contradiction, Options, Problem, Quantity
from .pipeline import analyse, analyse_articles

__version__ = "0.1.0"

__all__ = [
    "Agreement", "Article", "Briefing", "Claim", "ClaimGroup", "ClaimdiffError", "Contradiction",
    "DeliveryError", "InputError", "LimitError", "Options", "Problem", "Quantity", "RenderError",
    "analyse", "analyse_articles", "render",
]


def render(briefing: Briefing, fmt: str = "pdf", template_dir: str | None = None) -> bytes:
    """Render a briefing as pdf, html, md or json bytes."""
    from .rendering import render as _render

    return _render(briefing, fmt, template_dir=template_dir)
