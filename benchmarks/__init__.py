"""Benchmarks: data at scale and side-by-side page timings. Not part of the test suite (see README.md)."""
