"""Intermetallic growth at solder–metal interfaces (µm, °C, hours).

A layer grows by a parabolic law with an Arrhenius rate, x = √(k t),
k = k₀ exp(−Q / RT), and consumes the metal and the solder by their molar
volumes: Cu6Sn5 (6 Cu + 5 Sn, 117.7 cm³/mol) takes 6 · 7.11 / 117.7 =
0.362 of its thickness from the copper and the rest, 0.638, from the
solder's side (the joint's 5 % shrinkage, 0.054 x, is not drawn)::

    solder  ~~~~~~~~~~~~        solder  ~~~~~~~~~~~~
                                IMC     ############  0.638 x into the solder
    Cu      ============   ->   ---------------------  the old interface
                                IMC     ############  0.362 x into the copper
                                Cu      ============

Kinetics of total Cu–Sn IMC (Cu6Sn5 + Cu3Sn) under solid-state ageing of
Sn–3.5Ag on Cu: Q = 65.4 kJ/mol and 9 µm after 60 days at 150 °C
(Metals and Materials International 9 (2003) 193–199, doi
10.1007/BF03027277), so k₀ = (9 µm)² / 60 d · exp(Q / R·423 K) = 1.85e-9
m²/s (the as-reflowed layer counted in, so early growth is a little fast).
Other pairs take k₀ and Q from the recipe.
"""

from __future__ import annotations

import math

from shapely.geometry.base import BaseGeometry

from .. import geometry as g
from ..errors import GeometryError, InputError, require_number
from ..section import Region, Section
from ..tolerances import tol
from .common import add_body, materials_arg, numeral_arg

#: The gas constant, J/(mol·K).
R = 8.314462618
#: Per metal: the intermetallic it grows with tin and the share of the
#: layer's thickness taken from the metal, by molar volumes (Cu 7.11,
#: Ni 6.59 cm³/mol; Cu6Sn5 117.7, Ni3Sn4 75.25 cm³/mol).
COMPOUNDS: dict[str, tuple[str, float]] = {
    "copper": ("Cu6Sn5", 6 * 7.11 / 117.7),
    "nickel": ("Ni3Sn4", 3 * 6.59 / 75.25),
}
#: Per metal: k₀ (m²/s) and Q (J/mol) where a source gives them.
KINETICS: dict[str, tuple[float, float]] = {"copper": (1.85e-9, 65.4e3)}


def thickness(hours: float, temperature: float, k0: float, q: float) -> float:
    """x = √(k₀ exp(−Q / RT) t), µm, for t in hours and T in °C."""
    k = k0 * math.exp(-q / (R * (temperature + 273.15)))
    return math.sqrt(k * hours * 3600.0) * 1e6


def age(section: Section, *, temperature: float, hours: float,
        metal: str = "copper", solder: str | list[str] | None = None,
        k0: float | None = None, activation: float | None = None,
        numeral: str | None = None) -> Section:
    """Age the section at ``temperature`` for ``hours``: an intermetallic
    layer grows at every interface between a solder (``solder``; default:
    every solder) and ``metal``, x = √(k₀ exp(−Q/RT) t) thick, eating into
    both by their molar volumes (``intermetallics``). ``k0`` (m²/s) and
    ``activation`` (Q, J/mol) override the built-in constants; a pair
    without them needs both."""
    op = "age"
    t = require_number(op, "hours", hours)
    temp = require_number(op, "temperature", temperature)
    if t < 0:
        raise InputError(f"{op}: 'hours' must be >= 0 (got {t})")
    if temp <= -273.15:
        raise InputError(f"{op}: 'temperature' must be above absolute zero (got {temp} °C)")
    (mat,) = materials_arg(op, section, "metal", metal)
    numeral = numeral_arg(op, "numeral", numeral)
    solders = tuple(m for m in section.materials if section.materials[m].cls == "solder") \
        if solder is None else materials_arg(op, section, "solder", solder)
    if mat not in COMPOUNDS:
        raise InputError(f"{op}: 'metal' must be one of {', '.join(COMPOUNDS)} (tin reacts "
                         f"with it into a known intermetallic); got {mat!r}")
    compound, share = COMPOUNDS[mat]
    if mat not in KINETICS and (k0 is None or activation is None):
        raise InputError(f"{op}: no built-in kinetics for solder on {mat}; give 'k0' (m²/s) "
                         f"and 'activation' (J/mol) from a source")
    k_base, q_base = KINETICS.get(mat, (0.0, 0.0))
    k_use = k_base if k0 is None else require_number(op, "k0", k0)
    q_use = q_base if activation is None else require_number(op, "activation", activation)
    if k_use <= 0 or q_use < 0:
        raise InputError(f"{op}: 'k0' must be > 0 and 'activation' >= 0 (got {k_use}, {q_use})")
    x = thickness(t, temp, k_use, q_use)
    if x <= tol.grid:
        return section
    metal_body = section.union_of(materials=[mat])
    solder_body = section.union_of(materials=list(solders))
    interface = g.shared_boundary(solder_body, metal_body)
    if interface.length <= tol.touch:
        raise GeometryError(f"{op}: no {', '.join(solders)} meets {mat} to react with")
    into_metal = _into(interface, metal_body, share * x)
    into_solder = _into(interface, solder_body, (1 - share) * x)
    layer = g.clean(g.union([into_metal, into_solder]))
    regions = [Region(g.polygonal(g.difference(r.geometry, layer)), r.material, r.numeral)
               if r.material == mat or r.material in solders else r
               for r in section.regions]
    eaten = section.evolve(regions)
    return add_body(eaten, layer, compound, numeral)


def _into(line: BaseGeometry, body: BaseGeometry, depth: float) -> BaseGeometry:
    """What of ``body`` lies within ``depth`` of ``line`` inside it."""
    if depth <= tol.grid:
        return g.EMPTY
    return g.intersection(g.geodesic_offset(line, body, depth), body)
