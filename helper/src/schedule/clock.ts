/**
 * Time as the scheduler sees it: `now()` and one-shot timers. The helper uses the real clock;
 * tests drive a ManualClock so a schedule fires without waiting for the wall clock.
 */
export interface Clock {
  now(): Date;
  /** Calls `fn` at (or right after) `at`; returns a cancel function. */
  at(at: Date, fn: () => void): () => void;
}

/** Longest single setTimeout (2^31-1 ms); longer waits re-arm. */
const MAX_TIMEOUT = 2_147_483_647;

export const systemClock: Clock = {
  now: () => new Date(),
  at(at, fn) {
    let timer: NodeJS.Timeout;
    const arm = () => {
      const wait = at.getTime() - Date.now();
      timer = setTimeout(wait > MAX_TIMEOUT ? arm : fn, Math.max(0, Math.min(wait, MAX_TIMEOUT)));
      timer.unref();
    };
    arm();
    return () => clearTimeout(timer);
  },
};

export class ManualClock implements Clock {
  private current: number;
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private nextId = 0;

  constructor(start: Date) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  at(at: Date, fn: () => void): () => void {
    const id = this.nextId++;
    this.timers.push({ at: at.getTime(), fn, id });
    return () => {
      this.timers = this.timers.filter((t) => t.id !== id);
    };
  }

  /** Moves time forward, firing due timers in order (each sees `now()` at its own time). */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t.id !== due.id);
      this.current = Math.max(this.current, due.at);
      due.fn();
    }
    this.current = target;
  }

  get pending(): number {
    return this.timers.length;
  }
}
