# Benchmark: requests per second and memory of the stack against a fixed
# nginx upstream, printed as figures (docs/benchmark.md). Never part of
# `make test`: speed is measured, not asserted.
#
#   make bench         the default stack (lighttpd + the FastCGI programs)
#   make bench-nginx   the same with nginx + spawn-fcgi in front
#   make bench-node    the same endpoints on a Node.js/Express server like the tutorial's

.PHONY: bench bench-nginx bench-node

bench: $(PROGRAMS)
	MEET_CGI_DIR=$(CURDIR)/$(CGI_DIR) node bench/bench.mjs

# The same run on nginx + spawn-fcgi (deploy/nginx.conf), for comparison.
bench-nginx: $(PROGRAMS)
	MEET_CGI_DIR=$(CURDIR)/$(CGI_DIR) BENCH_WEB_SERVER=nginx node bench/bench.mjs

# The same endpoints on a Node.js/Express server like the tutorial's
# (bench/node-tutorial.mjs), against the same upstream: the comparison point.
bench-node:
	BENCH_WEB_SERVER=node-tutorial node bench/bench.mjs

