/**
 * Notes for the user, capped per layer so a layer of a million oversized files stays readable.
 * The notes kept are the first `limit` in sorted order, not in arrival order: a layer's notes
 * are then the same whichever order its files were met in (a tar stream, a folder read in
 * place, or several workers each reading part of it), so its result can be cached and merged.
 */
export class NoteCollector {
  private readonly notes: string[] = [];
  private dropped = 0;
  constructor(private readonly limit = 50) {}

  add(message: string): void {
    // Binary insertion into the sorted list; past the limit the largest falls out.
    let lo = 0;
    let hi = this.notes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.notes[mid]! <= message) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= this.limit) {
      this.dropped++;
      return;
    }
    this.notes.splice(lo, 0, message);
    if (this.notes.length > this.limit) {
      this.notes.pop();
      this.dropped++;
    }
  }

  /** Adds notes another collector kept, and the count it dropped. */
  absorb(notes: readonly string[], dropped: number): void {
    for (const note of notes) this.add(note);
    this.dropped += dropped;
  }

  list(): string[] {
    return [...this.notes];
  }

  get droppedCount(): number {
    return this.dropped;
  }
}
