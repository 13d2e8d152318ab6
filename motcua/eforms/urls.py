from django.urls import path

from motcua.eforms import fill_views, views

app_name = "eforms"
urlpatterns = [
    path("<slug:code>.pdf", views.form_pdf, name="pdf"),
    path("<slug:code>.docx", views.form_docx, name="docx"),
    path("phuong-xa.json", fill_views.wards_json, name="wards"),
    path("<slug:code>/dien/", fill_views.fill_start, name="fill_start"),
    path("<slug:code>/dien/<int:number>/", fill_views.fill_section, name="fill_section"),
    path("<slug:code>/dien/kiem-tra/", fill_views.fill_review, name="fill_review"),
    path("<slug:code>/dien/in.pdf", fill_views.fill_pdf, name="fill_pdf"),
]
