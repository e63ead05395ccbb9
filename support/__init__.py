"""What the tests and the benchmarks share: plain loops that give independent numbers, random specs, Chromium
and servers started and stopped, and the one rule for a missing tool. Neither tests/ nor benchmarks/ imports
the other; both import this package."""
