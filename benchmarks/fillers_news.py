"""Benchmark fillers of news (registered with benchmarks.fillers.filler on import)."""
