"""A NUL in the query string is refused before any view reads it (PostgreSQL text cannot hold one)."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/tin-tuc/lich-tiep-dan/lich.ics?phuong=1%002", "/api/v1/dich-vu-cong/thu-tuc/?q=a%00"]
)
def test_a_nul_in_the_query_is_a_400(client, url):
    assert client.get(url).status_code == 400


@pytest.mark.django_db
def test_a_query_without_nul_reaches_the_view(client):
    assert client.get("/api/v1/dich-vu-cong/thu-tuc/?q=khai+sinh").status_code == 200
