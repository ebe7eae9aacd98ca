"""What the record says the reporter was told is what their phone received, word for word: the
status page, the console's timeline and the message log hold the text the outbound message
carried (the record is evidence, for the contractor's evaluation too)."""

import html
import re

import pytest
from django.urls import reverse

from zhengwei.interactions.models import CitizenNotice
from zhengwei.interactions.tests.helpers import OPENID, chat_report, sent_texts
from zhengwei.reports import links
from zhengwei.reports import services as reports

pytestmark = pytest.mark.django_db

NEIGHBOUR = "oCitizenInteractions00000002"


def _handled(world, capture):
    """A chat report and a neighbour's report of the same event, merged, dispatched with the
    officer's words, worked on and resolved: silent steps, templates and officers' notes."""
    duty, unit = world["duty_officer"], world["unit_officer"]
    report = chat_report(world, OPENID, capture)
    neighbour = chat_report(world, NEIGHBOUR, capture)
    steps = (
        (reports.report_triage, {"actor": duty, "report": report, "priority": "P1"}),
        (reports.report_merge, {"actor": duty, "parent": report, "duplicates": [neighbour]}),
        (
            reports.report_dispatch,
            {
                "actor": duty,
                "report": report,
                "unit": world.unit,
                "public_note": "请保持电话畅通。",
            },
        ),
        (reports.report_sign, {"actor": unit, "report": report}),
        (
            reports.report_progress,
            {"actor": unit, "report": report, "public_note": "排涝车已到场。"},
        ),
        (reports.report_resolve, {"actor": unit, "report": report, "public_note": "积水已排除。"}),
    )
    for service, kwargs in steps:
        with capture(execute=True):
            service(**kwargs)
    return report, neighbour


def _status_page_texts(client, report) -> list[str]:
    body = client.get(links.status_path(report.ticket)).content.decode()
    return [
        html.unescape(text)
        for text in re.findall(r'<div data-testid="told">(.*?)</div>', body, re.S)
    ]


def test_the_status_page_shows_word_for_word_what_the_phone_received(
    world, client, wechat, django_capture_on_commit_callbacks
):
    report, neighbour = _handled(world, django_capture_on_commit_callbacks)
    received = sent_texts(wechat, OPENID)
    # received (the ticket), the merge, dispatch with the officer's words, progress, resolution;
    # triage, the acknowledgement and the unit's signature are silent by default.
    assert len(received) == 5
    assert report.ticket in received[0] and "请保持电话畅通。" in received[2]
    assert _status_page_texts(client, report) == received

    told_neighbour = sent_texts(wechat, NEIGHBOUR)
    assert len(told_neighbour) == 5 and neighbour.ticket in told_neighbour[1]
    assert "积水已排除。" in told_neighbour[-1] and report.ticket in told_neighbour[-1]
    assert _status_page_texts(client, neighbour) == told_neighbour


def test_the_record_of_each_message_holds_the_text_it_carried(
    world, wechat, django_capture_on_commit_callbacks
):
    report, neighbour = _handled(world, django_capture_on_commit_callbacks)
    for openid in (OPENID, NEIGHBOUR):
        notices = CitizenNotice.objects.filter(openid=openid).order_by("id")
        assert [n.text for n in notices] == sent_texts(wechat, openid)
        assert [n.outbound.body["content"] for n in notices] == sent_texts(wechat, openid)
    told = [s.public_note for s in report.steps.order_by("id") if s.public_note]
    assert told == sent_texts(wechat, OPENID)


def test_the_consoles_timeline_shows_the_officer_what_the_reporter_was_told(
    world, client_for, wechat, django_capture_on_commit_callbacks
):
    report, _ = _handled(world, django_capture_on_commit_callbacks)
    body = client_for(world["duty_officer"]).get(reverse("reports:detail", args=[report.ticket]))
    page = html.unescape(body.content.decode())
    assert report.ticket in page
    for text in sent_texts(wechat, OPENID):
        assert text in page
