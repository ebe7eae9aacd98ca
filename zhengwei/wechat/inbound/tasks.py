"""The processing step as a django-tasks task, so the platform's ordinary task worker (db_worker in
./run) processes WeChat deliveries without another process to deploy.

The storing side (the callback paths) calls ``notify_stored`` here; the services never import
this module, so tasks stand on services and not the other way round.
"""

from django.conf import settings
from django_tasks import task

from zhengwei.wechat.inbound.services import inbound_process_pending


@task(queue_name="wechat")
def process_inbound() -> int:
    return inbound_process_pending()


def notify_stored() -> None:
    """Tell the processing step that rows were stored: enqueue the drain task (queue "wechat"),
    unless a dedicated ``manage.py wechat_worker`` polls instead (WECHAT_INBOUND_TASKS=false)."""
    if not settings.WECHAT_INBOUND_TASKS:
        return
    process_inbound.enqueue()
