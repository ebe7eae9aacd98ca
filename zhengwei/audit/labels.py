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


def _model(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> str:
    model = _model(object_type) if object_type else None
    return str(model._meta.verbose_name) if model is not None else object_type


def object_label(object_type: str, object_id: str = "", object_repr: str = "") -> str:
    """人员 张三, 灾情报告 FJ20261205-0001; never ``orgs.user #2``."""
    kind = object_type_label(object_type)
    name = object_repr or (f"#{object_id}" if object_id else "")
    return " ".join(p for p in (kind, name) if p)


def field_label(object_type: str, field: str) -> str:
    model = _model(object_type) if object_type else None
    if model is None:
        return field
    try:
        return str(model._meta.get_field(field).verbose_name)
    except FieldDoesNotExist:
        return field


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
