import type { ImageSummary } from '@shipshape/shared';
import { riskChips } from '../lib/riskChips';

const shown = (value: number | null, state: string) => (state === 'count' ? String(value) : state === 'not_checked' ? '?' : '–');

/** Critical, high, viruses, trojans, sensitive: one letter on narrow rows, a word where there is room. */
export function RiskChips({ image }: { image: ImageSummary }) {
  return (
    <span class="chips" data-testid="risk-chips">
      {riskChips(image).map((chip) => (
        <span
          key={chip.key}
          class={`chip chip-${chip.key} chip-${chip.state}${chip.value ? ' hot' : ''}`}
          data-chip={chip.key}
          title={chip.title}
          aria-label={chip.title}
          role="img"
          // The letter or the word beside the count is drawn by the stylesheet from these (which
          // one depends on the room): one element per chip less to build and lay out, per row.
          data-short={chip.short}
          data-long={chip.long}
        >
          <span class="chip-value">{shown(chip.value, chip.state)}</span>
        </span>
      ))}
    </span>
  );
}
