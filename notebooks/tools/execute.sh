#!/bin/sh
# Re-runs every notebook in notebooks/ and saves its outputs, on a batch dataset converted from the bundled
# fixtures. Needs python3 with pandas, matplotlib, nbclient and ipykernel (Debian: python3-pandas
# python3-matplotlib python3-nbclient python3-ipykernel). Without the duckdb Python module, tools/duckdb.py
# stands in for it (DuckDB through its Node.js binding; run `npm ci` first).
#   notebooks/tools/execute.sh            PYTHON=/usr/bin/python3 notebooks/tools/execute.sh
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(dirname "$here")
traces="$root/test/fixtures/traces"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
data="$work/fixtures"
node "${NETDEV_TIMES_BIN:-$root/bin/netdev-times.js}" convert -q -o "$data" \
  "$traces/eth-npm.ns.txt" "$traces/http-lo.ns.txt" "$traces/mixed.ns.txt" "$traces/tcp-bulk.ns.txt.xz" "$traces/udp-drop.ns.txt"
python=${PYTHON:-python3}
if ! "$python" -c 'import duckdb' 2>/dev/null; then
  echo "no duckdb Python module: using notebooks/tools/duckdb.py (DuckDB through @duckdb/node-api)" >&2
  PYTHONPATH="$here/tools${PYTHONPATH:+:$PYTHONPATH}"
  export PYTHONPATH
fi
PYDEVD_DISABLE_FILE_VALIDATION=1 NETDEV_TIMES_DATASET="$data" MPLBACKEND=module://matplotlib_inline.backend_inline "$python" "$here/tools/execute.py" "$here"/*.ipynb
