"""Benchmarks; not part of `make test`. Run with `make bench` (python -m bench.run)."""
