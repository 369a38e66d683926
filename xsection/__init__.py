"""xsection: exact 2D cross-sections of packages and substrates, built by
process steps on shapely polygons (lengths in µm, z up)."""

from . import display as _display  # noqa: F401 - attaches notebook display to Section, Flow
from .cutline import Cut, cut_layout
from .errors import BridgeError, GeometryError, InputError, UnknownNameError, XsectionError
from .export import export, mesh
from .materials import MATERIALS, Material, MaterialLibrary
from .ops import (
    age,
    anneal,
    assembly,
    bond,
    deposit,
    drill,
    etch,
    fill,
    flip,
    grind,
    label,
    laminate,
    mount,
    pattern,
    place,
    plate,
    reflow,
    rename,
    renumber,
    roughen,
    split,
    stack,
    strip,
    underfill,
)
from .section import Label, Layer, Region, Section
from .tolerances import Tolerances, tol

__version__ = "0.1.0"

__all__ = [
    "MATERIALS", "BridgeError", "Cut", "GeometryError", "InputError", "Label", "Layer", "Material",
    "MaterialLibrary", "Region", "Section", "Tolerances", "UnknownNameError", "XsectionError",
    "age", "anneal", "assembly", "bond", "cut_layout", "deposit", "drill", "etch", "export", "fill",
    "flip", "grind", "label", "laminate", "mesh", "mount", "pattern", "place", "plate", "reflow",
    "rename", "renumber", "roughen", "split", "stack", "strip", "tol", "underfill",
]
