"""Benchmark fillers of campaigns (registered with benchmarks.fillers.filler on import)."""
