/**
 * Which threads of a process did a piece of work: user CPU time per thread, read from Linux's
 * /proc/<pid>/task/<tid>/stat while the work runs. A worker thread that has already ended is
 * counted up to its last sample, so sample often. The main thread is the one whose tid is the pid:
 * a scan that runs on the event loop shows up there, one in worker threads elsewhere.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** utime, in clock ticks (1/100 s on Linux), of every live thread of `pid`. */
function userTicks(pid: number): Map<number, number> {
  const ticks = new Map<number, number>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return ticks; // the process has ended
  }
  for (const tid of tids) {
    try {
      // Fields after "(comm) ": state ppid … utime is the 12th (field 14 of proc(5)).
      const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ').pop()!.split(' ');
      ticks.set(Number(tid), Number(fields[11]));
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return ticks;
}

export interface ThreadWork {
  /** Seconds of user CPU on the main thread (the event loop). */
  main: number;
  /** Seconds of user CPU on every other thread (workers, libuv's pool, V8's helpers). */
  others: number;
  /** Threads that used CPU, main included. */
  busyThreads: number;
}

/** Samples `pid`'s threads every `intervalMs` until `stop()`, which returns the CPU used since the start. */
export function watchThreads(pid: number, intervalMs = 25): { stop(): ThreadWork } {
  const baseline = userTicks(pid);
  const last = new Map(baseline);
  const sample = () => {
    for (const [tid, t] of userTicks(pid)) last.set(tid, Math.max(t, last.get(tid) ?? 0));
  };
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      let main = 0;
      let others = 0;
      let busyThreads = 0;
      for (const [tid, t] of last) {
        const used = (t - (baseline.get(tid) ?? 0)) / 100;
        if (used > 0) busyThreads++;
        if (tid === pid) main += used;
        else others += used;
      }
      return { main, others, busyThreads };
    },
  };
}
