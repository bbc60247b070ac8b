#!/usr/bin/env python3
"""The recording bench (issue 16): a 60 s meeting at 1080p30 from 9 sources of
640x360 at 30 fps (H.264 + AAC, untagged colours as webcams send them), with
6 layout changes, recorded by `mixlayout record`; and in the same run
ffmpeg's own static composition of the same 9 inputs (`xstack` + `amix`
with normalize=0), with the same encoder settings. Each is run `ROUNDS`
times, alternating; the figures are the medians.

While each runs, the whole process tree is sampled every 100 ms for the CPU
time of each kind of process (video decoders, audio decoders, the
encoder, and mixlayout itself, which composes), which says where the time
goes (a process's last 100 ms may be missed). One more run of each samples
the peak of the sum of the tree's proportional set sizes (PSS, shared pages
counted once), and each kind's share of it.

    python3 benches/record.py [ROUNDS]      # needs ffmpeg; builds the CLI
"""
import json, os, statistics, subprocess, sys, tempfile, threading, time

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 2
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENCODE = ["-c:v", "libx264", "-preset", "veryfast", "-b:v", "4620k", "-maxrate", "4620k",
          "-bufsize", "9240k", "-g", "60", "-pix_fmt", "yuv420p",
          "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart"]
TICK = os.sysconf("SC_CLK_TCK")


def sources(d):
    for i in range(1, 10):
        path = os.path.join(d, f"u{i}.mp4")
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                        f"testsrc2=s=640x360:r=30:d=60", "-f", "lavfi", "-i",
                        f"sine=f={200 + 50 * i}:d=60", "-c:v", "libx264", "-preset", "fast",
                        "-b:v", "800k", "-g", "60", "-pix_fmt", "yuv420p", "-c:a", "aac",
                        "-shortest", path], check=True)
    json.dump({"room_id": "bench", "encode_template": "1920x1080_30_4620",
               "layout_template": "nine_grids_view"}, open(os.path.join(d, "job.json"), "w"))
    events = [{"type": "join", "user_id": f"u{i}", "at": 0} for i in range(1, 10)]
    events += [{"type": "video_off", "user_id": "u9", "at": 10000},
               {"type": "video_on", "user_id": "u9", "at": 20000},
               {"type": "leave", "user_id": "u8", "at": 30000},
               {"type": "join", "user_id": "u8", "at": 40000},
               {"type": "video_off", "user_id": "u1", "at": 45000},
               {"type": "video_on", "user_id": "u1", "at": 50000}]
    json.dump(events, open(os.path.join(d, "events.json"), "w"))
    json.dump({"sources": [{"user_id": f"u{i}", "file": f"u{i}.mp4", "start": 0}
                           for i in range(1, 10)]}, open(os.path.join(d, "media.json"), "w"))


def tree(root):
    """The pids of root and its descendants."""
    children = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            stat = open(f"/proc/{pid}/stat").read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(pid))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out


def kind(pid, root):
    if pid == root:
        return "mixlayout" if "mixlayout" in open(f"/proc/{pid}/cmdline").read() else "ffmpeg"
    cmd = open(f"/proc/{pid}/cmdline").read()
    if "libx264" in cmd:
        return "encoder"
    if "0:v:0" in cmd:
        return "video decoders"
    if "0:a:0" in cmd:
        return "audio decoders"
    return "other"


def measure(command, cwd, memory):
    """Runs command: wall time, peak PSS of its tree (MiB, when `memory`), CPU
    s by kind. Reading a process's PSS walks its page tables and holds up
    the process, so the timed runs read only the cheap CPU counters."""
    start = time.monotonic()
    proc = subprocess.Popen(command, cwd=cwd, stderr=subprocess.DEVNULL)
    peak, peak_by_kind, cpu, done = 0, {}, {}, threading.Event()
    # A process's kind, from its latest command line: a process seen
    # between fork and exec still shows its parent's, and an exiting
    # process shows none (then it keeps the kind it had).
    kinds = {}

    def sample():
        nonlocal peak, peak_by_kind
        while not done.is_set():
            total, by_kind = 0, {}
            for pid in tree(proc.pid):
                try:
                    if open(f"/proc/{pid}/cmdline").read():
                        kinds[pid] = kind(pid, proc.pid)
                    k = kinds.setdefault(pid, "other")
                    for line in open(f"/proc/{pid}/smaps_rollup") if memory else []:
                        if line.startswith("Pss:"):
                            pss = int(line.split()[1])
                            total += pss
                            by_kind[k] = by_kind.get(k, 0) + pss
                    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
                    cpu[pid] = (k, int(fields[11]) + int(fields[12]))
                except (OSError, ValueError):
                    pass
            if total > peak:
                peak, peak_by_kind = total, by_kind
            time.sleep(0.1)

    sampler = threading.Thread(target=sample)
    sampler.start()
    code = proc.wait()
    wall = time.monotonic() - start
    done.set()
    sampler.join()
    if code != 0:
        sys.exit(f"{command[0]} failed ({code})")
    by_kind = {}
    for k, ticks in cpu.values():
        by_kind[k] = by_kind.get(k, 0) + ticks / TICK
    memory = ", ".join(f"{k} {v / 1024:.0f}" for k, v in sorted(peak_by_kind.items()))
    return wall, peak / 1024, by_kind, memory


def main():
    subprocess.run(["cargo", "build", "-q", "--release", "--example", "mixlayout"], cwd=ROOT, check=True)
    cli = os.path.join(ROOT, "target", "release", "examples", "mixlayout")
    with tempfile.TemporaryDirectory() as d:
        sources(d)
        ours = [cli, "record", "--job", "job.json", "--events", "events.json",
                "--media", "media.json", "--quiet", "-o", "ours.mp4"]
        inputs = sum((["-i", f"u{i}.mp4"] for i in range(1, 10)), [])
        grid = "|".join(f"{x}_{y}" for y in ("0", "h0", "h0+h3") for x in ("0", "w0", "w0+w1"))
        graph = ("".join(f"[{i}:v]" for i in range(9)) + f"xstack=inputs=9:layout={grid}[v];"
                 + "".join(f"[{i}:a]" for i in range(9)) + "amix=inputs=9:normalize=0[a]")
        theirs = (["ffmpeg", "-v", "error", "-y", "-nostdin"] + inputs
                  + ["-filter_complex", graph, "-map", "[v]", "-map", "[a]"] + ENCODE + ["theirs.mp4"])
        commands = {"mixlayout record": ours, "ffmpeg xstack": theirs}
        runs = {name: [] for name in commands}
        for _ in range(ROUNDS):
            for name, command in commands.items():
                runs[name].append(measure(command, d, False))
        peaks = {name: measure(command, d, True) for name, command in commands.items()}
        print(f"60 s at 1080p30, 9 sources of 640x360, {ROUNDS} timed rounds (medians), "
              "then one run for memory:")
        for name, results in runs.items():
            wall = statistics.median(r[0] for r in results)
            peak, memory = peaks[name][1], peaks[name][3]
            kinds = {}
            for r in results:
                for k, s in r[2].items():
                    kinds.setdefault(k, []).append(s)
            split = ", ".join(f"{k} {statistics.median(v):.1f}" for k, v in sorted(kinds.items()))
            print(f"  {name:17} {wall:6.2f} s wall ({60 / wall:4.2f}x real time), "
                  f"peak PSS {peak:6.1f} MiB ({memory}); CPU s: {split}")
        ratio = statistics.median(r[0] for r in runs["mixlayout record"]) / statistics.median(
            r[0] for r in runs["ffmpeg xstack"])
        print(f"  ratio mixlayout / ffmpeg: {ratio:.2f} (target at most 1.25)")


main()
