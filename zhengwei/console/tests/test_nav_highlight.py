"""One navigation item is highlighted: the page's own (issue #7: 值班台 + 灾情地图 at once)."""

import re

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("duty_officer", "/duty/map/"),
        ("duty_officer", "/duty/"),
        ("duty_officer", "/reports/counts/"),
        ("duty_officer", "/reports/"),
        ("duty_leader", "/inbox/templates/"),
    ],
)
def test_exactly_one_navigation_item_is_highlighted(world, client_for, role, path):
    html = client_for(world[role]).get(path).content.decode()
    side = html.split('<aside class="zw-side">', 1)[1].split("</aside>", 1)[0]
    active = re.findall(r'<a href="([^"]+)" class="active"', side)
    assert active == [path]
