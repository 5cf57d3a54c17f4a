"""The community's addresses. Talk pages sit under their page's address (/<kind>/<slug>/talk/);
the site's URLconf puts these after the page kinds' own, so no kind's URL is shadowed."""

from django.urls import path

from . import views

app_name = "community"
urlpatterns = [
    path("watchlist/", views.watchlist, name="watchlist"),
    path("watchlist/mark-all-read/", views.mark_all_read, name="mark-all-read"),
    path("watch/<int:page_id>/", views.watch, name="watch"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/", views.open_notification, name="open-notification"),
    path("notifications/preferences/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("recent-changes/talk/", views.talk_changes, name="talk-changes"),
    path("thank/<int:revision_id>/", views.thank, name="thank"),
    path("users/<str:username>/thanks/", views.thanks_of, name="thanks"),
    path("talk/posts/<int:post_id>/edit/", views.edit_post, name="edit-post"),
    path("talk/posts/<int:post_id>/history/", views.post_history, name="post-history"),
    path("talk/posts/<int:post_id>/hide/", views.hide_post, name="hide-post"),
    path("talk/topics/<int:topic_id>/lock/", views.lock_topic, name="lock-topic"),
    path("talk/topics/<int:topic_id>/follow/", views.follow_topic, name="follow-topic"),
    path("<str:kind>/<slug:slug>/talk/", views.talk, name="talk"),
    path("<str:kind>/<slug:slug>/talk/<int:topic>/", views.topic, name="topic"),
]
