#!/usr/bin/env bash
# The cluster example on one machine: the silos a scheduler would start on compute nodes (silo-node.sh, here three
# processes on 127.0.0.1 with ports and data directories of their own), clustered through PostgreSQL, and the client
# of the submission node (submit-run.sh) running BOHB on the built-in toy objective on them. The silos are stopped
# gracefully (SIGTERM) at the end, also when the run fails or the script is interrupted.
#
#   examples/cluster/run-local.sh [--silos N] [--work-dir DIR] [-- hpbandster run options...]
#
# The database: HPBANDSTER_POSTGRES (an Npgsql connection string), else the file named by HPBANDSTER_POSTGRES_FILE,
# else HPBANDSTER_TEST_POSTGRES, which 'eval "$(scripts/postgres.sh start)"' sets for a throwaway server. Never as an
# argument: command lines are visible to every user in ps.
# The programs: built here in Release, unless HPBANDSTER_BIN_DIR names a directory holding hpbandster-silo.dll and
# hpbandster.dll already built.
# Options after -- go to 'hpbandster run' (for example --run-id ID, --out DIR, --seed S, --iterations N), in place
# of the script's own choice for the same option.
# --work-dir DIR keeps the silos' logs (silo-N.log) and data directories there; by default they go to a temporary
# directory that is deleted when everything succeeded.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
ready_timeout=${SILO_READY_TIMEOUT:-120}
stop_timeout=30

usage() {
  echo "usage: $0 [--silos N] [--work-dir DIR] [-- hpbandster run options...]"
}

silos=3
work=""
while [ $# -gt 0 ]; do
  case "$1" in
    --silos) silos=${2:?--silos needs a number}; shift 2 ;;
    --work-dir) work=${2:?--work-dir needs a directory}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    --) shift; break ;;
    *) echo "run-local.sh: unknown option '$1' (options for hpbandster run go after --)" >&2; usage >&2; exit 2 ;;
  esac
done
case "$silos" in
  '' | *[!0-9]*) echo "run-local.sh: --silos must be a number from 1 to 16 (got '$silos')" >&2; exit 2 ;;
esac
if [ "$silos" -lt 1 ] || [ "$silos" -gt 16 ]; then
  echo "run-local.sh: --silos must be a number from 1 to 16 (got $silos)" >&2
  exit 2
fi

if [ -z "${HPBANDSTER_POSTGRES:-}" ]; then
  if [ -n "${HPBANDSTER_POSTGRES_FILE:-}" ]; then
    HPBANDSTER_POSTGRES=$(<"$HPBANDSTER_POSTGRES_FILE")
  elif [ -n "${HPBANDSTER_TEST_POSTGRES:-}" ]; then
    HPBANDSTER_POSTGRES=$HPBANDSTER_TEST_POSTGRES
  else
    cat >&2 <<'EOF'
run-local.sh: no PostgreSQL database given. Set HPBANDSTER_POSTGRES to an Npgsql connection string
(for example "Host=127.0.0.1;Port=5432;Database=hpbandster;Username=hpbandster;Password=..."), or
HPBANDSTER_POSTGRES_FILE to a file holding one. For a throwaway server on this machine, from the repository root:
  eval "$(scripts/postgres.sh start)"    # sets HPBANDSTER_TEST_POSTGRES, which this script uses too
  examples/cluster/run-local.sh
  scripts/postgres.sh stop "$HPBANDSTER_POSTGRES_DIR"
EOF
    exit 2
  fi
fi
export HPBANDSTER_POSTGRES
# A cluster id of its own, so that runs of this script never meet silos of another cluster in the same database.
export HPBANDSTER_CLUSTER_ID=${HPBANDSTER_CLUSTER_ID:-cluster-example-$$-$RANDOM}

command -v setsid >/dev/null || { echo "run-local.sh: setsid (util-linux) is needed" >&2; exit 2; }

remove_work=0
if [ -z "$work" ]; then
  work=$(mktemp -d "${TMPDIR:-/tmp}/hpbandster-cluster-example.XXXXXX")
  remove_work=1
else
  mkdir -p "$work"
  work=$(cd "$work" && pwd)
fi

if [ -n "${HPBANDSTER_BIN_DIR:-}" ]; then
  bin_silo=$HPBANDSTER_BIN_DIR/hpbandster-silo.dll
  bin_client=$HPBANDSTER_BIN_DIR/hpbandster.dll
else
  echo "building hpbandster-silo and hpbandster (Release)..."
  for project in silo/HpBandSter.Silo.csproj client/HpBandSter.Client.csproj; do
    if ! dotnet build "$repo/$project" -c Release -nologo -v quiet >"$work/build.log" 2>&1; then
      cat "$work/build.log" >&2
      echo "run-local.sh: building $project failed" >&2
      exit 1
    fi
  done
  bin_silo=$repo/silo/bin/Release/net10.0/hpbandster-silo.dll
  bin_client=$repo/client/bin/Release/net10.0/hpbandster.dll
fi
for dll in "$bin_silo" "$bin_client"; do
  [ -f "$dll" ] || { echo "run-local.sh: $dll is missing" >&2; exit 1; }
done
export HPBANDSTER_SILO=$bin_silo HPBANDSTER_CLIENT=$bin_client

declare -a pid silo_port gateway_port attempts
used_ports=" "

# Sets REPLY to a loopback port nobody listens on now and that this script has not handed out yet.
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 12000))
    case "$used_ports" in *" $port "*) continue ;; esac
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      used_ports+="$port "
      REPLY=$port
      return
    fi
  done
}

# Starts silo $1 in a session of its own (so that a last-resort SIGKILL reaches the silo under silo-node.sh too),
# in the work directory (so no ./appsettings.json of the caller's directory applies).
start_silo() {
  local i=$1
  free_port; silo_port[i]=$REPLY
  free_port; gateway_port[i]=$REPLY
  attempts[i]=$((${attempts[i]:-0} + 1))
  (cd "$work" && exec setsid "$here/silo-node.sh" --address 127.0.0.1 --silo-port "${silo_port[i]}" \
    --gateway-port "${gateway_port[i]}" --slots 1 --data-dir "$work/silo-$i") >"$work/silo-$i.log" 2>&1 &
  pid[i]=$!
}

stopped=0
stop_silos() {
  local i deadline code
  [ "$stopped" -eq 0 ] || return 0
  stopped=1
  for i in "${!pid[@]}"; do
    kill -TERM "${pid[i]}" 2>/dev/null || true
  done
  deadline=$((SECONDS + stop_timeout))
  for i in "${!pid[@]}"; do
    while kill -0 "${pid[i]}" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do
      sleep 0.1
    done
    if kill -0 "${pid[i]}" 2>/dev/null; then
      echo "silo $i did not stop within $stop_timeout s after SIGTERM; killing it" >&2
      kill -KILL -- "-${pid[i]}" 2>/dev/null || true
    fi
    code=0
    wait "${pid[i]}" 2>/dev/null || code=$?
    echo "silo $i stopped (exit code $code)"
    [ "$code" -eq 0 ] || failed=1
  done
}

failed=0
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  local status=$?
  stop_silos
  if [ "$status" -eq 0 ] && [ "$failed" -ne 0 ]; then
    status=1
  fi
  if [ "$remove_work" -eq 1 ] && [ "$status" -eq 0 ]; then
    rm -rf "$work"
  else
    echo "silo logs and data directories: $work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "starting $silos silos of cluster '$HPBANDSTER_CLUSTER_ID' on 127.0.0.1 (PostgreSQL clustering)..."
for ((i = 1; i <= silos; i++)); do
  start_silo "$i"
done

# Wait for every silo's ready line; a silo that lost its ports to another process meanwhile is started again.
pending=$silos
declare -A ready=()
deadline=$((SECONDS + ready_timeout))
while [ "$pending" -gt 0 ]; do
  for ((i = 1; i <= silos; i++)); do
    [ -z "${ready[$i]:-}" ] || continue
    if line=$(grep -m 1 '^hpbandster-silo ready:' "$work/silo-$i.log"); then
      ready[$i]=1
      pending=$((pending - 1))
      echo "silo $i: ${line#hpbandster-silo }"
    elif ! kill -0 "${pid[i]}" 2>/dev/null; then
      code=0
      wait "${pid[i]}" || code=$?
      if grep -qi 'address already in use' "$work/silo-$i.log" && [ "${attempts[i]}" -lt 3 ]; then
        start_silo "$i"
        continue
      fi
      unset 'pid[i]'
      echo "run-local.sh: silo $i exited with code $code before it was ready:" >&2
      tail -n 20 "$work/silo-$i.log" >&2
      exit 1
    fi
  done
  if [ "$pending" -gt 0 ] && [ "$SECONDS" -ge "$deadline" ]; then
    echo "run-local.sh: not every silo was ready within $ready_timeout s; their logs end with:" >&2
    for ((i = 1; i <= silos; i++)); do
      [ -n "${ready[$i]:-}" ] || { echo "--- silo $i" >&2; tail -n 10 "$work/silo-$i.log" >&2; }
    done
    exit 1
  fi
  [ "$pending" -eq 0 ] || sleep 0.2
done

echo "$silos silos ready; the client starts the run (submit-run.sh):"
run_status=0
# The run's options, each unless given after --. --connect-timeout: a cold client on a busy machine can take longer
# than the default 10 s to reach a gateway.
defaults=(--objective toy --optimizer bohb --iterations 4 --sleep 0.2 --min-workers "$silos" --min-workers-timeout 60
  --connect-timeout 60)
run_options=()
for ((k = 0; k < ${#defaults[@]}; k += 2)); do
  given=0
  for option in "$@"; do
    case "$option" in "${defaults[k]}" | "${defaults[k]}="* | "${defaults[k]}:"*) given=1 ;; esac
  done
  [ "$given" -eq 1 ] || run_options+=("${defaults[k]}" "${defaults[k + 1]}")
done
(cd "$work" && "$here/submit-run.sh" "${run_options[@]}" "$@") || run_status=$?
echo "stopping the silos (SIGTERM)..."
stop_silos
exit "$run_status"
