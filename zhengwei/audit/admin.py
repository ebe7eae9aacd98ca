from django.contrib import admin

from zhengwei.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the admin can look, never change or delete."""

    list_display = ["at", "actor_name", "role", "action", "object_repr", "ip", "outcome"]
    list_filter = ["action", "outcome"]
    search_fields = ["actor_name", "object_repr", "action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
