"""URLs of the LOCAL SANDBOX OpenID provider (mounted at /oidc-sandbox/; 404 unless OIDC_SANDBOX)."""

from django.urls import path

from motcua.accounts import oidc_sandbox

app_name = "oidc_sandbox"
urlpatterns = [
    path(".well-known/openid-configuration", oidc_sandbox.discovery, name="discovery"),
    path("authorize", oidc_sandbox.authorize, name="authorize"),
    path("token", oidc_sandbox.token, name="token"),
    path("jwks", oidc_sandbox.jwks, name="jwks"),
]
