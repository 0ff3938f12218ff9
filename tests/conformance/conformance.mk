# The in-guest conformance suite (included by the top-level Makefile). Empty until the
# suite lands (issue 4).
