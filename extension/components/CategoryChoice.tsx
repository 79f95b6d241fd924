import { riskCategories, type RiskCategory } from '@shipshape/shared';

export const categoryLabels: Record<RiskCategory, string> = { vulnerabilities: 'Vulnerabilities', sensitive: 'Sensitive data', malware: 'Viruses and trojans' };

/** Check boxes for the risk categories of a scan. */
export function CategoryChoice({ value, onChange }: { value: RiskCategory[]; onChange(value: RiskCategory[]): void }) {
  return (
    <fieldset>
      <legend>Risk categories</legend>
      {riskCategories.map((category) => (
        <label key={category} class="check">
          <input
            type="checkbox"
            checked={value.includes(category)}
            onChange={() => onChange(value.includes(category) ? value.filter((c) => c !== category) : riskCategories.filter((c) => value.includes(c) || c === category))}
          />{' '}
          {categoryLabels[category]}
        </label>
      ))}
    </fieldset>
  );
}

/** "All images" or "Specified images" radio pair. */
export function ScopeChoice({ all, onChange, name }: { all: boolean; onChange(all: boolean): void; name: string }) {
  return (
    <fieldset>
      <legend>Images</legend>
      <label class="check"><input type="radio" name={name} checked={all} onChange={() => onChange(true)} /> All images</label>
      <label class="check"><input type="radio" name={name} checked={!all} onChange={() => onChange(false)} /> Specified images</label>
    </fieldset>
  );
}
