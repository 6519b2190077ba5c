"""The register benchmark (``make bench``); see docs/benchmarks.md."""
