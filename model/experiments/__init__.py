"""Batch experiments: specs, the runner and its executors, statistics, sensitivity screening and reports."""
