"""The officer site's pages of publicservices (under /can-bo/)."""

app_name = "publicservices_officer"

urlpatterns = []
