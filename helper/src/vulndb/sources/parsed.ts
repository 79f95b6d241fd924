import type { OsvRecord } from '@shipshape/analyzers/match/index.ts';
import { asOsvRecord } from '../validate.ts';
import { failureMessage } from '@shipshape/analyzers/walker/failures.ts';

/** One item read from a source: a usable record (with the JSON text to store) or why not. */
export type SourceItem = { record: OsvRecord; json: string } | { problem: string; where: string };

/** Parse and check one JSON text. The text itself is stored, so nothing is re-serialised. */
export function parseOsvText(json: string, where: string): SourceItem {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    return { problem: `invalid JSON: ${failureMessage(error)}`, where };
  }
  const checked = asOsvRecord(value);
  return 'record' in checked ? { record: checked.record, json } : { problem: checked.problem, where };
}

/** A converted record (native distro formats): already valid by construction, checked anyway. */
export function fromRecord(record: OsvRecord, where: string): SourceItem {
  const checked = asOsvRecord(record);
  return 'record' in checked ? { record: checked.record, json: JSON.stringify(record) } : { problem: checked.problem, where };
}
