"""Benchmark fillers of publicservices (registered with benchmarks.fillers.filler on import)."""
