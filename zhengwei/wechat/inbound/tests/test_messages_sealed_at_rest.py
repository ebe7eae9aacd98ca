"""A stored delivery holds no openid, text or location in clear: the sender, the XML, its fields
and the passive reply are field-encrypted, the de-duplication key is a keyed hash, and the
sender's blind index keeps retries answered once and "this citizen's messages" on an index."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from zhengwei.lib import sealed
from zhengwei.wechat.inbound.models import InboundMessage
from zhengwei.wechat.inbound.tests.helpers import OPENID, post, text_fields

pytestmark = pytest.mark.django_db


def _stored_columns() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT from_user, from_user_index, dedupe_key, raw_xml, fields, reply_xml "
            "FROM wechat_inbound_inboundmessage"
        )
        return [str(value) for row in cursor.fetchall() for value in row]


def location_fields(account):
    return {
        **text_fields(account),
        "MsgType": "location",
        "Location_X": "26.0745",
        "Location_Y": "119.2965",
        "Scale": "15",
        "Label": "福州市鼓楼区",
    }


def test_nothing_personal_is_stored_in_clear(client, account):
    assert post(client, account, text_fields(account, "我家进水了")).status_code == 200
    assert post(client, account, location_fields(account)).status_code == 200
    stored = " ".join(_stored_columns())
    for clear in (OPENID, "我家进水了", "26.0745", "119.2965", "鼓楼"):
        assert clear not in stored
    assert stored.count("zf1$aes-gcm$") >= 6
    message = InboundMessage.objects.get(msg_type="location")
    assert message.from_user == OPENID
    assert message.field("Location_X") == "26.0745"


def test_a_retry_is_still_stored_once(client, account):
    fields = text_fields(account, "重试")
    post(client, account, fields)
    post(client, account, fields)
    assert InboundMessage.objects.count() == 1


def test_the_citizens_messages_are_found_through_the_blind_index(client, account):
    for text in ("一", "二"):
        post(client, account, text_fields(account, text))
    post(client, account, text_fields(account, "别人", openid="oSomeoneElse00000000000000"))
    mine = InboundMessage.objects.filter(account=account, from_user=OPENID)
    assert sorted(m.field("Content") for m in mine) == ["一", "二"]
    assert {m.from_user_index for m in mine} == {sealed.blind(OPENID)}
    plan = mine.order_by("-received_at").explain()
    if connection.vendor == "sqlite":  # PostgreSQL picks a scan on a table this small
        assert "wx_inbound_user" in plan


def test_rotation_re_encrypts_the_messages_and_they_stay_findable(client, account, settings):
    post(client, account, text_fields(account, "轮换"))
    settings.FIELD_KEYS = {**settings.FIELD_KEYS, "1": b"\x02" * 32}
    settings.FIELD_KEY_ACTIVE = "1"
    out = StringIO()
    call_command("rotate_field_keys", stdout=out)
    assert "wechat_inbound.InboundMessage.from_user: 1 values" in out.getvalue()
    assert all(v.startswith("zf1$aes-gcm$1$") for v in _stored_columns()[3:5])
    settings.FIELD_KEYS = {"1": b"\x02" * 32}
    message = InboundMessage.objects.get(account=account, from_user=OPENID)
    assert message.field("Content") == "轮换"


def test_the_data_migration_seals_rows_stored_in_clear_and_can_undo_it(client, account):
    post(client, account, text_fields(account, "旧数据"))
    table = InboundMessage._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET from_user = %s, from_user_index = '', dedupe_key = %s",
            [OPENID, f"m:{OPENID}:1"],
        )
    migration = sealed.seal_column(
        table, "from_user", "wechat.inbound.from_user", index="from_user_index", hashed="dedupe_key"
    )
    migration.code(None, connection.schema_editor())
    row = _stored_columns()
    assert row[0].startswith("zf1$") and row[1] == sealed.blind(OPENID)
    assert row[2] == sealed.dedupe_digest(f"m:{OPENID}:1")
    assert InboundMessage.objects.get(from_user=OPENID).from_user == OPENID
    migration.reverse_code(None, connection.schema_editor())
    assert _stored_columns()[0] == OPENID
