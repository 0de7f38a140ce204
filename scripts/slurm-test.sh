#!/usr/bin/env bash
# A real Slurm on loopback: installs Debian's slurm-wlm and munge if missing, starts a
# one-node cluster (munged, slurmctld, slurmd; private config, state and sockets in a
# temporary folder, no cgroups), then
#   1. submits `entente slurm` (a 4-task array, at most 2 at once, and the afterok merge
#      job) and checks the merged claims.csv is byte-identical to an unsharded run's and
#      its draws.parquet holds the same draws under its own run id (scripts/same-draws.py);
#   2. submits again, kills one running task (scancel), checks `entente status` calls it
#      failed, resumes with `entente slurm --resume` and checks the bytes again.
# Every daemon it started is stopped on exit. Needs root (slurmd runs jobs as their user).
# ENTENTE_SKIP_SLURM=1 skips it, saying so.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${ENTENTE_SKIP_SLURM:-}" = 1 ]; then
    echo "slurm-test: skipped (ENTENTE_SKIP_SLURM=1)"
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "slurm-test: needs root (slurmd starts jobs as their user); ENTENTE_SKIP_SLURM=1 skips it" >&2
    exit 1
fi
t0=$(date +%s)
log() { echo "slurm-test [$(($(date +%s) - t0)) s]: $*"; }

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
    log "installing slurm-wlm and munge"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q slurm-wlm munge >/dev/null
fi

ENTENTE=${ENTENTE:-$PWD/target/debug/entente}
# pyarrow, to compare draws.parquet but for its run id (the Python tests' environment).
VENV=${ENTENTE_VENV:-target/python-venv}
[ -x "$VENV/bin/python" ] || "${PYTHON:-python3}" -m venv "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check pyarrow
if [ ! -x "$ENTENTE" ]; then
    cargo build --locked -p entente-cli --bin entente
fi
SCENARIO=$PWD/tests/fixtures/scenarios/small.toml

W=$(mktemp -d /tmp/entente-slurm.XXXXXX)
C=$W/cluster
mkdir -p "$C"/{state,spool,log,munge}
export SLURM_CONF=$C/slurm.conf

stop_daemons() {
    local status=$?
    set +e
    if [ -f "$C/slurmctld.pid" ]; then
        # Our private cluster runs only this script's jobs.
        scancel --quiet --user=root 2>/dev/null
    fi
    for pidfile in "$C/slurmd.pid" "$C/slurmctld.pid" "$C/munge/munged.pid"; do
        if [ -f "$pidfile" ]; then
            pid=$(cat "$pidfile")
            kill "$pid" 2>/dev/null
            for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -9 "$pid" 2>/dev/null
        fi
    done
    if [ "$status" != 0 ]; then
        echo "slurm-test: FAILED; the cluster's logs:" >&2
        tail -n 30 "$C"/log/*.log >&2
        tail -n 30 "$W"/exp*/logs/*.out >&2 2>/dev/null
    fi
    rm -rf "$W"
    exit "$status"
}
trap stop_daemons EXIT

# munge: our own key, socket and pid file, never the system's.
chmod 700 "$C/munge"
dd if=/dev/urandom of="$C/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$C/munge/munge.key"
munged --force --socket="$C/munge/sock" --key-file="$C/munge/munge.key" \
    --pid-file="$C/munge/munged.pid" --log-file="$C/log/munged.log" --seed-file="$C/munge/seed"

host=$(hostname -s)
port=$((20000 + $$ % 20000))
cat >"$SLURM_CONF" <<EOF
ClusterName=entente-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$C/munge/sock
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$C/state
SlurmdSpoolDir=$C/spool
SlurmctldPidFile=$C/slurmctld.pid
SlurmdPidFile=$C/slurmd.pid
SlurmctldLogFile=$C/log/slurmctld.log
SlurmdLogFile=$C/log/slurmd.log
# No cgroups: processes tracked through /proc, no task binding, no accounting.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
NodeName=$host NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld
slurmd -N "$host"
for _ in $(seq 100); do
    [ "$(sinfo -h -o %t 2>/dev/null)" = idle ] && break
    sleep 0.3
done
[ "$(sinfo -h -o %t)" = idle ] || { echo "slurm-test: the node never came up" >&2; exit 1; }
log "cluster up ($(slurmd -V), node $host, port $port)"

# Wait until none of the given jobs is queued or running (at most 15 minutes).
wait_jobs() {
    for _ in $(seq 1800); do
        [ -z "$(squeue -h -r -j "$1" -o %i 2>/dev/null)" ] && return 0
        sleep 0.5
    done
    echo "slurm-test: jobs $1 still queued after 15 minutes" >&2
    squeue >&2
    return 1
}
# The job ids slurm.json records (arrays and merges), comma-separated.
jobs_of() { grep -Eo '"(array|merge)_job": "[0-9]+"' "$1/slurm.json" | grep -Eo '[0-9]+' | paste -sd, -; }
# claims.csv byte for byte; draws.parquet the same draws, each under its own run id.
same_bytes() {
    cmp "$W/whole/claims.csv" "$1/merged/claims.csv"
    "$VENV/bin/python" scripts/same-draws.py "$W/whole" "$1/merged"
}

"$ENTENTE" run "$SCENARIO" --out "$W/whole" --store "$W/whole.sqlite" --quiet >/dev/null
log "unsharded run done"

# 1. The array and its merge.
"$ENTENTE" slurm "$SCENARIO" --shards 4 --concurrent 2 --out "$W/exp1" --submit
grep -q -- '--array=0-3%2' "$W/exp1/array.sbatch"
wait_jobs "$(jobs_of "$W/exp1")"
"$ENTENTE" status "$W/exp1"
same_bytes "$W/exp1"
log "4 shards merged on Slurm: claims.csv identical to the unsharded run, draws.parquet the same draws"

# 2. Kill one task while it runs, then resume.
"$ENTENTE" slurm "$SCENARIO" --shards 4 --concurrent 2 --out "$W/exp2" --submit
array=$(grep -Eo '"array_job": "[0-9]+"' "$W/exp2/slurm.json" | grep -Eo '[0-9]+')
for _ in $(seq 1200); do
    [ -f "$W/exp2/shards/1/RUNNING" ] && break
    sleep 0.1
done
scancel --signal=KILL "${array}_1"
log "killed task ${array}_1"
# The other tasks finish; the merge waits on an array that can no longer succeed.
wait_jobs "$array"
"$ENTENTE" status "$W/exp2" | tee "$W/status.txt"
if grep -Eq '^ +1 +done' "$W/status.txt"; then
    # The task finished before the kill reached it: fail it by hand instead.
    log "task 1 finished before it was killed; removing its part to fail it"
    rm "$W/exp2/shards/1/part-1-of-4.jsonl"
    "$ENTENTE" status "$W/exp2" | tee "$W/status.txt"
fi
grep -Eq '^ +1 +(failed|missing)' "$W/status.txt"
[ "$(grep -Ec '^ +[0-9]+ +done' "$W/status.txt")" = 3 ]
[ ! -e "$W/exp2/merged/claims.csv" ]
"$ENTENTE" slurm --resume "$W/exp2"
grep -q -- '--array=1%2' "$W/exp2/resume-1.sbatch"
wait_jobs "$(jobs_of "$W/exp2")"
"$ENTENTE" status "$W/exp2"
same_bytes "$W/exp2"
log "killed, resumed and merged: identical to the unsharded run"
log "passed in $(($(date +%s) - t0)) s"
