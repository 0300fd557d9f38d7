#!/usr/bin/env bash
# Benchmarks of the checker beside plain cargo. See scripts/bench.py --help.
#   scripts/bench.sh                 # warm full check, cached check, re-check, watch latency
#   scripts/bench.sh --cold          # also cold first runs (a full build per sample: slow)
#   scripts/bench.sh --grade 30      # also grade 30 copies of the course
exec python3 "$(dirname "$0")/bench.py" "$@"
