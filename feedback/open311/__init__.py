"""Open311 GeoReport v2 under /api/open311/v2/: the read side (views), the write side (write),
client keys (keys), XML (xml), photos by URL (media)."""
