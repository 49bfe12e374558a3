"""Officer pages of news (under /can-bo/tin-tuc/): editors' articles, notices and schedules, and
utility companies' outages. HTTP only: reads in news.selectors, writes in news.services."""
