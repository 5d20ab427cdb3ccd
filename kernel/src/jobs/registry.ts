import { PluginError, type JobDeclaration, type TaskDeclaration } from '@markettina/sdk';
import type { Registration } from '../plugins/registration.js';
import { KERNEL_OWNER } from '../http/kernel-permissions.js';
import { parseSchedule, type ScheduleSpec } from './schedule.js';

export { KERNEL_OWNER };

export interface ScheduledEntry {
  /** `<pluginId>/<jobId>`: bree's job name, the advisory lock key and the slot key. */
  key: string;
  pluginId: string;
  job: JobDeclaration;
  spec: ScheduleSpec;
}

export interface TaskEntry {
  pluginId: string;
  task: TaskDeclaration;
}

export function scheduledEntry(pluginId: string, job: JobDeclaration): ScheduledEntry {
  try {
    return { key: `${pluginId}/${job.id}`, pluginId, job, spec: parseSchedule(job.schedule) };
  } catch (err) {
    throw new PluginError('PLUGIN_JOB_SCHEDULE_INVALID', `plugin "${pluginId}": job "${job.id}" has an invalid schedule: ${(err as Error).message}`, pluginId);
  }
}

export const scheduledEntries = (plugins: Registration[]): ScheduledEntry[] =>
  plugins.flatMap((p) => p.jobs.map((job) => scheduledEntry(p.id, job)));

/** Task handlers by type; types are prefixed with their plugin id, so they cannot collide. */
export function taskTable(plugins: Registration[]): Map<string, TaskEntry> {
  return new Map(plugins.flatMap((p) => p.tasks.map((task) => [task.type, { pluginId: p.id, task }] as const)));
}
