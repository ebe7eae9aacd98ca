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
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, Any] = {
    'account.create': _('Created a WeChat account'),
    'account.update': _('Changed a WeChat account'),
    'api_key.create': _('Issued an API key'),
    'api_key.revoke': _('Revoked an API key'),
    'audit.export': _('Exported the audit log'),
    'audit.prune': _('Pruned old audit entries'),
    'auth.locked_out': _('Locked out after failed sign-ins'),
    'auth.otp_enrol_failed': _('Two-factor set-up failed'),
    'auth.otp_enrolled': _('Set up two-factor sign-in'),
    'auth.otp_failed': _('Wrong two-factor code'),
    'auth.otp_removed': _('Removed two-factor sign-in'),
    'auth.otp_reset': _("Reset a person's two-factor sign-in"),
    'auth.sign_in': _('Signed in'),
    'auth.sign_in_failed': _('Sign-in failed'),
    'auth.sign_out': _('Signed out'),
    'auth.unlock': _('Unlocked a sign-in'),
    'chat_draft.attach_photos': _("Attached a chat report's photos"),
    'chat_draft.cancel': _('A citizen cancelled a chat report'),
    'chat_draft.confirm': _('A citizen confirmed a chat report'),
    'chat_draft.expire': _('A chat report expired unconfirmed'),
    'chat_draft.start': _('A citizen started a chat report'),
    'comment.fetch': _('Fetched article comments'),
    'comment.reply': _('Replied to a comment'),
    'comment_thread.watch': _("Watched an article's comments"),
    'conversation.assign': _('Assigned a conversation'),
    'conversation.classify': _('Classified a conversation'),
    'conversation.convert': _('Turned a conversation into a report'),
    'conversation.escalate': _('Escalated an overdue conversation'),
    'conversation.reopen': _('Reopened a conversation'),
    'conversation.resolve': _('Resolved a conversation'),
    'datacube.fetch': _('Fetched WeChat statistics'),
    'http.csrf_rejected': _('Form refused (expired page)'),
    'http.forbidden': _('Refused: no permission'),
    'http.not_found': _('Page not found'),
    'hydro.import': _('Imported flood data'),
    'notification.delivery_failed': _('A notification could not be delivered'),
    'organisation.create': _('Created an organisation'),
    'organisation.update': _('Changed an organisation'),
    'outbound_message.create': _('Queued a message to a citizen'),
    'outbound_message.failed': _('A message to a citizen failed'),
    'outbound_message.queued': _('A message to a citizen waits to be sent'),
    'outbound_message.sent': _('Sent a message to a citizen'),
    'personal_data.reveal': _('Viewed personal data in full'),
    'reply.send': _('Sent a reply to a citizen'),
    'reply_draft.approve': _('Approved a reply draft'),
    'reply_draft.retry': _('Retried sending a reply'),
    'reply_draft.return': _('Returned a reply draft'),
    'reply_draft.revise': _('Revised a reply draft'),
    'reply_draft.sent': _('A reviewed reply was sent'),
    'reply_draft.submit': _('Submitted a reply draft'),
    'reply_draft.withdraw': _('Withdrew a reply draft'),
    'reply_template.save': _('Changed a reply template'),
    'reply_template.seed': _('Created the default reply templates'),
    'report.close': _('Closed a report'),
    'report.contact': _('Contacted the reporter'),
    'report.create': _('Entered a report'),
    'report.dispatch': _('Dispatched a report'),
    'report.escalate': _('Escalated a report (emergency)'),
    'report.export': _('Exported reports'),
    'report.mark_duplicate': _('Merged a duplicate report'),
    'report.phone_reveal': _("Viewed a reporter's phone and text in full"),
    'report.photo_original': _('Opened an original photo'),
    'report.progress': _('Recorded progress on a report'),
    'report.refer': _('Referred a report elsewhere'),
    'report.reject': _('Rejected a report'),
    'report.reopen': _('Reopened a report'),
    'report.resolve': _('Resolved a report'),
    'report.sign': _('Signed for a report'),
    'report.triage': _('Triaged a report'),
    'report.view': _('Opened a report'),
    'role.grant': _('Granted a role'),
    'role.revoke': _('Revoked a role'),
    'roster.add': _('Added a duty shift'),
    'roster.remove': _('Removed a duty shift'),
    'routing_rule.delete': _('Deleted a routing rule'),
    'routing_rule.save': _('Saved a routing rule'),
    'user.create': _('Created a person'),
    'user.deactivate': _('Deactivated a person'),
    'user.reactivate': _('Reactivated a person'),
    'user.set_password': _("Set a person's password"),
    'user.update': _('Changed a person'),
    'wechat.keyword.create': _('Created a keyword reply'),
    'wechat.keyword.delete': _('Deleted a keyword reply'),
    'wechat.keyword.update': _('Changed a keyword reply'),
    'wechat.mass_send': _('Sent a mass message'),
    'wechat.menu.fetch': _('Fetched the custom menu'),
    'wechat.menu.publish': _('Published the custom menu'),
    'wechat.menu.record': _('Recorded the custom menu'),
    'wechat.menu.remove': _('Removed the custom menu'),
    'wechat.menu_reply.create': _('Created a menu reply'),
    'wechat.menu_reply.delete': _('Deleted a menu reply'),
    'wechat.menu_reply.update': _('Changed a menu reply'),
}

# The parts of a code, for codes nobody registered.
OBJECT_LABELS: dict[str, Any] = {
    'account': _('WeChat account'),
    'api_key': _('API key'),
    'audit': _('Audit log'),
    'auth': _('Sign-in'),
    'chat_draft': _('Chat report'),
    'comment': _('Comment'),
    'conversation': _('Conversation'),
    'http': _('Request'),
    'hydro': _('Flood data'),
    'notification': _('Notification'),
    'organisation': _('Organisation'),
    'outbound_message': _('Message to a citizen'),
    'reply': _('Reply'),
    'reply_draft': _('Reply draft'),
    'reply_template': _('Reply template'),
    'report': _('Disaster report'),
    'role': _('Role'),
    'roster': _('Duty roster'),
    'routing_rule': _('Routing rule'),
    'user': _('Person'),
    'wechat': _('WeChat'),
    'newsroom': _('Newsroom'),
    'article': _('Article'),
    'procurement': _('Procurement'),
    'contract': _('Contract'),
    'performance': _('Performance'),
    'personal_data': _('Personal data'),
}

VERB_LABELS: dict[str, Any] = {
    'create': _('create'),
    'update': _('change'),
    'delete': _('delete'),
    'save': _('save'),
    'view': _('view'),
    'export': _('export'),
    'import': _('import'),
    'approve': _('approve'),
    'reject': _('reject'),
    'return': _('return'),
    'submit': _('submit'),
    'publish': _('publish'),
    'send': _('send'),
    'sent': _('sent'),
    'failed': _('failed'),
    'sign': _('sign'),
    'close': _('close'),
    'open': _('open'),
    'assign': _('assign'),
    'fetch': _('fetch'),
    'revoke': _('revoke'),
    'grant': _('grant'),
    'withdraw': _('withdraw'),
    'generate': _('generate'),
    'accept': _('accept'),
    'compute': _('compute'),
    'reveal': _('reveal'),
    'archive': _('archive'),
    'schedule': _('schedule'),
    'review': _('review'),
    'edit': _('edit'),
    'offer': _('offer'),
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
        return gettext_now("%(verb)s: %(object)s") % {"verb": verb, "object": obj}
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
