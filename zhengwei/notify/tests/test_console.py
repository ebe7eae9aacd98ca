import pytest
from django.urls import reverse

from zhengwei.notify.models import Notification
from zhengwei.notify.services import notification_send

pytestmark = pytest.mark.django_db


def test_the_header_shows_the_unread_count_and_the_urgent_banner(world, client_for):
    officer = world["duty_officer"]
    notification_send(recipients=[officer], kind="t", title="普通消息")
    notification_send(
        recipients=[officer], kind="t", title="紧急督办", body="请立即处理", urgent=True
    )
    html = client_for(officer).get(reverse("console:home")).content.decode()
    assert 'data-testid="notify-count">2<' in html
    assert "紧急督办" in html and "请立即处理" in html
    assert 'data-testid="home-notifications"' in html


def test_the_list_shows_only_my_notifications_and_marks_them_read(world, client_for):
    officer, auditor = world["duty_officer"], world["auditor"]
    notification_send(recipients=[officer], kind="t", title="给值班员")
    notification_send(recipients=[auditor], kind="t", title="给审计")
    client = client_for(officer)
    html = client.get(reverse("notify:list")).content.decode()
    assert "给值班员" in html and "给审计" not in html
    note = Notification.objects.get(recipient=officer)
    other = Notification.objects.get(recipient=auditor)
    response = client.post(reverse("notify:read"), {"id": [note.pk, other.pk]})
    assert response.status_code == 302
    note.refresh_from_db()
    other.refresh_from_db()
    assert note.read_at is not None
    assert other.read_at is None  # nobody marks another person's notifications


def test_the_poll_says_what_is_new(world, client_for):
    officer = world["duty_officer"]
    first = notification_send(recipients=[officer], kind="t", title="一", urgent=True)[0]
    client = client_for(officer)
    data = client.get(reverse("notify:poll"), {"after": first.pk}).json()
    assert data["unread"] == 1 and data["latest"] == first.pk
    assert data["urgent"][0]["fresh"] is False
    second = notification_send(recipients=[officer], kind="t", title="二", urgent=True)[0]
    data = client.get(reverse("notify:poll"), {"after": first.pk}).json()
    assert [(n["id"], n["fresh"]) for n in data["urgent"]] == [(second.pk, True), (first.pk, False)]
    response = client.post(
        reverse("notify:read"), {"id": second.pk}, HTTP_ACCEPT="application/json"
    )
    assert response.json() == {"marked": 1, "unread": 1}


def test_the_delivery_log_is_for_leaders_administrators_and_auditors(world, client_for):
    leader = world["duty_leader"]
    leader.phone = "13900139000"
    leader.save()
    notification_send(
        recipients=[leader], kind="t", title="督办提醒", urgent=True, account=world.account
    )
    for role in ("duty_leader", "system_admin", "auditor", "office_leader"):
        response = client_for(world[role]).get(reverse("notify:deliveries"))
        assert response.status_code == 200, role
        html = response.content.decode()
        assert "督办提醒" in html and "139****9000" in html and "13900139000" not in html
    for role in ("duty_officer", "operator", "editor"):
        assert client_for(world[role]).get(reverse("notify:deliveries")).status_code == 403
    html = client_for(world.outsider).get(reverse("notify:deliveries")).content.decode()
    assert "督办提醒" not in html
