#!/usr/bin/python3
"""Runs a command and reports its wall time and peak memory as JSON:

    measure.py OUT.json -- COMMAND [ARGS...]

wall_seconds: from start to exit. peak_rss_mb: the largest sum of the
resident set sizes of the command and all its descendants (DataLoader worker
processes included), sampled every 50 ms from /proc. max_rss_mb: the kernel's
own peak (getrusage RUSAGE_CHILDREN ru_maxrss), the largest single process.
The command's output passes through; its exit status is this script's.
"""
import json
import os
import resource
import subprocess
import sys
import threading
import time


def children_of():
    """Maps each pid to its child pids, from /proc/*/stat."""
    tree = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rfind(")") + 2:].split()[1])
        tree.setdefault(ppid, []).append(int(name))
    return tree


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kb(root):
    tree = children_of()
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss_kb(pid)
        stack.extend(tree.get(pid, []))
    return total


def main():
    out, sep, command = sys.argv[1], sys.argv[2], sys.argv[3:]
    assert sep == "--" and command, __doc__
    start = time.monotonic()
    proc = subprocess.Popen(command)
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss_kb(proc.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    status = proc.wait()
    wall = time.monotonic() - start
    done.set()
    sampler.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(out, "w") as f:
        json.dump({"wall_seconds": wall, "peak_rss_mb": peak[0] / 1024,
                   "max_rss_mb": usage.ru_maxrss / 1024, "cpu_seconds": usage.ru_utime + usage.ru_stime,
                   "exit_status": status}, f)
    sys.exit(status)


if __name__ == "__main__":
    main()
