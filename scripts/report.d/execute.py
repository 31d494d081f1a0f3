"""Running the matrix here (parallel hvsim processes), or writing it as jobs
for GNU parallel and Slurm. Either way each run leaves in the results
directory ID.json (its statistics), ID.log (hvsim's output) and ID.status
(its exit status, or 'timeout')."""
import concurrent.futures
import os
import shlex
import subprocess
import sys
import time

from matrix import command


class Progress:
    """A progress bar on stderr: redrawn in place on a terminal, one line
    per finished run otherwise (logs, CTest)."""

    def __init__(self, total, stream=sys.stderr):
        self.total, self.done, self.bad, self.stream = total, 0, 0, stream
        self.tty = stream.isatty()
        self.start = time.monotonic()

    def _line(self):
        width = 30
        filled = width * self.done // max(self.total, 1)
        bar = "#" * filled + "-" * (width - filled)
        elapsed = time.monotonic() - self.start
        return f"report: [{bar}] {self.done}/{self.total} runs, {self.bad} not as expected, {elapsed:.0f} s"

    def begin(self, jobs):
        if self.tty:
            self.stream.write(f"\r\033[K{self._line()}")
        else:
            self.stream.write(f"report: {self.total} runs, {jobs} at a time\n")
        self.stream.flush()

    def step(self, run_id, status, ok):
        self.done += 1
        self.bad += 0 if ok else 1
        line = self._line()
        if self.tty:
            self.stream.write(f"\r\033[K{line}  {run_id}")
            if self.done == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(f"{line}: {run_id} {status}\n")
        self.stream.flush()


def _run_one(hvsim, run, results, timeout):
    stats = os.path.join(results, run["id"] + ".json")
    if os.path.exists(stats):
        os.remove(stats)
    with open(os.path.join(results, run["id"] + ".log"), "w", encoding="utf-8") as log:
        try:
            p = subprocess.run(command(hvsim, run, stats), stdout=log, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, timeout=timeout, check=False)
            status = str(p.returncode)
        except subprocess.TimeoutExpired:
            status = "timeout"
    with open(os.path.join(results, run["id"] + ".status"), "w", encoding="utf-8") as f:
        f.write(status + "\n")
    return status


def run_all(hvsim, runs, results, jobs, timeout):
    os.makedirs(results, exist_ok=True)
    progress = Progress(len(runs))
    progress.begin(jobs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(_run_one, hvsim, r, results, timeout): r for r in runs}
        for fut in concurrent.futures.as_completed(futures):
            status = fut.result()
            progress.step(futures[fut]["id"], "exit " + status if status != "timeout" else "timed out",
                          status == "0")


def job_line(hvsim, run, results, timeout):
    """One self-contained shell command: the run, its log and its status."""
    q = shlex.quote
    rid = run["id"]
    argv = " ".join(q(a) for a in command(hvsim, run, rid + ".json"))
    return (f"cd {q(results)} && rm -f {q(rid + '.json')} && "
            f"{{ timeout -k 10 {timeout} {argv} </dev/null >{q(rid + '.log')} 2>&1; echo $? >{q(rid + '.status')}; }}")


README = """# hvsim report jobs

Written by `scripts/report --emit-jobs {dir}` ({count} runs). Each line of
`commands.txt` is one hvsim run; it writes into `{results}`
`ID.json` (statistics), `ID.log` (hvsim's output) and `ID.status` (exit
status; 124 is the {timeout} s time limit of `timeout` or hvsim's own
instruction limit). The lines use absolute paths: every host must see hvsim
at `{hvsim}` and this directory at `{dir}` (a shared file system, or the
same tree copied to each host and the results copied back).

GNU parallel on several machines (one `[ncpus/]host` per line in FILE,
`:` for this machine):

    parallel --sshloginfile FILE --jobs 100% -a {dir}/commands.txt

Slurm (a job array, one task per line of commands.txt):

    sbatch {dir}/slurm.sbatch

By hand, one after another:

    bash {dir}/commands.txt

Then build the report from the results:

    scripts/report --merge {dir} [--out DIR]
"""

SLURM = """#!/bin/bash
#SBATCH --job-name=hvsim-report
#SBATCH --array=1-{count}
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=1
#SBATCH --time={minutes}
#SBATCH --output={dir}/slurm/%A_%a.out
# One hvsim run per array task: line $SLURM_ARRAY_TASK_ID of commands.txt.
set -euo pipefail
line="$(sed -n "${{SLURM_ARRAY_TASK_ID}}p" {commands})"
[ -n "$line" ] || {{ echo "no line $SLURM_ARRAY_TASK_ID in {commands}" >&2; exit 2; }}
exec bash -c "$line"
"""


def emit_jobs(hvsim, runs, out_dir, timeout):
    out_dir = os.path.abspath(out_dir)
    results = os.path.join(out_dir, "results")
    os.makedirs(results, exist_ok=True)
    os.makedirs(os.path.join(out_dir, "slurm"), exist_ok=True)
    commands = os.path.join(out_dir, "commands.txt")
    with open(commands, "w", encoding="utf-8") as f:
        for r in runs:
            f.write(job_line(hvsim, r, results, timeout) + "\n")
    with open(os.path.join(out_dir, "slurm.sbatch"), "w", encoding="utf-8") as f:
        f.write(SLURM.format(count=len(runs), minutes=timeout // 60 + 2, dir=shlex.quote(out_dir),
                             commands=shlex.quote(commands)))
    with open(os.path.join(out_dir, "README.md"), "w", encoding="utf-8") as f:
        f.write(README.format(dir=out_dir, count=len(runs), results=results + "/", timeout=timeout, hvsim=hvsim))
    return commands
