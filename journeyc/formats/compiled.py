"""The compile formats (journeyc/outputs.py, VIEWS): each function takes a
compilation and a `journeyc.formats.Request` and returns the bytes to
write. They adapt the backends (journeyc/backends/), which build text."""
from __future__ import annotations

from . import Request


def json(comp, request: Request) -> bytes:
    from ..backends import json as json_backend

    return json_backend.dumps(json_backend.to_json(comp, request.with_locations)).encode("utf-8")


def flow_dot(comp, request: Request) -> bytes:
    from ..backends import dot

    return dot.to_dot(comp, request.findings).encode("utf-8")


def flow_drawing(comp, request: Request) -> bytes:
    """svg, png, pdf: the DOT text laid out by Graphviz."""
    from ..backends import dot

    return dot.draw(comp, request.format, request.findings, timeout=request.layout_timeout)


def mermaid_flowchart(comp, request: Request) -> bytes:
    from ..backends import mermaid

    return mermaid.to_flowchart(comp, request.findings).encode("utf-8")


def mermaid_journey(comp, request: Request) -> bytes:
    from ..backends import mermaid

    return mermaid.to_journey(comp).encode("utf-8")


def blueprint_dot(comp, request: Request) -> bytes:
    from ..backends import blueprint

    return blueprint.to_dot(comp).encode("utf-8")


def blueprint_drawing(comp, request: Request) -> bytes:
    from ..backends import blueprint

    return blueprint.draw(comp, request.format, timeout=request.layout_timeout)


def emotion_svg(comp, request: Request) -> bytes:
    from ..backends import emotion

    return emotion.to_svg(comp).encode("utf-8")
