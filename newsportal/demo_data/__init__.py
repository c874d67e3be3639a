"""Synthetic Vietnamese content in bulk, for benchmarks (`flask demo generate`)."""
