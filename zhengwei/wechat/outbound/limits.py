"""Platform quotas and limits, in configuration because WeChat keeps changing them.

The customer-service quota went from 20 to 5 messages, menu names from 40 to 60 bytes, menu URLs
from 256 to 1024 bytes (reference wechat.md §6.5). ``settings.WECHAT_LIMITS`` (environment
variable WECHAT_LIMITS, a JSON object) is merged over DEFAULTS key by key, so an operator can
follow the platform without a release: WECHAT_LIMITS='{"customer_service": {"message_quota": 20}}'.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from zhengwei.lib.overrides import with_override

DEFAULTS: dict[str, Any] = {
    "token": {
        # Refresh when less than this is left. The stable endpoint renews 5 min early, so any
        # margin under 300 s gets a genuinely new token rather than the dying one back.
        "margin_seconds": 180,
        "lock_wait_seconds": 30,  # how long a process waits for another's refresh
        "lock_ttl_seconds": 60,  # Redis lock expiry, longer than a fetch with retries
        "force_refresh_per_day": 20,
        "force_refresh_min_interval_seconds": 30,
    },
    "http": {"attempts": 3, "backoff_seconds": 0.5, "backoff_max_seconds": 8},
    # Circuit breaker per account (circuit.py): open after this many failed calls in a row, for
    # open_seconds, doubling after each failed probe up to open_max_seconds.
    "circuit": {"failures": 5, "open_seconds": 30, "open_max_seconds": 600, "probe_seconds": 30},
    "menu": {
        "top_level_max": 3,
        "sub_button_max": 5,
        "top_name_bytes": 16,
        "sub_name_bytes": 60,
        "key_bytes": 128,
        "url_bytes": 1024,
        "types": [
            "click",
            "view",
            "scancode_push",
            "scancode_waitmsg",
            "pic_sysphoto",
            "pic_photo_or_album",
            "pic_weixin",
            "location_select",
            "media_id",
            "view_limited",
            "article_id",
            "article_view_limited",
            "miniprogram",
        ],
    },
    "draft": {
        "title_chars": 32,
        "author_chars": 16,
        "digest_chars": 128,
        "content_chars": 20000,  # must stay below this
        "content_bytes": 1024 * 1024,  # and below 1 MB
        "source_url_bytes": 1024,
        "batch_count_max": 20,
        "article_types": ["news", "newspic"],
    },
    "media": {"uploadimg_bytes": 1024 * 1024, "uploadimg_types": ["image/jpeg", "image/png"]},
    "customer_service": {
        "message_quota": 5,  # after the citizen sends a message …
        "message_window_seconds": 48 * 3600,  # … for 48 hours
        "interaction_quota": 3,  # after a menu click, a scan or following …
        "interaction_window_seconds": 60,  # … for one minute
        "msgtypes": ["text", "image", "voice", "video", "music", "news", "mpnews", "msgmenu"],
    },
    "mass_send": {"msgtypes": ["mpnews", "text", "voice", "image", "mpvideo", "wxcard"]},
    "comments": {"page_size": 49, "poll_days": 30},  # list rejects count >= 50
    "datacube": {
        # Maximum span in days. 1 where the live doc was not re-verified: a one-day span is
        # always accepted, and the daily fetch needs no more.
        "spans": {
            "getusersummary": 7,
            "getusercumulate": 7,
            "getarticlesummary": 1,
            "getarticletotal": 1,
            "getuserread": 3,
            "getuserreadhour": 1,
            "getusershare": 7,
            "getusersharehour": 1,
            "getarticleread": 1,
            "getarticleshare": 1,
            "getbizsummary": 1,
            "getarticletotaldetail": 30,
        },
        "earliest": "2014-12-01",
        "ready_hour": 8,  # yesterday's figures are complete after 08:00
        "daily": ["getusersummary", "getusercumulate", "getarticleread", "getbizsummary"],
    },
    "outbound": {
        "requeue_after_seconds": 300,
        "wait_window_days": 7,
        # A message WeChat certainly did not take is retried after retry_seconds, doubling
        # (jittered) up to retry_max_seconds, then failed after max_attempts in all.
        "retry_seconds": 30,
        "retry_max_seconds": 900,
        "max_attempts": 8,
    },
    "api_call_retention_days": 90,
}


def limits() -> dict[str, Any]:
    """DEFAULTS with settings.WECHAT_LIMITS (a dict or a JSON string) merged over them."""
    return with_override(DEFAULTS, settings.WECHAT_LIMITS, name="WECHAT_LIMITS")


def get(section: str) -> dict[str, Any]:
    return limits()[section]
