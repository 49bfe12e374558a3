"""Editors' pages of the directory of places (under /can-bo/tien-ich/)."""
