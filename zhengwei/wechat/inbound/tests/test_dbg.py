import pytest
from django.urls import reverse

from zhengwei.wechat.inbound.models import ContentChange, MenuClickReply

pytestmark = pytest.mark.django_db


def test_dbg(world, client_for):
    rule = MenuClickReply.objects.create(
        account=world.account, event_key="FLOOD_NOW", reply_text="汛情实况"
    )
    operator = client_for(world["operator"])
    r = operator.post(
        reverse("wechat_inbound:menu_edit", args=[rule.pk]),
        {"event_key": "FLOOD_NOW", "reply_text": "今日汛情实况", "active": "on"},
    )
    print(r.status_code, r.content.decode()[-3000:] if r.status_code != 302 else r.url)
    print(list(ContentChange.objects.values()))
    assert 0
