from django.apps import AppConfig


class SchedulerConfig(AppConfig):
    name = "zhengwei.scheduler"
    label = "scheduler"
    verbose_name = "定时任务"
