"""The citizen site's pages of utilities."""

app_name = "utilities"

urlpatterns = []
