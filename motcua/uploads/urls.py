from django.urls import path

from motcua.uploads import views

app_name = "uploads"
urlpatterns = [
    path("<int:pk>/", views.upload_download, name="download"),
]
