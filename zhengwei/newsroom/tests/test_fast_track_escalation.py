from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from zhengwei.newsroom import services
from zhengwei.newsroom.models import Emergency
from zhengwei.newsroom.tests.helpers import draft, pending

pytestmark = pytest.mark.django_db


def test_in_an_emergency_the_fast_track_escalates_an_overdue_final_review(world):
    Emergency.objects.create(
        account=world.account,
        kind="typhoon",
        name="台风“纳沙”",
        level="III",
        started_at=timezone.now(),
        declared_by=world["office_leader"],
    )
    article = draft(world)
    services.article_submit(actor=world["writer"], article=article)
    services.review_approve(actor=world["editor"], step=pending(article))
    final = pending(article)
    assert (final.name, final.role, final.mode) == ("终审", "office_leader", "emergency")
    assert final.due_at is not None
    services.review_steps_escalate(now=timezone.now() + timedelta(minutes=10))
    final.refresh_from_db()
    assert final.escalated_at is None
    services.review_steps_escalate(now=final.due_at + timedelta(seconds=1))
    call_command("newsroom_tick")  # nothing left to escalate, and it runs
    final.refresh_from_db()
    assert final.escalated_at is not None
    # Escalated: the duty leader may now decide it.
    services.review_approve(actor=world["duty_leader"], step=final)
    article.refresh_from_db()
    assert article.state == "approved"
