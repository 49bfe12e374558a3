"""The officer site's pages of campaigns (under /can-bo/)."""

app_name = "campaigns_officer"

urlpatterns = []
