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
        >
          <span class="chip-value">{shown(chip.value, chip.state)}</span>
          <span class="chip-short" aria-hidden="true">{chip.short}</span>
          <span class="chip-long" aria-hidden="true">{chip.long}</span>
        </span>
      ))}
    </span>
  );
}
