"""Benchmarks and load runs (``make bench``, ``make load``); see bench/RESULTS.md."""
