"""Benchmarks, run by hand (`make bench`); their numbers are reported in the README."""
