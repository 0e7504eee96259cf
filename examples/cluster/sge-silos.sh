#!/bin/bash
# Three hpbandster-silo processes on compute nodes, as an SGE (Grid Engine) array job: one silo per array task, each
# with the task's slots of the smp parallel environment as evaluation slots. Submit it from the directory that holds
# silo-node.sh (and, if you use one, the silos' appsettings.json), on a file system the nodes share:
#
#   cd ~/hpbandster && qsub sge-silos.sh
#
# With -notify, qdel sends SIGUSR2 and the soft time limit s_rt sends SIGUSR1 before SIGKILL; silo-node.sh turns
# either into a graceful stop (the silo hands its running jobs back and leaves the cluster). The queue's notify time
# (often 60 s) is the time it gets.
#$ -N hpbandster-silos
#$ -t 1-3
#$ -pe smp 8
#$ -l s_rt=23:55:00,h_rt=24:00:00
#$ -S /bin/bash
#$ -cwd
#$ -j y
#$ -o hpbandster-silo.$JOB_ID.$TASK_ID.log
#$ -notify
set -euo pipefail
# The network the silos advertise to each other and to clients (127.0.0.1, the silo's default, only works on one
# machine): your nodes' interface, such as ib0 for InfiniBand. Or set "Interface" in appsettings.json and remove this.
export HPBANDSTER_INTERFACE=${HPBANDSTER_INTERFACE:-eth0}
# SGE runs a copy of this script from its spool directory: silo-node.sh is found in the submission directory.
exec "$SGE_O_WORKDIR/silo-node.sh" "$@"
