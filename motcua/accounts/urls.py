from django.urls import path

from motcua.accounts import views

app_name = "accounts"
urlpatterns = [
    path("dang-ky/", views.sign_up, name="sign_up"),
    path("dang-ky/xac-thuc/", views.sign_up_verify, name="sign_up_verify"),
    path("quen-mat-khau/", views.password_reset, name="password_reset"),
    path("quen-mat-khau/dat-lai/", views.password_reset_confirm, name="password_reset_confirm"),
    path("ho-so/", views.profile, name="profile"),
    path("vneid/", views.oidc_start, name="oidc_start"),
    path("vneid/ve/", views.oidc_callback, name="oidc_callback"),
]
