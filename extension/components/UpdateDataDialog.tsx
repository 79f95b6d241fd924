import type { DataUpdateStatus } from '@shipshape/shared';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Api } from '../lib/api';
import { choiceProblem, createDataUpdateState, describeOutcome, describeSource, progressLines, type SourceChoice } from '../state/dataUpdate';
import { Dialog } from './Dialog';

const lineMarks = { waiting: '○', working: '…', done: '✓', failed: '✗' } as const;

/**
 * "Update data": asks first (OK / Cancel), with the source to use: the default feed, a mirror
 * URL, or a local file or folder. Then shows each source's progress, and at the end what was
 * updated or which source failed, why, and what to do instead.
 */
export function UpdateDataDialog({ api, live, onFinished, onClose }: { api: Api; live?: DataUpdateStatus | null; onFinished(): void; onClose(): void }) {
  const update = useMemo(() => createDataUpdateState(api), [api]);
  const [kind, setKind] = useState<SourceChoice['kind']>('feed');
  const [url, setUrl] = useState('');
  const [path, setPath] = useState('');
  const [touched, setTouched] = useState(false);
  const choice: SourceChoice = kind === 'mirror' ? { kind, url } : kind === 'local' ? { kind, path } : { kind };
  const problem = choiceProblem(choice);
  useEffect(() => update.apply(live ?? null), [live]);
  useEffect(() => () => update.dispose(), [update]);

  const stage = update.stage.value;
  const status = update.status.value;
  const result = update.result.value;
  const outcome = result ? describeOutcome(result, choice) : null;
  const progress = status && stage !== 'choosing' ? progressLines(status, choice) : null;

  return (
    <Dialog title="Update vulnerability data" onClose={onClose}>
      {stage === 'choosing' && (
        <form
          noValidate // the checks below say what is wrong in words
          onSubmit={(e) => {
            e.preventDefault();
            setTouched(true);
            if (!problem) void update.start(choice, onFinished);
          }}
        >
          <p class="muted">The helper fetches the advisories for the ecosystems your images use, then re-checks every scanned image (no new export).</p>
          <fieldset>
            <legend>Source</legend>
            <label class="choice">
              <input type="radio" name="data-source" checked={kind === 'feed'} onChange={() => setKind('feed')} /> Default feed (OSV, osv.dev)
            </label>
            <label class="choice">
              <input type="radio" name="data-source" checked={kind === 'mirror'} onChange={() => setKind('mirror')} /> Mirror URL
            </label>
            {kind === 'mirror' && (
              <input class="wide-input" type="url" aria-label="Mirror URL" placeholder="https://mirror.example/osv" value={url} onInput={(e) => setUrl(e.currentTarget.value)} />
            )}
            <label class="choice">
              <input type="radio" name="data-source" checked={kind === 'local'} onChange={() => setKind('local')} /> Local file or folder
            </label>
            {kind === 'local' && (
              <>
                <input class="wide-input" type="text" aria-label="File or folder on this machine" placeholder="/home/me/osv/all.zip" value={path} onInput={(e) => setPath(e.currentTarget.value)} />
                <p class="muted small">An OSV all.zip, OSV JSON or JSONL, an Alpine secdb file, a Debian DSA/DLA list, or a folder of them, on the helper's machine.</p>
              </>
            )}
          </fieldset>
          {touched && problem && <p role="alert" class="error">{problem}</p>}
          {update.error.value && <p role="alert" class="error">Could not start the update: {update.error.value}</p>}
          <footer>
            <button type="button" onClick={onClose}>Cancel</button>
            <button type="submit" class="primary">OK</button>
          </footer>
        </form>
      )}
      {progress && (
        <section aria-label="Progress" data-testid="data-update-progress">
          <p>{stage === 'running' ? `Updating from ${describeSource(choice)}…` : `Update from ${describeSource(choice)}`}</p>
          <ul class="sources">
            {progress.sources.map((line) => (
              <li key={line.name} class={`source source-${line.state}`} data-source={line.name} data-state={line.state}>
                <span class="step-mark" aria-hidden="true">{lineMarks[line.state]}</span> <strong>{line.name}</strong>: {line.text}
              </li>
            ))}
          </ul>
          {progress.step && <p role="status" class="muted">{progress.step}</p>}
        </section>
      )}
      {outcome && (
        <section class={outcome.ok ? 'outcome ok' : 'outcome error'} role={outcome.ok ? 'status' : 'alert'} data-testid="data-update-outcome">
          <p><strong>{outcome.summary}</strong></p>
          {outcome.failures.length > 0 && (
            <ul>
              {outcome.failures.map((failure) => <li key={failure}>{failure}</li>)}
            </ul>
          )}
          {outcome.advice && <p>{outcome.advice}</p>}
        </section>
      )}
      {stage !== 'choosing' && (
        <footer>
          {stage === 'done' && !outcome?.ok && <button type="button" onClick={() => update.reset()}>Try another source</button>}
          <button type="button" class={stage === 'done' ? 'primary' : ''} onClick={onClose}>{stage === 'running' ? 'Close (the update goes on)' : 'Close'}</button>
        </footer>
      )}
    </Dialog>
  );
}
