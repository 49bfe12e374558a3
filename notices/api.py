"""REST API v1 of notices: serializers and views, mounted under /api/v1/ by smarthp.api_urls."""

urlpatterns = []
