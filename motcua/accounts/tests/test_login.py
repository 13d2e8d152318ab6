import pytest
from django.test import Client

from motcua.accounts.models import Role
from motcua.catalog.tests.factories import make_agency
from motcua.dossiers.tests.factories import make_citizen, make_official

pytestmark = pytest.mark.django_db


def test_officials_land_on_the_back_office_and_citizens_on_the_portal(client: Client) -> None:
    official = make_official(make_agency(), Role.RECEIVING_OFFICER, username="tn")
    response = client.post("/dang-nhap/", {"username": official.username, "password": "x"}, follow=True)
    assert response.redirect_chain[-1][0] == "/mot-cua/"
    client.post("/dang-xuat/")
    citizen = make_citizen(username="cd")
    response = client.post("/dang-nhap/", {"username": citizen.username, "password": "x"}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    response = client.post("/dang-xuat/", follow=True)
    assert response.redirect_chain[-1][0] == "/"
