from django.db import models


class InboundMessage(models.Model):
    to_user = models.CharField(max_length=32)
    from_user = models.CharField(max_length=64)
    msg_type = models.CharField(max_length=32)
    msg_id = models.CharField(max_length=32)
    create_time = models.BigIntegerField()
    content = models.TextField(blank=True)
    raw_xml = models.TextField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "naive"
        constraints = [
            models.UniqueConstraint(fields=["from_user", "msg_id"], name="naive_msg_once"),
        ]
