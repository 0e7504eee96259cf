#!/usr/bin/env bash
# The project's one test command (README "Testing"; .ci/run calls exactly this).
# Builds the solution in Release, runs every test project, and ends with one line "N passed, N failed".
# It provides what the tests need: the .NET SDK must already be on PATH; python3 is installed from Debian's
# packages if missing (the command-objective tests run a Python script); PostgreSQL (for the clustering tests) is
# started here as a throwaway server by scripts/postgres.sh (installing Debian's 'postgresql' package if initdb and
# pg_ctl are missing) and stopped and deleted at exit. Tests find it in HPBANDSTER_TEST_POSTGRES; if that is already
# set, its server is used instead and nothing is started.
set -uo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v dotnet >/dev/null 2>&1; then
  echo "error: the .NET 10 SDK (dotnet) is not on PATH; install it from your distribution or dot.net" >&2
  exit 2
fi

log=$(mktemp)
pg_dir=""
cleanup() {
  rm -f "$log"
  if [ -n "$pg_dir" ]; then
    scripts/postgres.sh stop "$pg_dir" || echo "warning: could not stop the test PostgreSQL in $pg_dir" >&2
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

dotnet build HpBandSter.Orleans.sln -c Release 2>&1 | tail -n 3
if [ "${PIPESTATUS[0]}" -ne 0 ]; then
  echo "error: build failed" >&2
  dotnet build HpBandSter.Orleans.sln -c Release 2>&1 | grep -E "error|warning" | head -n 40 >&2
  echo "0 passed, 1 failed"
  exit 1
fi

# The command-objective tests run a Python script as the objective (no shell, no libraries beyond the standard ones).
if ! command -v python3 >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then sudo="sudo"; fi
  echo "python3 not found; installing Debian's python3 package" >&2
  $sudo apt-get update >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y python3 >&2 \
    || echo "warning: could not install python3; the command-objective tests will fail saying so" >&2
fi

if [ -z "${HPBANDSTER_TEST_POSTGRES:-}" ]; then
  if ! pg_env=$(scripts/postgres.sh start); then
    echo "error: could not start PostgreSQL for the tests (see above)" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
  eval "$pg_env"
  pg_dir=$HPBANDSTER_POSTGRES_DIR
  export HPBANDSTER_TEST_POSTGRES
fi

dotnet test HpBandSter.Orleans.sln -c Release --no-build 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the runner itself failed (crash, no tests found); never report that as green
fi
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
  echo "error: no test ran" >&2
  failed=1
fi
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
