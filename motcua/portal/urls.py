from django.urls import path

import motcua.portal.apply_views as apply_views
import motcua.portal.supplement_views as supplement_views
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

# The online application (apply_views): start from a procedure, then one draft's pages.
urlpatterns += [
    path("thu-tuc/<str:key>/nop-truc-tuyen/", apply_views.apply_start, name="apply_start"),
    path("nop-truc-tuyen/<int:draft_id>/", apply_views.apply_resume, name="apply_resume"),
    path("nop-truc-tuyen/<int:draft_id>/noi-nop/", apply_views.apply_agency, name="apply_agency"),
    path(
        "nop-truc-tuyen/<int:draft_id>/to-khai/<slug:code>/<int:number>/",
        apply_views.apply_section,
        name="apply_section",
    ),
    path("nop-truc-tuyen/<int:draft_id>/dinh-kem/", apply_views.apply_attachments, name="apply_attachments"),
    path("nop-truc-tuyen/<int:draft_id>/kiem-tra/", apply_views.apply_review, name="apply_review"),
    path("nop-truc-tuyen/<int:draft_id>/nop/", apply_views.apply_submit, name="apply_submit"),
    path("nop-truc-tuyen/<int:draft_id>/da-nop/", apply_views.apply_done, name="apply_done"),
    path("nop-truc-tuyen/<int:draft_id>/xoa/", apply_views.apply_discard, name="apply_discard"),
]

# Online supplement (supplement_views): the citizen answers the office's request.
urlpatterns += [
    path("ho-so-cua-toi/<str:code>/bo-sung/", supplement_views.dossier_supplement, name="dossier_supplement"),
]
