#!/usr/bin/env bash
# One silo node of the cluster: what each task of the scheduler's array job runs (slurm-silos.sbatch,
# sge-silos.sh), and what run-local.sh starts three times on one machine.
#
#   silo-node.sh [hpbandster-silo options...]
#
# Environment (every HPBANDSTER_<OPTION> of hpbandster-silo works too, e.g. HPBANDSTER_CLUSTER_ID, HPBANDSTER_INTERFACE,
# HPBANDSTER_CONFIG; the silo also reads ./appsettings.json when it exists):
#   HPBANDSTER_POSTGRES       the Npgsql connection string of the cluster's database; when unset, it is read from
#   HPBANDSTER_POSTGRES_FILE  a file only you can read (default ~/.hpbandster/postgres).
#   HPBANDSTER_SILO           the silo program: hpbandster-silo on PATH (default), a path to it, or a path to
#                             hpbandster-silo.dll (started with dotnet).
# Defaults set here (as HPBANDSTER_* variables) unless already given: PostgreSQL clustering; slots = the scheduler's
# CPUs for the task (SLURM_CPUS_PER_TASK, or NSLOTS under SGE), else the silo's default (the processor count); free
# silo and gateway ports; data directory ${TMPDIR:-/tmp}/hpbandster-<job>-<task>. Options on the command line win
# over all of these; being variables, these win over the configuration file.
#
# The connection string reaches the silo through its environment, never its command line, which every user of the
# node can read with ps. SIGTERM, SIGINT, SIGHUP and SGE's warnings SIGUSR1/SIGUSR2 (-notify, s_rt) are passed on to
# the silo as SIGTERM: it stops taking jobs, hands its running ones back to their runs and leaves the cluster. The
# exit code is the silo's (0 after a graceful stop, 1 when it could not start, 2 for invalid settings).
set -euo pipefail

if [ -z "${HPBANDSTER_POSTGRES:-}" ]; then
  file=${HPBANDSTER_POSTGRES_FILE:-$HOME/.hpbandster/postgres}
  if [ ! -r "$file" ]; then
    echo "silo-node.sh: no PostgreSQL connection string: set HPBANDSTER_POSTGRES, or write it to $file (or the file named by HPBANDSTER_POSTGRES_FILE)" >&2
    exit 2
  fi
  HPBANDSTER_POSTGRES=$(<"$file")
fi
export HPBANDSTER_POSTGRES
export HPBANDSTER_CLUSTERING=${HPBANDSTER_CLUSTERING:-postgres}

if [ -z "${HPBANDSTER_SLOTS:-}" ] && [ -n "${SLURM_CPUS_PER_TASK:-${NSLOTS:-}}" ]; then
  export HPBANDSTER_SLOTS=${SLURM_CPUS_PER_TASK:-$NSLOTS}
fi

# Ports: the clients and the other silos find them in PostgreSQL, so any free pair does, and two tasks that the
# scheduler puts on one node must not share one. Set HPBANDSTER_SILO_PORT and HPBANDSTER_GATEWAY_PORT (or pass
# --silo-port/--gateway-port) to fix them, for example for a firewall.
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 12000))
    if [ "$port" != "${HPBANDSTER_SILO_PORT:-}" ] && ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
}
if [ -z "${HPBANDSTER_SILO_PORT:-}" ]; then
  HPBANDSTER_SILO_PORT=$(free_port)
  export HPBANDSTER_SILO_PORT
fi
if [ -z "${HPBANDSTER_GATEWAY_PORT:-}" ]; then
  HPBANDSTER_GATEWAY_PORT=$(free_port)
  export HPBANDSTER_GATEWAY_PORT
fi

job=${SLURM_ARRAY_JOB_ID:-${SLURM_JOB_ID:-${JOB_ID:-local}}}
task=${SLURM_ARRAY_TASK_ID:-${SGE_TASK_ID:-$$}}
export HPBANDSTER_DATA_DIR=${HPBANDSTER_DATA_DIR:-${TMPDIR:-/tmp}/hpbandster-$job-$task}

silo=${HPBANDSTER_SILO:-hpbandster-silo}
case "$silo" in
  *.dll) command=(dotnet "$silo") ;;
  *) command=("$silo") ;;
esac

pid=""
signalled=0
# shellcheck disable=SC2317 # called by the traps
on_signal() {
  signalled=1
  if [ -n "$pid" ]; then
    kill -TERM "$pid" 2>/dev/null || true
  fi
}
trap on_signal TERM INT HUP
# SGE may send its warnings to the whole process group: the silo inherits "ignore SIGUSR1/SIGUSR2" (their default
# action would kill it at once) and is told by the SIGTERM passed on below instead.
trap '' USR1 USR2
"${command[@]}" "$@" &
pid=$!
trap on_signal USR1 USR2
if [ "$signalled" -ne 0 ]; then
  kill -TERM "$pid" 2>/dev/null || true
fi

# wait returns early when a trapped signal arrives; then wait again for the silo's own exit code.
while :; do
  signalled=0
  status=0
  wait "$pid" || status=$?
  [ "$signalled" -ne 0 ] || break
done
exit "$status"
