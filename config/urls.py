from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from motcua.accounts.views import LoginView, after_login
from motcua.interop.api import api

admin.site.site_header = settings.ADMIN_SITE_HEADER
admin.site.site_title = settings.ADMIN_SITE_HEADER

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("dang-nhap/", LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("sau-dang-nhap/", after_login, name="after_login"),
    path("bieu-mau/", include("motcua.eforms.urls")),
    path("", include("motcua.dossiers.urls")),
    path("mot-cua/", include("motcua.backoffice.urls")),
    path("tep-tai-len/", include("motcua.uploads.urls")),
    path("thong-bao/", include("motcua.notifications.urls")),
    path("tai-khoan/", include("motcua.accounts.urls")),
    path("oidc-sandbox/", include("motcua.accounts.oidc_sandbox_urls")),  # LOCAL SANDBOX; 404 unless OIDC_SANDBOX
    path("", include("motcua.portal.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "motcua.portal.views.not_found"
