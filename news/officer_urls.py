"""The officer site's pages of news (under /can-bo/)."""

app_name = "news_officer"

urlpatterns = []
