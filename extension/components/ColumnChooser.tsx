import { imageColumns, type ImageColumn } from '@shipshape/shared';
import { useState } from 'preact/hooks';
import { describeError } from '../lib/failure';
import { columnDefs } from './columns';
import { Dialog } from './Dialog';

/** "Custom List Management": which columns the list shows, in order; saved in the helper. */
export function ColumnChooser({ columns, onSave, onClose }: { columns: ImageColumn[]; onSave(columns: ImageColumn[]): Promise<void>; onClose(): void }) {
  const [chosen, setChosen] = useState<ImageColumn[]>(columns);
  const [error, setError] = useState<string | null>(null);
  const toggle = (column: ImageColumn) =>
    setChosen((now) => (now.includes(column) ? now.filter((c) => c !== column) : imageColumns.filter((c) => now.includes(c) || c === column)));
  const save = async () => {
    try {
      await onSave(chosen);
      onClose();
    } catch (e) {
      setError(describeError(e));
    }
  };
  return (
    <Dialog title="Custom list columns" onClose={onClose}>
      <fieldset class="columns-grid">
        <legend>Columns shown in the list</legend>
        {imageColumns.map((column) => (
          <label key={column} class="check">
            <input type="checkbox" checked={chosen.includes(column)} onChange={() => toggle(column)} /> {columnDefs[column].label}
          </label>
        ))}
      </fieldset>
      {error && <p role="alert" class="error">{error}</p>}
      <footer>
        <button type="button" onClick={onClose}>Cancel</button>
        <button type="button" class="primary" disabled={chosen.length === 0} onClick={() => void save()}>Save</button>
      </footer>
    </Dialog>
  );
}
