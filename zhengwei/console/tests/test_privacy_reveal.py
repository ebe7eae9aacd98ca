"""Those who may see citizens' personal data see it in full only by asking, and every reveal is in
the audit trail; everyone else is refused (issue #7)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhengwei.audit.models import AuditEntry
from zhengwei.console.tests.crawling import ID_NUMBER, PHONE, fake_wechat, seed

__all__ = ["fake_wechat"]


@pytest.fixture
def seeded(world, client, django_capture_on_commit_callbacks, fake_wechat):
    return seed(world, client, django_capture_on_commit_callbacks)


def _reveals(user) -> int:
    return AuditEntry.objects.filter(
        actor=user, action__in=["personal_data.reveal", "report.phone_reveal"], outcome="ok"
    ).count()


@pytest.mark.django_db
def test_the_duty_officer_reveals_an_inbox_conversation_and_it_is_audited(
    world, seeded, client_for
):
    officer = world["duty_officer"]
    url = reverse("interactions:conversation", args=[seeded["conversation"].pk])
    page = client_for(officer).get(url).content.decode()
    assert PHONE not in page and "138****5678" in page
    revealed = client_for(officer).post(url).content.decode()
    assert PHONE in revealed and ID_NUMBER in revealed
    assert _reveals(officer) == 1


@pytest.mark.django_db
def test_the_duty_officer_reveals_the_message_log_and_it_is_audited(world, seeded, client_for):
    officer = world["duty_officer"]
    url = reverse("wechat_inbound:messages")
    assert PHONE not in client_for(officer).get(url).content.decode()
    assert PHONE in client_for(officer).post(url).content.decode()
    assert _reveals(officer) == 1


@pytest.mark.django_db
def test_the_report_reveal_shows_phone_name_and_text_and_is_audited(world, seeded, client_for):
    officer = world["duty_officer"]
    report = seeded["report"]
    detail = client_for(officer).get(reverse("reports:detail", args=[report.ticket]))
    assert PHONE not in detail.content.decode()
    revealed = client_for(officer).post(reverse("reports:reveal_phone", args=[report.ticket]))
    html = revealed.content.decode()
    assert PHONE in html and ID_NUMBER in html and "林晓澜" in html
    assert _reveals(officer) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["operator", "auditor", "office_reviewer"])
def test_roles_without_the_right_are_refused_a_reveal_and_the_refusal_is_audited(
    world, seeded, client_for, role
):
    user = world[role]
    for url in (
        reverse("wechat_inbound:messages"),
        reverse("interactions:conversation", args=[seeded["conversation"].pk]),
    ):
        response = client_for(user).post(url)
        assert response.status_code in (403, 404), url
        assert PHONE not in response.content.decode()
    assert _reveals(user) == 0
