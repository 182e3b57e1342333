"""Scale benchmark of the dashboard: see benchmarks/README.md. Not part of the test run."""
