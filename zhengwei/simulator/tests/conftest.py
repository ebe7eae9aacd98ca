from __future__ import annotations

import io

import pytest
from PIL import Image

from zhengwei.simulator.tests.helpers import Api, Receiver


@pytest.fixture(autouse=True)
def simulator_settings(settings):
    settings.SIMULATOR_ENABLED = True
    settings.SIMULATOR_PUBLIC_URL = "http://127.0.0.1:9/sim/"
    settings.SIMULATOR_CALLBACK_BASE = "http://127.0.0.1:9"  # closed: nothing listens
    settings.SIMULATOR_LIMITS = {
        "phone": {"async": False},
        "publish": {"delay_seconds": 0},
        "mass": {"delay_seconds": 0},
        "callback": {"timeout_seconds": 2, "attempts": 3},
        "deliveries": {"poll_seconds": 0.2},
    }
    yield settings
    from zhengwei.simulator.deliveries import dispatcher

    dispatcher.stop()


@pytest.fixture
def account(db):
    from zhengwei.simulator.seed import seed

    return seed()


@pytest.fixture
def api(client, account):
    caller = Api(client)
    caller.login(account)
    return caller


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


def image_bytes(fmt: str = "JPEG", size=(64, 48), color=(30, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


@pytest.fixture
def thumb(api):
    """A permanent image material, usable as a draft's thumb_media_id."""
    return api.upload("cgi-bin/material/add_material", image_bytes(), type="image")["media_id"]


@pytest.fixture
def draft(api, thumb):
    def make(title="福建防汛：今日雨情通报", **extra):
        article = {
            "title": title,
            "author": "省防汛办",
            "content": "<p>今日全省普降中到大雨。</p>",
            "thumb_media_id": thumb,
            "need_open_comment": 1,
            **extra,
        }
        return api.post("cgi-bin/draft/add", {"articles": [article]})["media_id"]

    return make
