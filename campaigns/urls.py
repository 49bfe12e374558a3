"""The citizen site's pages of campaigns."""

app_name = "campaigns"

urlpatterns = []
