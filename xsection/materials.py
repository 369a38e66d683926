"""Materials: a class for drawing and physics, melting range, solder wetting.

The built-in library covers the seed flows; ``MaterialLibrary.extended``
adds or overrides entries without touching the built-in one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .errors import InputError, UnknownNameError

#: The material classes; the renderer picks one hatch pattern per class.
MATERIAL_CLASSES: tuple[str, ...] = (
    "conductor",
    "finish_metal",
    "solder",
    "semiconductor",
    "dielectric_polymer",
    "dielectric_inorganic",
    "encapsulant",
    "core",
    "temporary",
)

#: Classes that carry plating current (electroplating grows only on these).
CONDUCTIVE_CLASSES: frozenset[str] = frozenset({"conductor", "finish_metal", "solder"})


@dataclass(frozen=True)
class Material:
    """One material.

    name: library key, e.g. ``"copper"``.
    cls: one of ``MATERIAL_CLASSES``.
    solidus, liquidus: melting range in °C (``None`` where it does not melt
        in packaging processes).
    wettable: whether molten solder wets it.
    label: the name a legend shows (``"Ni/Au"``); the key with spaces if none.
    density: of the liquid, g/cm³ (solders: what gravity pulls on).
    surface_tension: of the liquid, N/m (solders: what shapes a cap or joint).
    cte: linear thermal expansion, ppm/K near room temperature (what an
        anneal expands a pad by).
    """

    name: str
    cls: str
    solidus: float | None = None
    liquidus: float | None = None
    wettable: bool = False
    label: str | None = None
    density: float | None = None
    surface_tension: float | None = None
    cte: float | None = None

    @property
    def display(self) -> str:
        """What a legend or report calls this material."""
        return self.label or self.name.replace("_", " ")

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise InputError(f"material: 'name' must be a non-empty string (got {self.name!r})")
        if self.cls not in MATERIAL_CLASSES:
            listed = ", ".join(MATERIAL_CLASSES)
            raise InputError(
                f"material {self.name!r}: 'class' must be one of {listed} (got {self.cls!r})"
            )
        for field in ("solidus", "liquidus"):
            value = getattr(self, field)
            if value is not None and (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not math.isfinite(value)
            ):
                raise InputError(
                    f"material {self.name!r}: '{field}' must be a finite number in °C "
                    f"(got {value!r})"
                )
        for field in ("density", "surface_tension", "cte"):
            value = getattr(self, field)
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                                      or not math.isfinite(value) or value <= 0):
                raise InputError(f"material {self.name!r}: '{field}' must be a number > 0 "
                                 f"(got {value!r})")
        if (self.solidus is None) != (self.liquidus is None):
            raise InputError(
                f"material {self.name!r}: give both 'solidus' and 'liquidus' or neither"
            )
        if self.solidus is not None and self.liquidus is not None and self.solidus > self.liquidus:
            raise InputError(
                f"material {self.name!r}: 'solidus' must be <= 'liquidus' "
                f"(got {self.solidus} > {self.liquidus})"
            )

    @property
    def conductive(self) -> bool:
        """True for classes that carry plating current."""
        return self.cls in CONDUCTIVE_CLASSES

    def melts_at(self, peak_temperature: float) -> bool:
        """True if the material is fully liquid at ``peak_temperature`` (°C)."""
        return self.liquidus is not None and self.liquidus <= peak_temperature


def _m(name: str, cls: str, solidus: float | None = None, liquidus: float | None = None,
       wettable: bool = False, label: str | None = None, density: float | None = None,
       surface_tension: float | None = None, cte: float | None = None) -> Material:
    return Material(name, cls, solidus, liquidus, wettable, label, density, surface_tension,
                    cte)


# Linear expansion near room temperature, ppm/K (CRC Handbook of Chemistry
# and Physics, "Thermal expansion of the elements"; fused silica for
# oxide): Cu 16.5, Ni 13.4, Ta 6.3, Ti 8.6, Si 2.6, SiO2 0.55.


# Liquid solders near 250 °C: density (g/cm³) and surface tension (N/m) in
# an inert atmosphere, representative to about ±5 % (oxide and flux move γ):
#   Sn–Ag (3.8 at% Ag): γ 0.53, ρ 6.98 — Gancarz, Moser, Gąsior, Pstruś,
#     Henein, Int. J. Thermophys. 32 (2011) 1210, maximum bubble pressure
#     and dilatometer, 250–300 °C;
#   Sn–Ag–Cu near the eutectic: γ 0.55, ρ 7.0 — Moser, Gąsior, Pstruś et al.,
#     J. Electron. Mater. 30 (2001) 1120;
#   Sn–Pb eutectic: γ 0.47, ρ 8.2; high-lead Pb90Sn10: γ 0.45, ρ 10.0 —
#     NIST database for solder properties (Siewert, Liu, Smith, Madeni,
#     2002), interpolated for the other Sn–Pb alloys.

_BUILTIN: tuple[Material, ...] = (
    _m("copper", "conductor", wettable=True, cte=16.5),
    _m("aluminium", "conductor"),
    _m("nickel", "finish_metal", wettable=True, cte=13.4),
    _m("cobalt", "finish_metal", wettable=True),
    _m("gold", "finish_metal", wettable=True),
    _m("titanium", "finish_metal", cte=8.6),
    _m("silicon", "semiconductor", cte=2.6),
    # Pb-Sn diagram: eutectic 183 °C at 61.9 wt% Sn; max Sn in (Pb) 18.3 wt% at 183 °C.
    # Pb83Sn17 lies inside the (Pb) field: solidus ~193, liquidus ~285.
    # Pb55Sn45 crosses the eutectic: solidus 183, liquidus ~227.
    _m("Sn63Pb37", "solder", 183.0, 183.0, wettable=True, density=8.2, surface_tension=0.47),
    _m("Pb83Sn17", "solder", 193.0, 285.0, wettable=True, density=9.6, surface_tension=0.45),
    _m("Pb55Sn45", "solder", 183.0, 227.0, wettable=True, density=8.7, surface_tension=0.46),
    _m("SAC305", "solder", 217.0, 220.0, wettable=True, density=7.0, surface_tension=0.55),
    _m("Pb90Sn10", "solder", 268.0, 302.0, wettable=True, density=10.0, surface_tension=0.45),
    _m("SnAg", "solder", 221.0, 221.0, wettable=True, density=6.98,
       surface_tension=0.53),  # Sn-3.5Ag eutectic
    _m("polyimide", "dielectric_polymer"),
    _m("epoxy", "encapsulant"),
    _m("solder_resist", "dielectric_polymer"),
    _m("lcp", "dielectric_polymer", label="LCP"),
    _m("bt", "core"),
    _m("fr4", "core"),
    _m("bcb", "dielectric_polymer"),
    _m("ptfe", "dielectric_polymer"),
    _m("adhesive", "encapsulant"),
    _m("photoresist", "temporary"),
    _m("silicon_dioxide", "dielectric_inorganic", cte=0.55),
    _m("silicon_nitride", "dielectric_inorganic"),
    _m("tantalum", "finish_metal", cte=6.3),
    _m("Cu6Sn5", "finish_metal"),  # intermetallics grown by ``age``
    _m("Ni3Sn4", "finish_metal"),
    _m("underfill", "encapsulant"),
    _m("mold_compound", "encapsulant"),
)


class MaterialLibrary(Mapping[str, Material]):
    """An immutable name → ``Material`` mapping."""

    def __init__(self, materials: Iterable[Material]) -> None:
        self._by_name: Mapping[str, Material] = MappingProxyType({m.name: m for m in materials})

    def __getitem__(self, name: str) -> Material:
        try:
            return self._by_name[name]
        except KeyError:
            known = ", ".join(sorted(self._by_name))
            raise UnknownNameError(f"unknown material {name!r}; known: {known}") from None

    def __repr__(self) -> str:
        return f"MaterialLibrary({len(self._by_name)} materials)"

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def get(self, name: str, default: Material | None = None) -> Material | None:  # type: ignore[override]
        return self._by_name.get(name, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_name)

    def __len__(self) -> int:
        return len(self._by_name)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._by_name.items())))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MaterialLibrary) and dict(self._by_name) == dict(other._by_name)

    def extended(self, *materials: Material) -> MaterialLibrary:
        """A new library with ``materials`` added (same name: overridden)."""
        return MaterialLibrary((*self._by_name.values(), *materials))

    def require(self, op: str, field: str, names: Iterable[str]) -> tuple[str, ...]:
        """Check every name exists; raise naming ``op`` and ``field`` otherwise."""
        if isinstance(names, str):
            names = (names,)
        out = tuple(names)
        for name in out:
            if name not in self._by_name:
                known = ", ".join(sorted(self._by_name))
                raise UnknownNameError(
                    f"{op}: unknown material {name!r} in '{field}'; known: {known}"
                )
        return out


#: The built-in library.
MATERIALS = MaterialLibrary(_BUILTIN)
