"""Panels other apps add to the home page, so governance never imports them.

Dependencies point one way (governance ← kpis ← agreements): an app registers a callable in its
AppConfig.ready(); the home page asks each callable for its panel. A callable returns None when
the person has nothing to see in it, and should read with a fixed number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    """A template to include on the home page with its own context, in a grid column."""

    template_name: str
    context: dict[str, Any] = field(default_factory=dict)
    css_class: str = "col-12"


PanelSource = Callable[[HttpRequest], Panel | None]
_sources: list[PanelSource] = []


def register(source: PanelSource) -> PanelSource:
    """Add a panel source (usable as a decorator); registering twice keeps one."""
    if source not in _sources:
        _sources.append(source)
    return source


def panels_for(request: HttpRequest) -> list[Panel]:
    """The panels this person's home page shows, in the order the apps registered them."""
    return [panel for source in _sources if (panel := source(request)) is not None]
