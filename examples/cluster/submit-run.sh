#!/usr/bin/env bash
# The client on the submission node: starts a run on the cluster of silo-node.sh silos, follows it and prints
# HpBandSter's summary. The run lives in the cluster: interrupting this script cancels it (resume it with
# 'hpbandster resume RUN'); losing the submission node's connection does not stop it.
#
#   submit-run.sh [hpbandster run options...]
#   e.g. submit-run.sh --objective logreg --min-budget 1 --max-budget 27 --iterations 8 --out results/logreg
#
# Environment:
#   HPBANDSTER_POSTGRES       the cluster's connection string; when unset, it is read from
#   HPBANDSTER_POSTGRES_FILE  a file only you can read (default ~/.hpbandster/postgres).
#   HPBANDSTER_CLUSTER_ID     the silos' cluster id (default hpbandster).
#   HPBANDSTER_CLIENT         the client program: hpbandster on PATH (default), a path to it, or to hpbandster.dll.
# The client finds the silos' gateways in PostgreSQL; it reads the connection string from HPBANDSTER_POSTGRES, so the
# password never appears on a command line.
set -euo pipefail

if [ -z "${HPBANDSTER_POSTGRES:-}" ]; then
  file=${HPBANDSTER_POSTGRES_FILE:-$HOME/.hpbandster/postgres}
  if [ ! -r "$file" ]; then
    echo "submit-run.sh: no PostgreSQL connection string: set HPBANDSTER_POSTGRES, or write it to $file (or the file named by HPBANDSTER_POSTGRES_FILE)" >&2
    exit 2
  fi
  HPBANDSTER_POSTGRES=$(<"$file")
fi
export HPBANDSTER_POSTGRES

client=${HPBANDSTER_CLIENT:-hpbandster}
case "$client" in
  *.dll) command=(dotnet "$client") ;;
  *) command=("$client") ;;
esac

exec "${command[@]}" run --cluster-id "${HPBANDSTER_CLUSTER_ID:-hpbandster}" "$@"
