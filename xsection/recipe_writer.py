"""Writing a flow back to recipe TOML (tomli-w: every string escaped as
TOML requires, so what loads also writes back and loads to an equal flow)."""

from __future__ import annotations

from typing import Any

import tomli_w

from .check_specs import ValueRef
from .flow import Flow
from .materials import MATERIALS
from .section import Layer


def dump(flow: Flow) -> str:
    """The recipe TOML of ``flow`` (loads back to an equal flow).

    >>> import tomllib
    >>> from xsection import recipe
    >>> flow = recipe.load("bga")
    >>> recipe.parse(tomllib.loads(dump(flow))) == flow
    True
    """
    doc: dict[str, Any] = {"name": flow.name}
    if flow.title:
        doc["title"] = flow.title
    if flow.base is not None:
        doc["base"] = flow.base
    look: dict[str, Any] = {}
    if flow.exaggeration != 1.0:
        look["exaggeration"] = flow.exaggeration
    if flow.breaks:
        look["breaks"] = [{"numeral": n, "side": side} for n, side in flow.breaks]
    if look:
        doc["render"] = look
    own = {m.name: _material(m) for m in flow.materials.values() if MATERIALS.get(m.name) != m}
    if own:
        doc["materials"] = own
    if flow.parts:
        doc["parts"] = [_body(part) for part in flow.parts]
    doc.update({k: v for k, v in _body(flow).items() if k not in ("name", "title")})
    if flow.extras:
        doc["figures"] = [_plain(dict(e)) for e in flow.extras]
    if flow.checks:
        doc["checks"] = [_plain(dict(c)) for c in flow.checks]
    return tomli_w.dumps(doc)


def _body(flow: Flow) -> dict[str, Any]:
    """A flow's own tables: name, title, stack, domain, layers and steps."""
    doc: dict[str, Any] = {"name": flow.name}
    if flow.title:
        doc["title"] = flow.title
    if flow.stack_figure:
        doc["stack_figure"] = flow.stack_figure
    if flow.base is None:
        doc["domain"] = {"width": flow.width}
        doc["layers"] = [_layer(layer) for layer in flow.layers]
    if flow.back_to_back is not None:
        doc["back_to_back"] = _layer(flow.back_to_back)
    steps = []
    for step in flow.steps:
        item: dict[str, Any] = {"op": step.op, **_plain(dict(step.params))}
        if step.figure:
            item["figure"] = step.figure
        if step.note:
            item["note"] = step.note
        if step.allow_no_change:
            item["allow_no_change"] = True
        steps.append(item)
    doc["steps"] = steps
    return doc


def _material(mat: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"class": mat.cls}
    if mat.solidus is not None:
        out.update(solidus=mat.solidus, liquidus=mat.liquidus)
    out["wettable"] = mat.wettable
    if mat.label is not None:
        out["label"] = mat.label
    for key in ("density", "surface_tension", "cte"):
        if getattr(mat, key) is not None:
            out[key] = getattr(mat, key)
    return out


def _layer(layer: Layer) -> dict[str, Any]:
    out: dict[str, Any] = {"material": layer.material, "thickness": layer.thickness}
    if layer.numeral is not None:
        out["numeral"] = layer.numeral
    if layer.spans is not None:
        out["spans"] = [list(s) for s in layer.spans]
    return out


def _plain(value: Any) -> Any:
    """Tuples as lists, mappings as dicts, all the way down."""
    if isinstance(value, ValueRef):
        return value.text
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k): _plain(v) for k, v in value.items()}
    return value
