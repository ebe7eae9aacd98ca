"""Records the indicators are computed from: publications, incidents, menu-link probes."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime

import requests
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwei.access.policy import require
from zhengwei.audit.services import audit_record
from zhengwei.lib.events import publish_on_commit
from zhengwei.orgs.models import User, WeChatAccount
from zhengwei.performance import policy as P
from zhengwei.performance.models import (
    Incident,
    IncidentKind,
    MenuProbe,
    Publication,
    PublicationKind,
    PublicationSource,
    RegistryFiling,
    ReprintRequest,
)
from zhengwei.wechat.outbound.models import PublishedMenu

log = logging.getLogger(__name__)
SYSTEM = "system"
# govrules.md (a) row 6: a link that does not open within 15 s has failed.
PROBE_TIMEOUT_S = 15


def publication_record(
    *,
    account: WeChatAccount,
    published_at: datetime,
    kind: str = PublicationKind.PUSH,
    title: str = "",
    article_count: int = 1,
    original_count: int = 0,
    source: str = PublicationSource.WECHAT,
    ref: str = "",
    ok: bool = True,
) -> Publication | None:
    """Record one push or publication (system: from WeChat's events, the newsroom, the demo).
    The same ``ref`` from the same source is recorded once; None when it already was."""
    if original_count > article_count:
        raise ValidationError(_("More original articles than articles."))
    try:
        with transaction.atomic():
            pub = Publication.objects.create(
                account=account,
                published_at=published_at,
                kind=kind,
                title=title[:200],
                article_count=article_count,
                original_count=original_count,
                source=source,
                ref=ref[:64],
                ok=ok,
            )
            audit_record(
                action="performance.publication.record",
                obj=pub,
                actor_name=SYSTEM,
                after={"kind": kind, "ref": ref, "ok": ok, "articles": article_count},
            )
            publish_on_commit("publication.recorded", account_id=account.pk, publication_id=pub.pk)
    except IntegrityError:
        return None
    return pub


def incident_record(
    *,
    actor: User,
    account: WeChatAccount,
    kind: str,
    occurred_at: datetime,
    description: str,
    evidence_url: str = "",
) -> Incident:
    """The office records a confirmed error on the account (serious wording error, leak,
    prohibited content, typo). The first three are 单项否决 events."""
    require(actor, P.INCIDENT_RECORD, account)
    if kind not in IncidentKind.values:
        raise ValidationError(_("Unknown kind of incident."))
    if not description.strip():
        raise ValidationError(_("Describe what happened."))
    if evidence_url.strip() and not evidence_url.strip().startswith(("https://", "http://")):
        raise ValidationError(_("The link must start with https:// or http://."))
    if occurred_at > timezone.now():
        raise ValidationError(_("The incident cannot be in the future."))
    with transaction.atomic():
        incident = Incident.objects.create(
            account=account,
            kind=kind,
            occurred_at=occurred_at,
            description=description.strip(),
            evidence_url=evidence_url.strip(),
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action="performance.incident.record",
            obj=incident,
            after={"kind": kind, "occurred_at": occurred_at.isoformat()},
        )
        publish_on_commit("incident.recorded", account_id=account.pk, incident_id=incident.pk)
    return incident


def _link(url: str, *, required: bool = False) -> str:
    url = (url or "").strip()
    if required and not url:
        raise ValidationError(_("Give the link."))
    if url and not url.startswith(("https://", "http://")):
        raise ValidationError(_("The link must start with https:// or http://."))
    return url


def reprint_request_record(
    *,
    actor: User,
    account: WeChatAccount,
    title: str,
    source_url: str,
    designated_by: str,
    designated_at: datetime,
) -> ReprintRequest:
    """The office records an article a superior designated for reprinting (the clock of the
    reprint latency starts at ``designated_at``)."""
    require(actor, P.INCIDENT_RECORD, account)
    if not title.strip() or not designated_by.strip():
        raise ValidationError(_("Give the title and who designated it."))
    if designated_at > timezone.now():
        raise ValidationError(_("The designation cannot be in the future."))
    with transaction.atomic():
        request = ReprintRequest.objects.create(
            account=account,
            title=title.strip()[:200],
            source_url=_link(source_url, required=True),
            designated_by=designated_by.strip()[:100],
            designated_at=designated_at,
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action="performance.reprint.record",
            obj=request,
            after={"title": request.title, "designated_at": designated_at.isoformat()},
        )
        publish_on_commit("reprint.recorded", account_id=account.pk, request_id=request.pk)
    return request


def reprint_mark_done(
    *, actor: User, request: ReprintRequest, reprinted_at: datetime, reprint_url: str = ""
) -> ReprintRequest:
    """The office enters when the account reprinted it (when the reprint did not go through the
    newsroom, which finds it by its source link)."""
    require(actor, P.INCIDENT_RECORD, request.account)
    if reprinted_at > timezone.now():
        raise ValidationError(_("The reprint cannot be in the future."))
    if reprinted_at < request.designated_at:
        raise ValidationError(_("The reprint cannot come before the designation."))
    with transaction.atomic():
        before = {
            "reprinted_at": request.reprinted_at.isoformat() if request.reprinted_at else None
        }
        request.reprinted_at = reprinted_at
        request.reprint_url = _link(reprint_url)
        request.save(update_fields=["reprinted_at", "reprint_url"])
        audit_record(
            actor=actor,
            action="performance.reprint.done",
            obj=request,
            before=before,
            after={"reprinted_at": reprinted_at.isoformat()},
        )
        publish_on_commit("reprint.done", account_id=request.account_id, request_id=request.pk)
    return request


def registry_filing_record(
    *,
    actor: User,
    account: WeChatAccount,
    registry_number: str,
    registered_name: str,
    registered_owner: str,
    filed_on,
    platform: str = "微信",
    closing_on=None,
    stop_notice_url: str = "",
) -> RegistryFiling:
    """The office records the account's filing with the national 政务新媒体 registry as filed
    (a new filing, e.g. after a change of name, is a new row; the latest counts)."""
    require(actor, P.INCIDENT_RECORD, account)
    fields = (registry_number, registered_name, registered_owner)
    if not all(x.strip() for x in fields):
        raise ValidationError(_("Give the filing number, the name and the owner as filed."))
    if filed_on > timezone.localdate():
        raise ValidationError(_("The filing cannot be in the future."))
    if closing_on is not None and closing_on < filed_on:
        raise ValidationError(_("An account cannot close before it was filed."))
    with transaction.atomic():
        filing = RegistryFiling.objects.create(
            account=account,
            registry_number=registry_number.strip()[:60],
            registered_name=registered_name.strip()[:100],
            registered_owner=registered_owner.strip()[:100],
            platform=(platform or "微信").strip()[:20],
            filed_on=filed_on,
            closing_on=closing_on,
            stop_notice_url=_link(stop_notice_url),
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action="performance.registry.record",
            obj=filing,
            after={"number": filing.registry_number, "filed_on": filed_on.isoformat()},
        )
        publish_on_commit("registry_filing.recorded", account_id=account.pk, filing_id=filing.pk)
    return filing


def menu_links(account: WeChatAccount) -> list[tuple[str, str]]:
    """(label, url) of every link button of the account's current menu."""
    menu = PublishedMenu.objects.filter(account=account).first()
    links: list[tuple[str, str]] = []
    if menu is None:
        return links

    def walk(buttons, parent=""):
        for b in buttons or []:
            label = f"{parent}/{b.get('name', '')}" if parent else b.get("name", "")
            if b.get("sub_button"):
                walk(b["sub_button"], label)
            elif b.get("type") == "view" and b.get("url"):
                links.append((label[:60], b["url"][:400]))

    walk((menu.json or {}).get("button"))
    return links


def http_fetch(url: str) -> tuple[int | None, str]:
    """GET ``url`` with the 15-second limit: (status, error)."""
    try:
        response = requests.get(url, timeout=PROBE_TIMEOUT_S, allow_redirects=True)
    except requests.RequestException as exc:
        return None, type(exc).__name__
    return response.status_code, ""


def menu_probe_run(
    *,
    account: WeChatAccount,
    fetch: Callable[[str], tuple[int | None, str]] | None = None,
    now: datetime | None = None,
) -> list[MenuProbe]:
    """Probe every link of the account's menu once (the daily job; system)."""
    fetch = fetch or http_fetch
    probes = []
    for label, url in menu_links(account):
        started = time.monotonic()
        status, error = fetch(url)
        elapsed = int((time.monotonic() - started) * 1000)
        ok = status is not None and 200 <= status < 400 and elapsed < PROBE_TIMEOUT_S * 1000
        if status is not None and not ok and not error:
            error = f"HTTP {status}" if status >= 400 else _("too slow")
        probes.append(
            MenuProbe(
                account=account,
                label=label,
                url=url,
                probed_at=now or timezone.now(),
                ok=ok,
                status_code=status,
                elapsed_ms=elapsed,
                error=error[:200],
            )
        )
    if probes:
        MenuProbe.objects.bulk_create(probes)
        failed = [p.url for p in probes if not p.ok]
        if failed:
            log.warning("menu probe %s: %d of %d links failing", account, len(failed), len(probes))
    return probes
