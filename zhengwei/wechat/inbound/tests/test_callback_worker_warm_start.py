"""A web worker imports the URL conf and every view behind it when it starts, not in its first
callback: otherwise that callback imports for seconds while holding the GIL (issue #9, Load)."""

import subprocess
import sys

from django.conf import settings


def test_importing_the_wsgi_entry_point_loads_the_url_conf_and_its_views():
    code = (
        "import sys, zhengwei.wsgi\n"
        "from django.urls import get_resolver\n"
        "print('url_patterns' in vars(get_resolver()), 'zhengwei.hydro.views' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
        timeout=120,
    ).stdout
    assert out.split() == ["True", "True"]
