"""The citizen site's pages of news."""

app_name = "news"

urlpatterns = []
