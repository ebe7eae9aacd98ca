"""Chinese labels for the audit trail's codes: one registry (issue #7: people see labels, never
``auth.sign_in`` or ``orgs.user #2``; the codes stay beside them for the auditor).

``action_label("report.reject")`` → 驳回灾情报告. A code nobody registered is composed from its
parts (``newsroom.article_approve``: object + verb) and, failing that, shown as it is. Apps whose
codes are new add them with ``register_actions({...})`` (at import of their policy module).
``object_label("orgs.user", "2", "zhang")`` names the object by its model's verbose name;
``field_label("reports.report", "state")`` a changed field by its verbose name.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import pgettext, pgettext_lazy

ACTION_LABELS: dict[str, Any] = {
    "account.create": pgettext_lazy("audit", "Created a WeChat account"),
    "account.update": pgettext_lazy("audit", "Changed a WeChat account"),
    "api_key.create": pgettext_lazy("audit", "Issued an API key"),
    "api_key.revoke": pgettext_lazy("audit", "Revoked an API key"),
    "audit.export": pgettext_lazy("audit", "Exported the audit log"),
    "audit.prune": pgettext_lazy("audit", "Pruned old audit entries"),
    "audit.verify": pgettext_lazy("audit", "Verified the audit log's hash chain"),
    "fieldcrypt.rotate": pgettext_lazy("audit", "Re-encrypted personal data under a new key"),
    "retention.purge": pgettext_lazy("audit", "Purged personal data past its retention period"),
    "backup.create": pgettext_lazy("audit", "Made a backup"),
    "backup.restore": pgettext_lazy("audit", "Restored a backup"),
    "auth.locked_out": pgettext_lazy("audit", "Locked out after failed sign-ins"),
    "auth.otp_enrol_failed": pgettext_lazy("audit", "Two-factor set-up failed"),
    "auth.otp_enrolled": pgettext_lazy("audit", "Set up two-factor sign-in"),
    "auth.otp_failed": pgettext_lazy("audit", "Wrong two-factor code"),
    "auth.otp_removed": pgettext_lazy("audit", "Removed two-factor sign-in"),
    "auth.otp_reset": pgettext_lazy("audit", "Reset a person's two-factor sign-in"),
    "auth.sign_in": pgettext_lazy("audit", "Signed in"),
    "auth.sign_in_failed": pgettext_lazy("audit", "Sign-in failed"),
    "auth.sign_out": pgettext_lazy("audit", "Signed out"),
    "auth.unlock": pgettext_lazy("audit", "Unlocked a sign-in"),
    "chat_draft.attach_photos": pgettext_lazy("audit", "Attached a chat report's photos"),
    "chat_draft.cancel": pgettext_lazy("audit", "A citizen cancelled a chat report"),
    "chat_draft.confirm": pgettext_lazy("audit", "A citizen confirmed a chat report"),
    "chat_draft.expire": pgettext_lazy("audit", "A chat report expired unconfirmed"),
    "chat_draft.start": pgettext_lazy("audit", "A citizen started a chat report"),
    "comment.fetch": pgettext_lazy("audit", "Fetched article comments"),
    "comment.reply": pgettext_lazy("audit", "Replied to a comment"),
    "comment_thread.watch": pgettext_lazy("audit", "Watched an article's comments"),
    "conversation.assign": pgettext_lazy("audit", "Assigned a conversation"),
    "conversation.classify": pgettext_lazy("audit", "Classified a conversation"),
    "conversation.convert": pgettext_lazy("audit", "Turned a conversation into a report"),
    "conversation.escalate": pgettext_lazy("audit", "Escalated an overdue conversation"),
    "conversation.reopen": pgettext_lazy("audit", "Reopened a conversation"),
    "conversation.resolve": pgettext_lazy("audit", "Resolved a conversation"),
    "datacube.fetch": pgettext_lazy("audit", "Fetched WeChat statistics"),
    "http.csrf_rejected": pgettext_lazy("audit", "Form refused (expired page)"),
    "http.forbidden": pgettext_lazy("audit", "Refused: no permission"),
    "http.not_found": pgettext_lazy("audit", "Page not found"),
    "hydro.import": pgettext_lazy("audit", "Imported flood data"),
    "notification.delivery_failed": pgettext_lazy("audit", "A notification could not be delivered"),
    "organisation.create": pgettext_lazy("audit", "Created an organisation"),
    "organisation.update": pgettext_lazy("audit", "Changed an organisation"),
    "outbound_message.create": pgettext_lazy("audit", "Queued a message to a citizen"),
    "outbound_message.failed": pgettext_lazy("audit", "A message to a citizen failed"),
    "outbound_message.queued": pgettext_lazy("audit", "A message to a citizen waits to be sent"),
    "outbound_message.sent": pgettext_lazy("audit", "Sent a message to a citizen"),
    "personal_data.reveal": pgettext_lazy("audit", "Viewed personal data in full"),
    "reply.send": pgettext_lazy("audit", "Sent a reply to a citizen"),
    "reply_draft.approve": pgettext_lazy("audit", "Approved a reply draft"),
    "reply_draft.retry": pgettext_lazy("audit", "Retried sending a reply"),
    "reply_draft.return": pgettext_lazy("audit", "Returned a reply draft"),
    "reply_draft.revise": pgettext_lazy("audit", "Revised a reply draft"),
    "reply_draft.sent": pgettext_lazy("audit", "A reviewed reply was sent"),
    "reply_draft.submit": pgettext_lazy("audit", "Submitted a reply draft"),
    "reply_draft.withdraw": pgettext_lazy("audit", "Withdrew a reply draft"),
    "reply_template.save": pgettext_lazy("audit", "Changed a reply template"),
    "reply_template.seed": pgettext_lazy("audit", "Created the default reply templates"),
    "report.close": pgettext_lazy("audit", "Closed a report"),
    "report.contact": pgettext_lazy("audit", "Contacted the reporter"),
    "report.create": pgettext_lazy("audit", "Entered a report"),
    "report.dispatch": pgettext_lazy("audit", "Dispatched a report"),
    "report.escalate": pgettext_lazy("audit", "Escalated a report (emergency)"),
    "report.export": pgettext_lazy("audit", "Exported reports"),
    "report.mark_duplicate": pgettext_lazy("audit", "Merged a duplicate report"),
    "report.phone_reveal": pgettext_lazy("audit", "Viewed a reporter's phone and text in full"),
    "report.photo_original": pgettext_lazy("audit", "Opened an original photo"),
    "report.progress": pgettext_lazy("audit", "Recorded progress on a report"),
    "report.refer": pgettext_lazy("audit", "Referred a report elsewhere"),
    "report.reject": pgettext_lazy("audit", "Rejected a report"),
    "report.reopen": pgettext_lazy("audit", "Reopened a report"),
    "report.resolve": pgettext_lazy("audit", "Resolved a report"),
    "report.sign": pgettext_lazy("audit", "Signed for a report"),
    "report.triage": pgettext_lazy("audit", "Triaged a report"),
    "report.view": pgettext_lazy("audit", "Opened a report"),
    "role.grant": pgettext_lazy("audit", "Granted a role"),
    "role.revoke": pgettext_lazy("audit", "Revoked a role"),
    "roster.add": pgettext_lazy("audit", "Added a duty shift"),
    "roster.remove": pgettext_lazy("audit", "Removed a duty shift"),
    "routing_rule.delete": pgettext_lazy("audit", "Deleted a routing rule"),
    "routing_rule.save": pgettext_lazy("audit", "Saved a routing rule"),
    "user.create": pgettext_lazy("audit", "Created a person"),
    "user.deactivate": pgettext_lazy("audit", "Deactivated a person"),
    "user.reactivate": pgettext_lazy("audit", "Reactivated a person"),
    "user.set_password": pgettext_lazy("audit", "Set a person's password"),
    "user.set_language": pgettext_lazy("audit", "Chose their interface language"),
    "user.update": pgettext_lazy("audit", "Changed a person"),
    "wechat.keyword.create": pgettext_lazy("audit", "Created a keyword reply"),
    "wechat.keyword.delete": pgettext_lazy("audit", "Deleted a keyword reply"),
    "wechat.keyword.update": pgettext_lazy("audit", "Changed a keyword reply"),
    "wechat.mass_send": pgettext_lazy("audit", "Sent a mass message"),
    "wechat.menu.fetch": pgettext_lazy("audit", "Fetched the custom menu"),
    "wechat.menu.publish": pgettext_lazy("audit", "Published the custom menu"),
    "wechat.menu.record": pgettext_lazy("audit", "Recorded the custom menu"),
    "wechat.menu.remove": pgettext_lazy("audit", "Removed the custom menu"),
    "wechat.menu_reply.create": pgettext_lazy("audit", "Created a menu reply"),
    "wechat.menu_reply.delete": pgettext_lazy("audit", "Deleted a menu reply"),
    "wechat.menu_reply.update": pgettext_lazy("audit", "Changed a menu reply"),
    "hydro.briefing.generate": pgettext_lazy("audit", "Generated a flood briefing"),
    "hydro.briefing.offer": pgettext_lazy("audit", "Offered a flood briefing to the newsroom"),
    "newsroom.article.create": pgettext_lazy("audit", "Created an article"),
    "newsroom.article.offer": pgettext_lazy("audit", "An article was offered to the newsroom"),
    "newsroom.article.save": pgettext_lazy("audit", "Saved an article"),
    "newsroom.article.submit": pgettext_lazy("audit", "Submitted an article for review"),
    "performance.incident.record": pgettext_lazy("audit", "Recorded an incident"),
    "performance.publication.record": pgettext_lazy("audit", "Recorded a publication"),
    "performance.registry.record": pgettext_lazy(
        "audit", "Recorded an account's registration check"
    ),
    "performance.reprint.done": pgettext_lazy("audit", "Recorded a reprint as done"),
    "performance.reprint.record": pgettext_lazy("audit", "Recorded a reprint request"),
    "performance.scorecard.compute": pgettext_lazy("audit", "Computed a scorecard"),
    "performance.scorecard.sign": pgettext_lazy("audit", "Signed a scorecard"),
    "performance.veto.clear": pgettext_lazy("audit", "A veto alert was cleared"),
    "performance.veto.open": pgettext_lazy("audit", "A veto alert was raised"),
    "procurement.create": pgettext_lazy("audit", "Started a purchase"),
    "procurement.review": pgettext_lazy("audit", "Recorded a contract's monthly review"),
    "report.ack": pgettext_lazy("audit", "Acknowledged a report"),
    "report.add_photos": pgettext_lazy("audit", "Added photos to a report"),
    "report.note": pgettext_lazy("audit", "Added a note to a report"),
    "report.rate": pgettext_lazy("audit", "A reporter rated the handling"),
    "report.receive": pgettext_lazy("audit", "Received a report"),
    "report.supervise": pgettext_lazy("audit", "Supervised an overdue report"),
    "reports.emergency_end": pgettext_lazy("audit", "Ended emergency mode"),
    "reports.emergency_start": pgettext_lazy("audit", "Started emergency mode"),
    "role.suspend": pgettext_lazy("audit", "Suspended a role"),
}

# The parts of a code, for codes nobody registered.
OBJECT_LABELS: dict[str, Any] = {
    "account": pgettext_lazy("audit", "WeChat account"),
    "api_key": pgettext_lazy("audit", "API key"),
    "audit": pgettext_lazy("audit", "Audit log"),
    "auth": pgettext_lazy("audit", "Sign-in"),
    "chat_draft": pgettext_lazy("audit", "Chat report"),
    "comment": pgettext_lazy("audit", "Comment"),
    "conversation": pgettext_lazy("audit", "Conversation"),
    "http": pgettext_lazy("audit", "Request"),
    "hydro": pgettext_lazy("audit", "Flood data"),
    "notification": pgettext_lazy("audit", "Notification"),
    "organisation": pgettext_lazy("audit", "Organisation"),
    "outbound_message": pgettext_lazy("audit", "Message to a citizen"),
    "reply": pgettext_lazy("audit", "Reply"),
    "reply_draft": pgettext_lazy("audit", "Reply draft"),
    "reply_template": pgettext_lazy("audit", "Reply template"),
    "report": pgettext_lazy("audit", "Disaster report"),
    "role": pgettext_lazy("audit", "Role"),
    "roster": pgettext_lazy("audit", "Duty roster"),
    "routing_rule": pgettext_lazy("audit", "Routing rule"),
    "user": pgettext_lazy("audit", "Person"),
    "wechat": pgettext_lazy("audit", "WeChat"),
    "newsroom": pgettext_lazy("audit", "Newsroom"),
    "article": pgettext_lazy("audit", "Article"),
    "procurement": pgettext_lazy("audit", "Procurement"),
    "contract": pgettext_lazy("audit", "Contract"),
    "performance": pgettext_lazy("audit", "Performance"),
    "personal_data": pgettext_lazy("audit", "Personal data"),
    "backup": pgettext_lazy("audit", "Backup"),
    "fieldcrypt": pgettext_lazy("audit", "Field encryption keys"),
    "retention": pgettext_lazy("audit", "Retention of personal data"),
    # Models without a verbose name of their own.
    "scheduler.scheduledrun": pgettext_lazy("audit", "Scheduled run"),
    "reports.ratecounter": pgettext_lazy("audit", "Submission rate counter"),
    "hydro.snapshot": pgettext_lazy("audit", "Flood data snapshot"),
    "hydro.briefingchart": pgettext_lazy("audit", "Briefing chart"),
    "newsroom.comment": pgettext_lazy("audit", "Review comment"),
    "newsroom.newsimage": pgettext_lazy("audit", "News image"),
    "newsroom.rosterentry": pgettext_lazy("audit", "On-site reporter"),
    "newsroom.liveevent": pgettext_lazy("audit", "Live coverage"),
    "newsroom.liveentry": pgettext_lazy("audit", "Live update"),
    "procurement.thresholdrule": pgettext_lazy("audit", "Threshold rule"),
    "procurement.catalogueitem": pgettext_lazy("audit", "Catalogue item"),
    "procurement.supplier": pgettext_lazy("audit", "Supplier"),
    "procurement.supplierevidence": pgettext_lazy("audit", "Supplier evidence"),
    "procurement.purchase": pgettext_lazy("audit", "Purchase"),
    "procurement.artefact": pgettext_lazy("audit", "Purchase document"),
    "procurement.bid": pgettext_lazy("audit", "Bid"),
    "procurement.qualificationcheck": pgettext_lazy("audit", "Qualification check"),
    "procurement.evaluator": pgettext_lazy("audit", "Evaluator"),
    "procurement.score": pgettext_lazy("audit", "Bid score"),
    "procurement.contract": pgettext_lazy("audit", "Contract"),
    "procurement.servicelevel": pgettext_lazy("audit", "Service level"),
    "procurement.supplement": pgettext_lazy("audit", "Supplementary agreement"),
    "procurement.review": pgettext_lazy("audit", "Monthly performance review"),
    "procurement.acceptance": pgettext_lazy("audit", "Monthly acceptance"),
    "procurement.payment": pgettext_lazy("audit", "Payment"),
    "procurement.reminder": pgettext_lazy("audit", "Deadline reminder"),
    "performance.menuprobe": pgettext_lazy("audit", "Menu link check"),
    "performance.vetoalert": pgettext_lazy("audit", "Veto alert"),
    "performance.scorecarditem": pgettext_lazy("audit", "Scorecard item"),
    "performance.itemreview": pgettext_lazy("audit", "Scorecard item review"),
    "performance.monthfigures": pgettext_lazy("audit", "Month's figures"),
}

VERB_LABELS: dict[str, Any] = {
    "create": pgettext_lazy("audit", "create"),
    "update": pgettext_lazy("audit", "change"),
    "delete": pgettext_lazy("audit", "delete"),
    "save": pgettext_lazy("audit", "save"),
    "view": pgettext_lazy("audit", "view"),
    "export": pgettext_lazy("audit", "export"),
    "import": pgettext_lazy("audit", "import"),
    "approve": pgettext_lazy("audit", "approve"),
    "reject": pgettext_lazy("audit", "reject"),
    "return": pgettext_lazy("audit", "return"),
    "submit": pgettext_lazy("audit", "submit"),
    "publish": pgettext_lazy("audit", "publish"),
    "send": pgettext_lazy("audit", "send"),
    "sent": pgettext_lazy("audit", "sent"),
    "failed": pgettext_lazy("audit", "failed"),
    "sign": pgettext_lazy("audit", "sign"),
    "close": pgettext_lazy("audit", "close"),
    "open": pgettext_lazy("audit", "open"),
    "assign": pgettext_lazy("audit", "assign"),
    "fetch": pgettext_lazy("audit", "fetch"),
    "revoke": pgettext_lazy("audit", "revoke"),
    "grant": pgettext_lazy("audit", "grant"),
    "withdraw": pgettext_lazy("audit", "withdraw"),
    "generate": pgettext_lazy("audit", "generate"),
    "accept": pgettext_lazy("audit", "accept"),
    "compute": pgettext_lazy("audit", "compute"),
    "reveal": pgettext_lazy("audit", "reveal"),
    "archive": pgettext_lazy("audit", "archive"),
    "schedule": pgettext_lazy("audit", "schedule"),
    "review": pgettext_lazy("audit", "review"),
    "edit": pgettext_lazy("audit", "edit"),
    "offer": pgettext_lazy("audit", "offer"),
}


# Keys an entry records that are no field of its object's model (``{"level": 2, "role": …}``),
# and every key of entries about no model (``http``, ``backup``).
FIELD_LABELS: dict[str, Any] = {
    "account": pgettext_lazy("audit field", "WeChat account"),
    "amount": pgettext_lazy("audit field", "amount"),
    "anchor": pgettext_lazy("audit field", "last removed link"),
    "approved_revision": pgettext_lazy("audit field", "approved revision"),
    "artefact": pgettext_lazy("audit field", "document"),
    "article": pgettext_lazy("audit field", "article"),
    "articles": pgettext_lazy("audit field", "articles"),
    "attached": pgettext_lazy("audit field", "photos attached"),
    "author": pgettext_lazy("audit field", "author"),
    "band": pgettext_lazy("audit field", "grade band"),
    "body_html": pgettext_lazy("audit field", "body"),
    "broken_id": pgettext_lazy("audit field", "first broken entry"),
    "checked": pgettext_lazy("audit field", "entries checked"),
    "cipher": pgettext_lazy("audit field", "cipher"),
    "clientmsgid": pgettext_lazy("audit field", "send reference"),
    "code": pgettext_lazy("audit field", "code"),
    "column": pgettext_lazy("audit field", "column"),
    "comment": pgettext_lazy("audit field", "comment"),
    "condition": pgettext_lazy("audit field", "veto condition"),
    "cover": pgettext_lazy("audit field", "cover image"),
    "created_at": pgettext_lazy("audit field", "created at"),
    "credit_code": pgettext_lazy("audit field", "credit code"),
    "cutoff": pgettext_lazy("audit field", "cut-off"),
    "deadline": pgettext_lazy("audit field", "deadline"),
    "designated_at": pgettext_lazy("audit field", "designated at"),
    "detail": pgettext_lazy("audit field", "detail"),
    "differences": pgettext_lazy("audit field", "differences"),
    "digest": pgettext_lazy("audit field", "digest"),
    "end": pgettext_lazy("audit field", "end"),
    "errors": pgettext_lazy("audit field", "errors"),
    "evaluator": pgettext_lazy("audit field", "evaluator"),
    "extra_vetoes": pgettext_lazy("audit field", "other vetoes"),
    "filed_on": pgettext_lazy("audit field", "filed on"),
    "filters": pgettext_lazy("audit field", "filters"),
    "format": pgettext_lazy("audit field", "format"),
    "from": pgettext_lazy("audit field", "from"),
    "granted_at": pgettext_lazy("audit field", "granted at"),
    "granted_by": pgettext_lazy("audit field", "granted by"),
    "how": pgettext_lazy("audit field", "started by"),
    "is_active": pgettext_lazy("audit field", "active"),
    "is_original": pgettext_lazy("audit field", "original work"),
    "item": pgettext_lazy("audit field", "item"),
    "key": pgettext_lazy("audit field", "key"),
    "kind": pgettext_lazy("audit field", "kind"),
    "language": pgettext_lazy("audit field", "language"),
    "late": pgettext_lazy("audit field", "late"),
    "level": pgettext_lazy("audit field", "level"),
    "limit": pgettext_lazy("audit field", "limit"),
    "msgtype": pgettext_lazy("audit field", "message type"),
    "name": pgettext_lazy("audit field", "name"),
    "no_conflict": pgettext_lazy("audit field", "no conflict of interest"),
    "number": pgettext_lazy("audit field", "number"),
    "occurred_at": pgettext_lazy("audit field", "occurred at"),
    "ocid": pgettext_lazy("audit field", "OCDS id"),
    "ok": pgettext_lazy("audit field", "succeeded"),
    "on": pgettext_lazy("audit field", "date"),
    "operation_model": pgettext_lazy("audit field", "operation model"),
    "org_kind": pgettext_lazy("audit field", "kind of organisation"),
    "passed": pgettext_lazy("audit field", "passed"),
    "payment_pct": pgettext_lazy("audit field", "payment share"),
    "period": pgettext_lazy("audit field", "period"),
    "photos": pgettext_lazy("audit field", "photos"),
    "points": pgettext_lazy("audit field", "points"),
    "price": pgettext_lazy("audit field", "price"),
    "push": pgettext_lazy("audit field", "push"),
    "quality": pgettext_lazy("audit field", "quality"),
    "re_encrypted": pgettext_lazy("audit field", "re-encrypted"),
    "read": pgettext_lazy("audit field", "rows read"),
    "reason": pgettext_lazy("audit field", "reason"),
    "ref": pgettext_lazy("audit field", "reference"),
    "reference": pgettext_lazy("audit field", "reference"),
    "rejected": pgettext_lazy("audit field", "rejected"),
    "removed": pgettext_lazy("audit field", "removed"),
    "report": pgettext_lazy("audit field", "report"),
    "reprinted_at": pgettext_lazy("audit field", "reprinted at"),
    "retention_days": pgettext_lazy("audit field", "days kept"),
    "revision": pgettext_lazy("audit field", "revision"),
    "role": pgettext_lazy("audit field", "role"),
    "rows": pgettext_lazy("audit field", "rows"),
    "score": pgettext_lazy("audit field", "score"),
    "sha256": pgettext_lazy("audit field", "SHA-256"),
    "source_url": pgettext_lazy("audit field", "source link"),
    "start": pgettext_lazy("audit field", "start"),
    "state": pgettext_lazy("audit field", "state"),
    "status": pgettext_lazy("audit field", "status"),
    "step": pgettext_lazy("audit field", "step"),
    "stored": pgettext_lazy("audit field", "rows stored"),
    "supplier": pgettext_lazy("audit field", "supplier"),
    "tables": pgettext_lazy("audit field", "tables"),
    "tag_id": pgettext_lazy("audit field", "tag"),
    "tender": pgettext_lazy("audit field", "tender threshold"),
    "text": pgettext_lazy("audit field", "text"),
    "title": pgettext_lazy("audit field", "title"),
    "total": pgettext_lazy("audit field", "total"),
    "valid_until": pgettext_lazy("audit field", "valid until"),
    "vetoed": pgettext_lazy("audit field", "vetoed"),
}


def register_actions(labels: dict[str, Any]) -> None:
    """Let an app label its own audit codes (``{"newsroom.article_publish": _("…")}``)."""
    ACTION_LABELS.update(labels)


def action_label(code: str) -> str:
    """The label of an audit code, in the person's language."""
    if not code:
        return ""
    if code in ACTION_LABELS:
        return str(ACTION_LABELS[code])
    head, _sep, tail = code.rpartition(".")
    obj = OBJECT_LABELS.get(head) or OBJECT_LABELS.get(head.split(".")[-1] if head else "")
    verb = VERB_LABELS.get(tail)
    if verb is None and "_" in tail:  # newsroom.article_publish → article + publish
        noun, _s, last = tail.rpartition("_")
        obj, verb = OBJECT_LABELS.get(noun, obj), VERB_LABELS.get(last)
    if obj is not None and verb is not None:
        # Called by its own name so makemessages finds the msgid (an alias hid it from xgettext).
        return pgettext("audit", "%(verb)s: %(object)s") % {"verb": verb, "object": obj}
    return code


SYSTEM_ACTOR = "system"  # what services record as the actor of system work


def actor_label(actor_name: str) -> str:
    """Who did it: a person's recorded name, or 系统 for the system's own work."""
    return pgettext("audit", "System") if actor_name == SYSTEM_ACTOR else actor_name


def _model(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> str:
    """A model's verbose name; object types that are no model (``http``, ``auth``) and models
    without a verbose name of their own by their label in OBJECT_LABELS."""
    if object_type in OBJECT_LABELS:
        return str(OBJECT_LABELS[object_type])
    model = _model(object_type) if object_type else None
    return str(model._meta.verbose_name) if model is not None else object_type


def object_label(object_type: str, object_id: str = "", object_repr: str = "") -> str:
    """人员 张三, 灾情报告 FJ20261205-0001; never ``orgs.user #2``."""
    kind = object_type_label(object_type)
    name = object_repr or (f"#{object_id}" if object_id else "")
    return " ".join(p for p in (kind, name) if p)


def field_label(object_type: str, field: str) -> str:
    """A field's verbose name; a key that is no field of the model, or a field that has no
    verbose name of its own (Django's default is the name itself), by FIELD_LABELS."""
    model = _model(object_type) if object_type else None
    try:
        name = model._meta.get_field(field).verbose_name
    except (FieldDoesNotExist, AttributeError):
        name = None
    if name is None or (name == field.replace("_", " ") and field in FIELD_LABELS):
        return str(FIELD_LABELS.get(field, field))
    return str(name)


def value_label(object_type: str, field: str, value: Any) -> Any:
    """A recorded value as people read it: a field's choice label (已接收, not ``received``);
    anything else unchanged. The recorded value itself stays in the entry's JSON."""
    model = _model(object_type) if object_type else None
    if model is None or not isinstance(value, str):
        return value
    try:
        choices = dict(model._meta.get_field(field).flatchoices or ())
    except (FieldDoesNotExist, AttributeError):
        return value
    return str(choices[value]) if value in choices else value
