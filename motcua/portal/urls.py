from django.urls import path

from motcua.portal import citizen_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_list, name="procedure_list"),
    path("thu-tuc/<str:key>/", views.procedure_detail, name="procedure_detail"),
    path("co-quan/", views.agency_list, name="agency_list"),
    path("co-quan/<str:code>/", views.agency_detail, name="agency_detail"),
    path("ho-so-cua-toi/", citizen_views.my_dossiers, name="my_dossiers"),
    path("ho-so-cua-toi/<str:code>/", citizen_views.my_dossier, name="my_dossier"),
]
