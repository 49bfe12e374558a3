"""A NUL in the address (path or query string) is refused before any view reads it (PostgreSQL
text cannot hold one)."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/tin-tuc/lich-tiep-dan/lich.ics?phuong=1%002", "/api/v1/dich-vu-cong/thu-tuc/?q=a%00"]
)
def test_a_nul_in_the_query_is_a_400(client, url):
    assert client.get(url).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/dich-vu-cong/thu-tuc/ab%00cd/",
        "/dich-vu-cong/ho-so/ab%00cd/",
        "/tin-tuc/phuong/ab%00cd/rss/",
        "/api/v1/dich-vu-cong/tra-cuu/ab%00cd/",
    ],
)
def test_a_nul_in_the_path_is_a_400(client, url):
    """Codes read from the path went to PostgreSQL as they were: a 500 there."""
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json" if url.startswith("/api/") else "text/html")


@pytest.mark.django_db
def test_a_query_without_nul_reaches_the_view(client):
    assert client.get("/api/v1/dich-vu-cong/thu-tuc/?q=khai+sinh").status_code == 200


@pytest.mark.django_db
def test_the_api_refuses_a_nul_in_its_own_json_shape(client):
    response = client.get("/api/v1/dich-vu-cong/thu-tuc/?q=a%00", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "invalid"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/places/-5/", "/api/v1/khong-co/", "/api/v1/news/articles/abc/"])
def test_an_api_address_the_resolver_does_not_know_is_a_json_404(client, url):
    response = client.get(url)
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json()["error"] == {"status": 404, "code": "not_found", "message": "Không tìm thấy.", "fields": {}}


@pytest.mark.django_db
def test_a_page_the_resolver_does_not_know_is_still_the_portals_html_404(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404 and "text/html" in response["Content-Type"]
