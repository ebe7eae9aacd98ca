from django.db import models


class ScheduledRun(models.Model):
    """When a periodic command is next due, and who is running it now.

    Any number of schedulers may run (one per machine, say); the conditional UPDATE in
    ``claim`` lets exactly one of them start each round.
    """

    name = models.CharField(max_length=64, unique=True)
    next_due_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    runs = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.name
