"""Geometry on shapely for cross-sections (µm, z up): shapes, overlays that
stay linear on large sections, exact offsets and geodesic fronts, volumes.
Every polygon a step stores goes through ``clean``."""

from .offsets import *  # noqa: F401,F403
from .offsets import _blocked, _geodesic  # noqa: F401
from .overlay import *  # noqa: F401,F403
from .overlay import _shared_lines, _union  # noqa: F401
from .shapes import *  # noqa: F401,F403
from .volumes import *  # noqa: F401,F403
