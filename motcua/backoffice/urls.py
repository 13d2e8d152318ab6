from django.urls import path

from motcua.backoffice import views

app_name = "backoffice"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("tim/", views.search, name="search"),
    path("ho-so/<int:pk>/", views.dossier_detail, name="dossier"),
    path("tep/<int:pk>/", views.dossier_file, name="file"),
    path("tiep-nhan/moi/", views.intake, name="intake"),
]
