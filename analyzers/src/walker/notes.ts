/** Notes for the user, capped per layer so a layer of a million oversized files stays readable. */
export class NoteCollector {
  private readonly notes: string[] = [];
  private dropped = 0;
  constructor(
    private readonly label: string,
    private readonly limit = 50,
  ) {}

  add(message: string): void {
    if (this.notes.length < this.limit) this.notes.push(message);
    else this.dropped++;
  }

  list(): string[] {
    return this.dropped > 0 ? [...this.notes, `layer ${this.label}: ${this.dropped} more notes not shown`] : [...this.notes];
  }
}
