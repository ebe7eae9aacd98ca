"""Security headers on every dynamic response (zhengwei/lib/headers.py), and the template rules
that let the Content-Security-Policy be enforced: no inline event handlers, no javascript: URLs,
inline scripts and styles only with the response's nonce."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _nonce(csp: str) -> str:
    return re.search(r"'nonce-([^']+)'", csp).group(1)


def test_a_page_carries_a_nonce_based_policy_that_forbids_inline_handlers(client):
    response = client.get("/signin/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp.split("style-src-attr")[0]  # not for scripts or sheets
    assert "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "geolocation=(self)" in response["Permissions-Policy"]


def test_each_response_gets_a_new_nonce_and_the_page_uses_it(client, world, client_for):
    c = client_for(world["duty_officer"])
    first, second = c.get("/reports/"), c.get("/reports/")
    assert first.status_code == second.status_code == 200
    n1, n2 = _nonce(first["Content-Security-Policy"]), _nonce(second["Content-Security-Policy"])
    assert n1 != n2
    assert f'nonce="{n1}"'.encode() in first.content
    assert b"<script>" not in first.content


def test_dynamic_pages_are_not_stored_by_any_cache(client, world, client_for):
    response = client_for(world["duty_officer"]).get("/reports/")
    assert response["Cache-Control"] == "no-store"


def test_report_only_mode_sends_the_policy_without_enforcing_it(client, settings):
    settings.CSP_REPORT_ONLY = True
    response = client.get("/signin/")
    assert "Content-Security-Policy" not in response
    assert "nonce-" in response["Content-Security-Policy-Report-Only"]


def test_map_tiles_from_another_server_are_allowed_as_images(client, settings):
    settings.MAP_TILE_URL = "http://tiles.example.gov.cn:8080/{z}/{x}/{y}.png"
    csp = client.get("/signin/")["Content-Security-Policy"]
    assert "http://tiles.example.gov.cn:8080" in csp


INLINE_HANDLER = re.compile(r"""<[^>]*\son[a-z]+\s*=\s*["']""", re.I | re.S)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I)
SCRIPT_TAG = re.compile(r"<(script|style)\b([^>]*)>", re.I)


def _templates():
    for path in sorted(ROOT.glob("**/templates/**/*.html")):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        yield path


@pytest.mark.parametrize("rule", ["inline handler", "javascript: URL", "script without nonce"])
def test_no_template_breaks_the_content_security_policy(rule):
    offenders = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT)
        if rule == "inline handler":
            offenders += [f"{name}: {m.group(0)[:80]}" for m in INLINE_HANDLER.finditer(text)]
        elif rule == "javascript: URL":
            offenders += [f"{name}: {m.group(0)}" for m in JS_URL.finditer(text)]
        else:
            for m in SCRIPT_TAG.finditer(text):
                attrs = m.group(2)
                if "src=" in attrs or "nonce=" in attrs or 'type="application/json"' in attrs:
                    continue
                offenders.append(
                    f'{name}: <{m.group(1)}{attrs}> needs nonce="{{{{ request.csp_nonce }}}}"'
                )
    assert not offenders, "\n".join(offenders)
