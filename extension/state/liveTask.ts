import { signal } from '@preact/signals';
import type { ScanTask, ServerEvent, DataUpdateStatus } from '@shipshape/shared';

export type TaskProgress = { taskId: string; percent: number; current: string | null; done: boolean; summary: string | null };

/** The running scan task and data update, as the event stream reports them. */
export function createLiveState() {
  const task = signal<TaskProgress | null>(null);
  const dataUpdate = signal<DataUpdateStatus | null>(null);

  function started(created: ScanTask): void {
    task.value = { taskId: created.id, percent: created.percent, current: null, done: created.state === 'finished', summary: null };
  }

  function apply(event: ServerEvent): void {
    if (event.type === 'scan.progress') {
      task.value = { taskId: event.taskId, percent: event.percent, current: event.image.status === 'scanning' ? event.image.name : null, done: false, summary: null };
    } else if (event.type === 'scan.finished') {
      const t = event.task;
      task.value = {
        taskId: t.id,
        percent: 100,
        current: null,
        done: true,
        summary: `${t.succeeded} scanned, ${t.atRisk} at risk${t.failed ? `, ${t.failed} failed` : ''}${t.cancelled ? `, ${t.cancelled} cancelled` : ''}`,
      };
    } else if (event.type === 'data_update.progress') {
      dataUpdate.value = event.status;
    }
  }

  return { task, dataUpdate, started, apply };
}
export type LiveState = ReturnType<typeof createLiveState>;
