from django.urls import path

from motcua.dossiers import public_views
from motcua.dossiers.documents import views as document_views

app_name = "dossiers"
urlpatterns = [
    path("tra-cuu/", public_views.tracking_form, name="tracking_form"),
    path("tra-cuu/<str:code>/", public_views.tracking_form, name="tracking"),
    path("danh-gia/", public_views.rating, name="rating"),
    path("hoso/giay-to/<int:pk>.pdf", document_views.issued_document_download, name="issued_document_download"),
    path("hoso/so-theo-doi.pdf", document_views.register_download, {"file_format": "pdf"}, name="register_pdf"),
    path("hoso/so-theo-doi.xlsx", document_views.register_download, {"file_format": "xlsx"}, name="register_xlsx"),
]
