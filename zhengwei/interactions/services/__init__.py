"""Every change in citizen interaction goes through here.

Three groups:

* **Chat intake** (actor: the ``Citizen`` WeChat's signed callback identified): a location, photos,
  voice and text build a ``ChatDraft``; 确认 turns it into a report through reports'
  ``report_receive`` (channel chat). Appending to a draft is bookkeeping and is not audited (the
  stored inbound message is the record); starting, confirming and abandoning are.
* **Messages to reporters** (actor: the system, or the officer whose step it is): every public
  step of a report with a WeChat reporter becomes a customer-service message, worded by the
  office's ``ReplyTemplate`` for the new state; after resolution the citizen is asked for a 1–5
  rating, and their answer in chat is recorded through ``report_rate`` (or, for 不满意,
  ``report_citizen_reject_closure``).
* **The 互动 inbox** (actor: a signed-in person): conversations built from messages and article
  comments are classified, assigned, answered and resolved; a contractor's reply is a draft that
  an office member approves or returns before it is sent.

Events (payloads carry ids, never personal data):
    chat_draft.started / .confirmed / .abandoned     draft_id, account_id[, report_id]
    citizen_notice.sent                              notice_id, report_id, account_id
    conversation.received / .classified / .assigned / .replied / .resolved / .reopened /
    .converted / .escalated                          conversation_id, account_id[, …]
    reply_draft.submitted / .approved / .returned / .sent / .failed
                                                     draft_id, conversation_id, account_id
    reply_template.saved                             account_id, state
"""

from __future__ import annotations

from zhengwei.interactions.services.common import (
    CITIZEN,
    CONVERSATION_EVENTS,
    MAX_DRAFT_PHOTOS,
    MAX_DRAFT_TEXTS,
    SYSTEM,
    RateLimited,
)
from zhengwei.interactions.services.conversations import (
    AUDIT_FIELDS,
    conversation_assign,
    conversation_classify,
    conversation_convert,
    conversation_receive,
    conversation_receive_comments,
    conversation_receive_message,
    conversation_reopen,
    conversation_resolve,
)
from zhengwei.interactions.services.drafts import (
    chat_draft_add_location,
    chat_draft_add_photo,
    chat_draft_add_text,
    chat_draft_attach_photos,
    chat_draft_cancel,
    chat_draft_confirm,
    chat_draft_current,
    chat_draft_open,
    chat_drafts_close_for_report,
    chat_drafts_expire,
)
from zhengwei.interactions.services.escalation import conversations_escalate_overdue
from zhengwei.interactions.services.notices import (
    citizen_chat_reply,
    citizen_notify_merged,
    citizen_notify_step,
    citizen_rate_from_chat,
    citizen_reject_from_chat,
    compose_told,
    template_for,
)
from zhengwei.interactions.services.replies import (
    reply_approve,
    reply_draft_revise,
    reply_draft_submit,
    reply_draft_withdraw,
    reply_retry,
    reply_return,
    reply_send,
)
from zhengwei.interactions.services.reply_templates import reply_template_save, reply_templates_seed

__all__ = [
    "AUDIT_FIELDS",
    "CITIZEN",
    "CONVERSATION_EVENTS",
    "MAX_DRAFT_PHOTOS",
    "MAX_DRAFT_TEXTS",
    "RateLimited",
    "SYSTEM",
    "chat_draft_add_location",
    "chat_draft_add_photo",
    "chat_draft_add_text",
    "chat_draft_attach_photos",
    "chat_draft_cancel",
    "chat_draft_confirm",
    "chat_draft_current",
    "chat_draft_open",
    "chat_drafts_close_for_report",
    "chat_drafts_expire",
    "citizen_chat_reply",
    "citizen_notify_merged",
    "compose_told",
    "citizen_notify_step",
    "citizen_rate_from_chat",
    "citizen_reject_from_chat",
    "conversation_assign",
    "conversation_classify",
    "conversation_convert",
    "conversation_receive",
    "conversation_receive_comments",
    "conversation_receive_message",
    "conversation_reopen",
    "conversation_resolve",
    "conversations_escalate_overdue",
    "reply_approve",
    "reply_draft_revise",
    "reply_draft_submit",
    "reply_draft_withdraw",
    "reply_retry",
    "reply_return",
    "reply_send",
    "reply_template_save",
    "reply_templates_seed",
    "template_for",
]
