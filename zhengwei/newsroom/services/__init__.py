"""Every change in the newsroom goes through here (``<entity>_<action>(*, actor, …)``).

Each function checks the policy, locks what it changes, moves the state machine
(``workflow``; illegal moves raise ``IllegalTransition``), writes the audit trail and publishes
its events after commit.

Events (payloads carry ids):
    article.created / article.offered / article.saved   article_id, account_id[, source]
    article.submitted / article.approved                  article_id, account_id
    article.returned                                      article_id, account_id, writer_id, step_id
    review.step_opened / review.step_escalated            article_id, step_id, account_id, role
    topic.proposed / topic.declined                       topic_id, account_id
    assignment.created                                    assignment_id, account_id, owner_id
    direction.issued                                      direction_id, account_id
"""

from zhengwei.newsroom.services.articles import (
    article_create,
    article_images_upload,
    article_offer,
    article_save,
    articles_images_upload_pending,
    comment_add,
    comment_resolve,
)
from zhengwei.newsroom.services.chain import chain_save
from zhengwei.newsroom.services.emergency import (
    emergency_declare,
    emergency_end,
    emergency_live_event,
    emergency_switch,
    live_entry_check,
    live_entry_post,
    live_event_open,
    live_url,
    roster_add,
)
from zhengwei.newsroom.services.media import image_upload
from zhengwei.newsroom.services.planning import (
    column_save,
    direction_issue,
    push_plan,
    push_set_articles,
    topic_accept,
    topic_decline,
    topic_propose,
    topic_update,
)
from zhengwei.newsroom.services.preview import (
    article_preview,
    preview_bind,
    preview_code_issue,
    preview_unbind,
)
from zhengwei.newsroom.services.publishing import (
    GateRefused,
    gate,
    push_finish,
    push_masssend_finish,
    push_publish_run,
    push_retry,
    push_schedule,
    push_unschedule,
    push_withdraw,
    pushes_poll,
    pushes_publish_due,
)
from zhengwei.newsroom.services.review import (
    article_submit,
    finding_decide,
    review_approve,
    review_return,
    review_steps_escalate,
)
from zhengwei.newsroom.services.words import term_delete, terms_add

__all__ = [
    "article_preview",
    "preview_bind",
    "preview_code_issue",
    "preview_unbind",
    "chain_save",
    "emergency_declare",
    "emergency_end",
    "emergency_live_event",
    "emergency_switch",
    "live_entry_check",
    "live_entry_post",
    "live_event_open",
    "live_url",
    "roster_add",
    "GateRefused",
    "gate",
    "push_finish",
    "push_masssend_finish",
    "push_publish_run",
    "push_retry",
    "push_schedule",
    "push_unschedule",
    "push_withdraw",
    "pushes_poll",
    "pushes_publish_due",
    "article_create",
    "article_images_upload",
    "articles_images_upload_pending",
    "article_offer",
    "article_save",
    "article_submit",
    "column_save",
    "comment_add",
    "comment_resolve",
    "direction_issue",
    "finding_decide",
    "image_upload",
    "push_plan",
    "push_set_articles",
    "review_approve",
    "review_return",
    "review_steps_escalate",
    "term_delete",
    "terms_add",
    "topic_accept",
    "topic_decline",
    "topic_propose",
    "topic_update",
]
