"""Strict invariant checks on for every test."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

from xsection import tol


@pytest.fixture(autouse=True)
def strict_mode():
    saved = tol.strict
    tol.strict = True
    yield
    tol.strict = saved


# In CI the property tests run a fixed set of examples, so a run can be repeated.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
