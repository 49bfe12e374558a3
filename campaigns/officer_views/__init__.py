"""The campaign's officer pages (under /can-bo/chien-dich/), split by concern."""
