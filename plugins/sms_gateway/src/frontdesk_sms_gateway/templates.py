"""SMS texts from templates a consultant edits, rendered in jinja2's sandbox.

Templates are checked when the configuration is loaded (syntax, and for the
booking messages the variables they use), so a typo is a positioned error in
``frontdesk validate`` rather than a failed message on the day.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, meta
from jinja2.exceptions import SecurityError, TemplateError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from frontdesk_core.api import did_you_mean

BOOKING_VARIABLES = frozenset(
    {
        "code",
        "service",
        "centre",
        "address",
        "date",
        "time",
        "start",
        "end",
        "cancel_keyword",
        "url",
        "name",
        "language",
        "channel",
    }
)
"""Variables the confirmation, reminder and cancellation templates may use."""

BODY_VARIABLES = frozenset(
    {"to", "to_digits", "text", "sender", "key", "message_id", "template", "language"}
)
"""Variables an HTTP provider's request body may use."""


class TemplateRenderError(Exception):
    """A template could not be rendered; the message names the problem, never the data."""


def make_environment() -> SandboxedEnvironment:
    """The sandbox every template renders in: no autoescape (SMS is plain text), strict names."""
    return SandboxedEnvironment(
        autoescape=False, undefined=StrictUndefined, keep_trailing_newline=False
    )


_CHECKER = make_environment()


def check_template(source: str, allowed: Collection[str] | None = None) -> str:
    """Return ``source`` if it parses (and uses only ``allowed`` names); raise ValueError if not.

    The error messages are written for the consultant editing the YAML.
    """
    try:
        tree = _CHECKER.parse(source)
    except TemplateSyntaxError as exc:
        raise ValueError(
            f"the template has a syntax error on its line {exc.lineno}: {exc.message}"
        ) from None
    if allowed is not None:
        for name in sorted(meta.find_undeclared_variables(tree)):
            if name not in allowed:
                hint = did_you_mean(name, allowed) or "; variables: " + ", ".join(sorted(allowed))
                raise ValueError(f"the template uses an unknown variable '{name}'{hint}")
    return source


class Renderer:
    """Renders template sources in one sandbox, compiling each source once."""

    def __init__(self) -> None:
        self.env = make_environment()
        self._compiled: dict[str, Any] = {}

    def render(self, source: str, context: Mapping[str, Any]) -> str:
        """Render ``source`` with ``context``; raise :class:`TemplateRenderError` on any failure."""
        try:
            template = self._compiled.get(source)
            if template is None:
                template = self._compiled[source] = self.env.from_string(source)
            text: str = template.render(dict(context))
        except SecurityError as exc:
            raise TemplateRenderError(f"the template tried something unsafe: {exc}") from None
        except UndefinedError as exc:
            raise TemplateRenderError(f"the template uses a missing variable: {exc}") from None
        except TemplateError as exc:
            raise TemplateRenderError(f"the template failed: {type(exc).__name__}") from None
        except Exception as exc:  # a filter raising on odd input must not crash the sender
            raise TemplateRenderError(f"the template failed: {type(exc).__name__}") from None
        return text.strip()
