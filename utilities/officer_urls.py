"""The officer site's pages of utilities (under /can-bo/)."""

app_name = "utilities_officer"

urlpatterns = []
