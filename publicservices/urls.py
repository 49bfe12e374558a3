"""The citizen site's pages of publicservices."""

app_name = "publicservices"

urlpatterns = []
