from django.urls import path

from motcua.eforms import views

app_name = "eforms"
urlpatterns = [
    path("<slug:code>.pdf", views.form_pdf, name="pdf"),
    path("<slug:code>.docx", views.form_docx, name="docx"),
]
