from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from renshi.core.models import AuditEvent, CodeItem, CodeTable, User


@admin.register(User)
class RenshiUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("人事", {"fields": ("role", "full_name")}))
    list_display = ("username", "full_name", "role", "is_active")
    list_filter = ("role", "is_active")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_name", "action", "object_label")
    list_filter = ("action",)
    search_fields = ("object_label", "actor_name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CodeItemInline(admin.TabularInline):
    model = CodeItem
    extra = 0


@admin.register(CodeTable)
class CodeTableAdmin(admin.ModelAdmin):
    list_display = ("key", "name", "standard", "version")
    inlines = [CodeItemInline]
