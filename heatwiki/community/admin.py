from django.contrib import admin

from .models import Notification, TalkPost, TalkTopic


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "kind", "delivery", "text", "read_at", "emailed_at"]
    list_filter = ["kind", "delivery"]
    raw_id_fields = ["user", "actor", "page", "revision", "post"]


@admin.register(TalkTopic)
class TalkTopicAdmin(admin.ModelAdmin):
    list_display = ["title", "page", "author", "created_at", "locked_at"]
    raw_id_fields = ["page", "author", "locked_by"]


@admin.register(TalkPost)
class TalkPostAdmin(admin.ModelAdmin):
    list_display = ["topic", "author", "created_at", "hidden_at"]
    raw_id_fields = ["topic", "parent", "author", "hidden_by"]
