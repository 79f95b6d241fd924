import { severities, type Severity } from '@shipshape/shared';

/** Severity check boxes shared by the finding tabs; empty means all. */
export function SeverityFilter({ value, onChange }: { value: Severity[]; onChange(value: Severity[]): void }) {
  return (
    <fieldset class="inline">
      <legend>Severity</legend>
      {severities.map((s) => (
        <label key={s} class="check">
          <input type="checkbox" checked={value.includes(s)} onChange={() => onChange(value.includes(s) ? value.filter((x) => x !== s) : [...value, s])} /> {s}
        </label>
      ))}
    </fieldset>
  );
}
