"""The local callback spool (deliveries accepted while the database cannot take them) and the
periodic sweep that replays it and takes over abandoned processing. Both databases."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from zhengwei.lib import wxxml
from zhengwei.wechat.inbound import spool
from zhengwei.wechat.inbound.models import InboundMessage, State
from zhengwei.wechat.inbound.store import DirectStore, StoreError
from zhengwei.wechat.inbound.tests.helpers import post, text_fields


@pytest.fixture(autouse=True)
def spool_dir(tmp_path, settings):
    settings.WECHAT_SPOOL_DIR = str(tmp_path / "spool")
    return tmp_path / "spool"


@pytest.fixture
def store_down(monkeypatch):
    def fail(self, row):
        raise StoreError("connection refused")

    monkeypatch.setattr(DirectStore, "save", fail)


def test_a_callback_the_database_cannot_take_is_spooled_and_answered(
    client, account, store_down, spool_dir
):
    response = post(client, account, text_fields(account, "停机中"))
    assert response.status_code == 200
    assert response.content == wxxml.SUCCESS
    assert InboundMessage.objects.count() == 0
    (file,) = spool_dir.iterdir()
    # Durable on disk, and as sealed as in the database: neither the text nor the sender.
    spooled = file.read_text()
    assert '"from_user":"zf1$' in spooled
    assert "停机中" not in spooled and text_fields(account, "")["FromUserName"] not in spooled


def test_the_sweep_stores_spooled_deliveries_once_and_empties_the_spool(
    client, account, spool_dir, monkeypatch
):
    fields = [text_fields(account, f"第{i}条") for i in range(3)]
    with monkeypatch.context() as m:
        m.setattr(DirectStore, "save", lambda self, row: (_ for _ in ()).throw(StoreError("down")))
        for f in fields:
            assert post(client, account, f).status_code == 200
        assert post(client, account, fields[0]).status_code == 200  # a WeChat retry, spooled too
    post(client, account, fields[1])  # a retry after recovery, stored live
    call_command("wechat_sweep")
    assert sorted(m.field("Content") for m in InboundMessage.objects.all()) == [
        "第0条",
        "第1条",
        "第2条",
    ]
    assert not list(spool_dir.iterdir())
    assert set(InboundMessage.objects.values_list("state", flat=True)) == {State.PROCESSED}


def test_a_full_spool_answers_503_so_wechat_retries(client, account, store_down, settings):
    settings.WECHAT_SPOOL_MAX_BYTES = 10
    assert post(client, account, text_fields(account)).status_code == 503


def test_with_the_spool_off_an_unstored_callback_is_answered_503(
    client, account, store_down, settings
):
    settings.WECHAT_SPOOL = False
    assert post(client, account, text_fields(account)).status_code == 503


def test_a_line_torn_by_a_crash_costs_only_itself(client, account, store_down, spool_dir):
    post(client, account, text_fields(account, "第一条"))
    (file,) = spool_dir.iterdir()
    with file.open("ab") as f:
        f.write(b'{"account_id": 1, "dedupe')  # the process died mid-write, before answering
    post(client, account, text_fields(account, "第二条"))
    assert spool.spool_replay() == 2
    assert InboundMessage.objects.count() == 2


def test_the_sweep_takes_over_work_a_killed_worker_left_processing(account, settings):
    now = timezone.now()
    abandoned = InboundMessage.objects.create(
        account=account,
        dedupe_key="abandoned",
        from_user="oCitizen",
        kind="message",
        msg_type="text",
        create_time=0,
        raw_xml="<xml/>",
        fields={"Content": "无人处理"},
        mode="safe",
        state=State.PROCESSING,
        claim_token="dead-worker",
        claimed_at=now - timedelta(seconds=settings.WECHAT_PROCESSING_TIMEOUT + 1),
        attempts=1,
    )
    fresh = InboundMessage.objects.create(
        account=account,
        dedupe_key="in-hand",
        from_user="oCitizen",
        kind="message",
        msg_type="text",
        create_time=0,
        raw_xml="<xml/>",
        fields={"Content": "正在处理"},
        mode="safe",
        state=State.PROCESSING,
        claim_token="live-worker",
        claimed_at=now,
        attempts=1,
    )
    call_command("wechat_sweep")
    abandoned.refresh_from_db()
    fresh.refresh_from_db()
    assert abandoned.state == State.PROCESSED
    assert fresh.state == State.PROCESSING  # its worker is still within the takeover time


def test_the_scheduler_runs_the_sweep_every_30_seconds(settings):
    assert settings.SCHEDULED_COMMANDS["wechat_sweep"] <= 30
