/**
 * `shipshape images`: the host's images as the helper sees them (tags, size, containers,
 * scan and security status). Talks to Docker directly, in-process, with the same inventory
 * code as the helper, and reads scan state from the data dir's state.json without writing it;
 * so it works whether or not a helper is running.
 */
import { ImageListQuery, type ImageSummary } from '@shipshape/shared';
import { parseArgs } from 'node:util';
import { configOptions, ConfigError, parseFlags, resolveConfig } from '../config.ts';
import { createDockerEngine } from '../docker/engine.ts';
import { EventBus } from '../events/bus.ts';
import { Inventory, SERVER_ID } from '../inventory/inventory.ts';
import { filterImages, sortImages } from '../inventory/list.ts';
import { toSummary } from '../inventory/view.ts';
import { StateStore } from '../state/store.ts';

const usage = `Usage: pnpm shipshape images [--json] [--q TEXT] [--sort created|size|name|lastScanned|risk] [--order asc|desc] [--data-dir DIR]

Lists every image on the Docker host (DOCKER_HOST), one row per image ID, with the scan
state recorded in the data dir. --json prints { total, items } as GET /api/images does.
`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags(() =>
    parseArgs({
      args: argv,
      options: {
        ...configOptions,
        json: { type: 'boolean' },
        q: { type: 'string' },
        sort: { type: 'string' },
        order: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }),
  );
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  const queryInput = Object.fromEntries(Object.entries({ q: values.q, sort: values.sort, order: values.order }).filter(([, v]) => v !== undefined));
  const parsed = ImageListQuery.safeParse({ ...queryInput, limit: '500' });
  if (!parsed.success) throw new ConfigError(`--${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
  const config = resolveConfig(values);

  const store = await StateStore.open(config.dataDir, { readOnly: true });
  const inventory = new Inventory(createDockerEngine(config.docker), store, new EventBus(), { log: () => undefined });
  await inventory.reconcile();
  const records = sortImages(filterImages(store.images(), parsed.data), parsed.data.sort, parsed.data.order);
  const items = records.map((r) => toSummary(r, inventory.containerCounts(r.inventory.id), SERVER_ID));
  process.stdout.write(values.json ? `${JSON.stringify({ total: items.length, items }, null, 2)}\n` : table(items));
  return 0;
}

function table(items: ImageSummary[]): string {
  const rows = [
    ['IMAGE ID', 'REPOSITORY:TAG', 'SIZE', 'CREATED', 'CONTAINERS', 'SCAN', 'SECURITY'],
    ...items.map((i) => [
      i.shortId,
      i.repoTags.length > 1 ? `${i.name} (+${i.repoTags.length - 1})` : i.name,
      humanSize(i.size),
      i.created.slice(0, 16).replace('T', ' '),
      `${i.containers.running}/${i.containers.total}`,
      i.scanStatus,
      i.securityStatus,
    ]),
  ];
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  const lines = rows.map((row) => row.map((cell, col) => cell.padEnd(widths[col]!)).join('  ').trimEnd());
  return `${lines.join('\n')}\n${items.length} image${items.length === 1 ? '' : 's'}\n`;
}

export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}
