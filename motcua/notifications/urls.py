from django.urls import path

from motcua.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/da-doc/", views.mark_read, name="mark_read"),
    path("da-doc-het/", views.mark_all_read, name="mark_all_read"),
    path("cai-dat/", views.preferences, name="preferences"),
]
