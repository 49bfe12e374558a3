"""Benchmark fillers of utilities (registered with benchmarks.fillers.filler on import)."""
