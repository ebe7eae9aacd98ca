import io

import pytest
from django.urls import reverse
from PIL import Image

from zhengwei.newsroom import services

pytestmark = pytest.mark.django_db


def jpeg() -> bytes:
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (26.0, 4.0, 30.0)}
    Image.new("RGB", (40, 30), (10, 120, 200)).save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_entries_from_the_site_appear_on_the_public_page_once_the_office_checked_them(
    world, client, django_capture_on_commit_callbacks
):
    event = services.live_event_open(
        actor=world["office_reviewer"],
        account=world.account,
        title="全省防汛会议",
        slug="flood-meeting",
    )
    entry = services.live_entry_post(
        actor=world["writer"], event=event, body="会议部署防御台风“纳沙”", photo=jpeg()
    )
    url = reverse("newsroom_live:page", args=["flood-meeting"])
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="live-title"' in page.text
    assert "纳沙" not in page.text  # not yet checked
    etag = page["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    # The cached page is dropped once the check has committed.
    with django_capture_on_commit_callbacks(execute=True):
        services.live_entry_check(actor=world["office_reviewer"], entry=entry, approve=True)
    fresh = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200 and "会议部署防御台风“纳沙”" in fresh.text
    photo = client.get(reverse("newsroom_live:photo", args=["flood-meeting", entry.pk]))
    data = b"".join(photo.streaming_content)
    assert photo.status_code == 200 and not Image.open(io.BytesIO(data)).getexif()
    feed = client.get(reverse("newsroom_live:feed", args=["flood-meeting"]))
    assert 'data-testid="live-entries"' in feed.text


def test_a_rejected_entry_never_shows_and_its_photo_is_not_served(world, client):
    event = services.live_event_open(
        actor=world["office_reviewer"], account=world.account, title="直播", slug="night"
    )
    entry = services.live_entry_post(
        actor=world["writer"], event=event, body="未经核实", photo=jpeg()
    )
    services.live_entry_check(actor=world["duty_officer"], entry=entry, approve=False)
    assert "未经核实" not in client.get(reverse("newsroom_live:page", args=["night"])).text
    assert client.get(reverse("newsroom_live:photo", args=["night", entry.pk])).status_code == 404


def test_a_reporter_posts_from_the_desk_page(world, client_for):
    event = services.live_event_open(
        actor=world["office_reviewer"], account=world.account, title="直播", slug="desk"
    )
    client = client_for(world["writer"])
    client.post(reverse("newsroom:live_desk", args=[event.pk]), {"body": "闽江水位上涨"})
    assert event.entries.get().body == "闽江水位上涨"
    page = client_for(world["office_reviewer"]).get(reverse("newsroom:live_desk", args=[event.pk]))
    assert 'data-testid="live-approve"' in page.text
