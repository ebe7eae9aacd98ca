"""The demo's flood data (synthetic stations, the Nesat/Haitang sample) loaded for a test."""

from __future__ import annotations

import pytest


@pytest.fixture
def flood(db, settings, tmp_path):
    from zhengwei.demo import hydro

    hydro.seed(out=lambda *a: None)
