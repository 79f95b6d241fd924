import { ignoreReasons, vexJustifications, type IgnoreReason, type VexJustification } from '@shipshape/shared';
import { useState } from 'preact/hooks';
import type { Api } from '../../lib/api';
import { justificationLabels, reasonLabels, targetOf, type Finding } from '../../lib/ignores';
import { ActionDialog } from '../ActionDialog';

/**
 * Ignore one finding: for this image or all images, why (a VEX justification when "not
 * affected"), a note, and an optional date from which it counts again.
 */
export function IgnoreDialog({ api, imageId, finding, title, onDone, onClose }: { api: Api; imageId: string; finding: Finding; title: string; onDone(): void; onClose(): void }) {
  const [allImages, setAllImages] = useState(false);
  const [onlyPackage, setOnlyPackage] = useState(true);
  const [reason, setReason] = useState<IgnoreReason>('not_affected');
  const [justification, setJustification] = useState<VexJustification>('vulnerable_code_not_in_execute_path');
  const [note, setNote] = useState('');
  const [expiresAt, setExpiresAt] = useState('');
  const save = async () => {
    await api.createIgnore({
      target: targetOf(finding, onlyPackage),
      image: allImages ? null : imageId,
      reason,
      justification: reason === 'not_affected' ? justification : null,
      note: note.trim(),
      expiresAt: expiresAt || null,
    });
    onDone();
  };
  return (
    <ActionDialog title={`Ignore ${title}`} actionLabel="Ignore" onAction={save} onClose={onClose}>
      <div class="ignore-form">
      <fieldset>
        <legend>Applies to</legend>
        <label class="check"><input type="radio" name="ignore-scope" checked={!allImages} onChange={() => setAllImages(false)} /> This image</label>
        <label class="check"><input type="radio" name="ignore-scope" checked={allImages} onChange={() => setAllImages(true)} /> All images</label>
        {finding.kind === 'vulnerability' && (
          <label class="check">
            <input type="checkbox" checked={onlyPackage} onChange={(e) => setOnlyPackage(e.currentTarget.checked)} /> Only in {finding.item.package.name} {finding.item.package.version}
          </label>
        )}
      </fieldset>
      <label>
        Reason{' '}
        <select value={reason} onChange={(e) => setReason(e.currentTarget.value as IgnoreReason)}>
          {ignoreReasons.map((r) => <option key={r} value={r}>{reasonLabels[r]}</option>)}
        </select>
      </label>
      {reason === 'not_affected' && (
        <label>
          Justification{' '}
          <select value={justification} onChange={(e) => setJustification(e.currentTarget.value as VexJustification)}>
            {vexJustifications.map((j) => <option key={j} value={j}>{justificationLabels[j]}</option>)}
          </select>
        </label>
      )}
      <label>
        Note <textarea rows={2} maxLength={2000} value={note} placeholder="Ticket, argument, who decided" onInput={(e) => setNote(e.currentTarget.value)} />
      </label>
      <label>
        Counts again on <input type="date" value={expiresAt} onInput={(e) => setExpiresAt(e.currentTarget.value)} />
      </label>
      <p class="muted small">Ignored findings leave the counts, the status and the notifications but stay listed under "Ignored".</p>
      </div>
    </ActionDialog>
  );
}
