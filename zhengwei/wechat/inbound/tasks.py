"""The processing step as a django-tasks task, so the platform's ordinary task worker (db_worker in
./run) processes WeChat deliveries without another process to deploy."""

from django_tasks import task


@task(queue_name="wechat")
def process_inbound() -> int:
    from zhengwei.wechat.inbound.services import inbound_process_pending

    return inbound_process_pending()
