"""REST API v1 of feedback: serializers and views, mounted under /api/v1/ by smarthp.api_urls."""

urlpatterns = []
