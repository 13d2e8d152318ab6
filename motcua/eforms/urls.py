from django.urls import path

app_name = "eforms"
urlpatterns: list[path] = []  # type: ignore[valid-type]
