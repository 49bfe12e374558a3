"""The installable portal: web app manifest, service worker, offline page."""

urlpatterns = []
