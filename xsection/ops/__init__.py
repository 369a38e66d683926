"""Process-step operators: pure functions ``op(section, *, ...) -> Section`` (µm)."""

from ..section import Layer
from .additive import deposit, fill, plate
from .assemble import bond, mount, renumber
from .build import laminate, place, stack
from .etch import drill, etch, pattern
from .intermetallics import age
from .naming import assembly, label, rename
from .planarize import anneal
from .reflow import reflow
from .removal import grind, roughen, strip
from .transform import flip, split
from .underfill import underfill

__all__ = [
    "Layer",
    "age",
    "anneal",
    "assembly",
    "bond",
    "deposit",
    "drill",
    "etch",
    "fill",
    "flip",
    "grind",
    "label",
    "laminate",
    "mount",
    "pattern",
    "place",
    "plate",
    "reflow",
    "rename",
    "renumber",
    "roughen",
    "split",
    "stack",
    "strip",
    "underfill",
]
