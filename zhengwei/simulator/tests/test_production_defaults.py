"""The simulator never becomes the production default: WeChat calls go to api.weixin.qq.com
unless WECHAT_API_BASE says otherwise, and /sim/ answers 404 outside the simulator process."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def settings_in_clean_env(**env) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("WECHAT_", "SIMULATOR_"))}
    clean.pop("ZHENGWEI_ROLE", None)
    clean.update(env)
    code = (
        "import json, zhengwei.settings as s; print(json.dumps("
        "{'base': s.WECHAT_API_BASE, 'sim': s.SIMULATOR_ENABLED}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_production_api_base_is_the_real_wechat():
    assert settings_in_clean_env() == {"base": "https://api.weixin.qq.com", "sim": False}


def test_the_simulator_process_role_enables_the_simulator_only():
    values = settings_in_clean_env(ZHENGWEI_ROLE="simulator")
    assert values == {"base": "https://api.weixin.qq.com", "sim": True}


@pytest.mark.django_db(databases="__all__")
def test_sim_answers_404_when_the_simulator_is_not_enabled(client, settings):
    settings.SIMULATOR_ENABLED = False
    assert client.get("/sim/").status_code == 404
    assert client.get("/sim/api/cgi-bin/token").status_code == 404
