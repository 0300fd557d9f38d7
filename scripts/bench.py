#!/usr/bin/env python3
"""Benchmarks of the checker, each beside plain cargo as the baseline, in the same run.

Run it as `scripts/bench.sh` (it takes a few minutes, more with --cold). It works on a copy of the
course with every solution laid over its exercise, so that all tests pass and no time limit is
involved, and prints medians of several runs and the ratios the README quotes.

The baseline for "check everything" is `cargo test --workspace --exclude checker --no-fail-fast`:
what a learner would type to run every exercise's tests without the checker.
"""

import argparse
import os
import pty
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ENV = dict(os.environ, RUST_BACKTRACE="0", NO_COLOR="1", CARGO_TERM_COLOR="never")
ENV.pop("CARGO_TARGET_DIR", None)


def run(cmd, cwd, check=True):
    started = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    if check and result.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed with {result.returncode} in {cwd}")
    return elapsed


def size_mb(folder: Path) -> float:
    """What a folder holds on disk, in MB (as `du -s` counts it)."""
    total = 0
    for path in folder.rglob("*"):
        try:
            if path.is_file() and not path.is_symlink():
                total += path.stat().st_blocks * 512
        except OSError:
            pass
    return total / 1e6


def median(samples):
    return statistics.median(samples)


def solved_copy(parent: Path) -> Path:
    course = parent / "course"
    files = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    for name in files.decode().split("\0"):
        if not name:
            continue
        target = course / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target)
    for solution in (course / "solutions").iterdir():
        shutil.copytree(solution, course / "exercises" / solution.name, dirs_exist_ok=True)
    return course


CHECKER = ["cargo", "run", "-q", "-p", "checker", "--"]
BASELINE_ALL = ["cargo", "test", "-q", "--workspace", "--exclude", "checker", "--no-fail-fast"]


def edit(course: Path, exercise: str, counter: int):
    lib = course / "exercises" / exercise / "src" / "lib.rs"
    text = lib.read_text()
    lib.write_text(text.rstrip("\n").split("\n// bench edit")[0] + f"\n// bench edit {counter}\n")


def watch_latency(course: Path, exercise_folder: str, runs: int):
    """Seconds from a save to the verdict on screen in watch mode, for `runs` saves."""
    checker = course / "target" / "debug" / "checker"
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(course)
        os.execve(str(checker), [str(checker), "watch"], dict(ENV, TERM="xterm"))
    screen = b""

    def wait_for(text: bytes, deadline: float):
        nonlocal screen
        while text not in screen:
            if time.perf_counter() > deadline:
                raise SystemExit(f"watch mode never showed {text!r}")
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    screen += os.read(fd, 65536)
                except OSError:
                    break

    samples = []
    try:
        wait_for(b"[q] quit", time.perf_counter() + 600)
        for i in range(runs):
            # Read whatever is still on its way, so that only the new screen counts.
            while select.select([fd], [], [], 0.3)[0]:
                os.read(fd, 65536)
            screen = b""
            started = time.perf_counter()
            edit(course, exercise_folder, 1000 + i)
            wait_for(b"checking", started + 60)
            wait_for(b"[q] quit", started + 300)
            samples.append(time.perf_counter() - started)
    finally:
        os.write(fd, b"q")
        os.waitpid(pid, 0)
    return samples


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="samples per measurement (median is reported)")
    parser.add_argument("--cold", action="store_true", help="also measure cold builds (slow: a full build per sample)")
    parser.add_argument("--cold-runs", type=int, default=3, help="samples per cold measurement")
    parser.add_argument("--grade", type=int, default=0, metavar="N", help="also grade N copies of the course")
    parser.add_argument("--exercise", default="19_worker_pool", help="the exercise edited for the re-check")
    parser.add_argument("--skip-checks", action="store_true", help="only the watch and grading measurements")
    parser.add_argument("--only-cold", action="store_true", help="measure the cold builds and nothing else")
    parser.add_argument("--leave-out", action="append", default=[], metavar="FOLDER",
                        help="measure the course without this exercise (e.g. 24_futures_basics); repeatable")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="checker-bench-"))
    course = solved_copy(work)
    for folder in args.leave_out:
        # What an exercise adds to the course's build is measured by leaving it out.
        shutil.rmtree(course / "exercises" / folder)
        shutil.rmtree(course / "solutions" / folder)
    package = args.exercise.split("_", 1)[1]

    def report(name, ours, base, ratio_note=""):
        ours_m, base_m = median(ours), median(base)
        print(f"{name:<44} checker {ours_m:8.2f}s   cargo {base_m:8.2f}s   ratio {ours_m / base_m:5.2f} {ratio_note}", flush=True)

    if args.cold:
        ours, base, ours_size, base_size = [], [], [], []
        for _ in range(args.cold_runs):
            shutil.rmtree(course / "target", ignore_errors=True)
            ours.append(run(CHECKER + ["--no-cache"], course))
            ours_size.append(size_mb(course / "target"))
            shutil.rmtree(course / "target", ignore_errors=True)
            base.append(run(BASELINE_ALL, course))
            base_size.append(size_mb(course / "target"))
        report("(a) cold: first full check", ours, base)
        print(f"{'(a) target/ after it':<44} checker {median(ours_size):7.0f}MB   cargo {median(base_size):7.0f}MB", flush=True)
        print(f"    samples: checker {[round(x, 1) for x in ours]}  cargo {[round(x, 1) for x in base]}", flush=True)
    if args.only_cold:
        shutil.rmtree(work, ignore_errors=True)
        return

    # Warm both (and build the checker) before measuring warm runs.
    run(BASELINE_ALL, course)
    run(CHECKER + ["--no-cache"], course)
    if not args.skip_checks:
        checks(args, course, package, report)
    watch(args, course, package)
    if args.grade:
        grade(args, work, course)
    shutil.rmtree(work, ignore_errors=True)


def checks(args, course, package, report):
    ours = [run(CHECKER + ["--no-cache"], course) for _ in range(args.runs)]
    base = [run(BASELINE_ALL, course) for _ in range(args.runs)]
    report("(b) warm: full check, nothing cached", ours, base)

    run(CHECKER, course)
    ours = [run(CHECKER, course) for _ in range(args.runs)]
    binary = [run([str(course / "target/debug/checker")], course) for _ in range(args.runs)]
    report("(b') warm: full check, nothing changed", ours, base, "(cargo run)")
    report("(b'') the same, the checker binary directly", binary, base)

    ours, base_one = [], []
    for i in range(args.runs):
        edit(course, args.exercise, i)
        ours.append(run(CHECKER + ["check", package], course))
        edit(course, args.exercise, 100 + i)
        base_one.append(run(["cargo", "test", "-q", "-p", package], course))
    report(f"(c) re-check of {package} after an edit", ours, base_one)



def watch(args, course, package):
    """Watch mode needs an exercise that does not pass yet: the shipped one is put back for it."""
    lib = course / "exercises" / args.exercise / "src" / "lib.rs"
    solved = lib.read_text()
    # A plain copy: copy2 would keep the old mtime, and cargo would take the solved build as fresh.
    lib.write_text((REPO / "exercises" / args.exercise / "src" / "lib.rs").read_text())
    checker = str(course / "target/debug/checker")
    run([checker, "check", package], course, check=False)
    latency = watch_latency(course, args.exercise, args.runs)
    direct = []
    for i in range(args.runs):
        edit(course, args.exercise, 200 + i)
        direct.append(run([checker, "check", package], course, check=False))
    lib.write_text(solved)
    print(f"{'(d) watch: save -> verdict on screen':<44} watch   {median(latency):8.2f}s   check {median(direct):8.2f}s   "
          f"extra {median(latency) - median(direct):+5.2f}s", flush=True)


def grade(args, work, course):
    submissions = work / "class"
    submissions.mkdir()
    for i in range(args.grade):
        shutil.copytree(course, submissions / f"student{i:02}", ignore=shutil.ignore_patterns("target", ".checker"))
    names = [str(p) for p in sorted(submissions.iterdir())]
    elapsed = run(CHECKER + ["grade", "--format", "csv", "--output", str(work / "grades.csv")] + names, course)
    print(f"{'(e) grade ' + str(args.grade) + ' submissions':<44} total {elapsed:8.2f}s   per submission {elapsed / args.grade:6.2f}s", flush=True)
    # The first submission builds everything; the others rebuild only what differs.
    again = run(CHECKER + ["grade", "--format", "csv", "--output", str(work / "grades.csv")] + names, course)
    print(f"{'(e) the same again, dependencies built':<44} total {again:8.2f}s   per submission {again / args.grade:6.2f}s", flush=True)


if __name__ == "__main__":
    main()
