import type { SetupStep, StepAction } from '../state/setup';

const marks: Record<SetupStep['state'], string> = { done: '✓', todo: '✗', waiting: '○', checking: '…' };
const stateLabels: Record<SetupStep['state'], string> = { done: 'done', todo: 'to do', waiting: 'waiting', checking: 'checking' };

/**
 * The first-run checklist (popup and side panel): one line per step, what to do when it is not
 * in place, and the button that does it. The steps come from state/setup.ts.
 */
export function SetupChecklist({ steps, onAction, title = 'Getting started' }: { steps: SetupStep[]; onAction(action: StepAction): void; title?: string }) {
  const done = steps.filter((step) => step.state === 'done').length;
  return (
    <section class="checklist" aria-labelledby="checklist-title" data-testid="setup-checklist">
      <h2 id="checklist-title">
        {title} <span class="muted small">{done} of {steps.length} done</span>
      </h2>
      <ol>
        {steps.map((step) => (
          <li key={step.id} class={`step step-${step.state}`} data-step={step.id} data-state={step.state}>
            <span class="step-mark" aria-label={stateLabels[step.state]}>{marks[step.state]}</span>
            <span class="step-text">
              {step.text}
              {step.command && (
                <>
                  {' '}<code class="command">{step.command}</code>
                </>
              )}
              {step.hint && <span class="step-hint muted small">{step.hint}</span>}
            </span>
            {step.action && (
              <button type="button" class={step.action.kind === 'retry' || step.action.kind === 'cancel-pairing' ? '' : 'primary'} onClick={() => onAction(step.action!.kind)}>
                {step.action.label}
              </button>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
