/**
 * `shipshape images`: the host's images as the helper sees them (tags, size, containers,
 * scan and security status). Talks to Docker directly, in-process, with the same inventory
 * code as the helper, and reads scan state from the data dir's state.json without writing it;
 * so it works whether or not a helper is running.
 */
import { ImageListQuery, type ImageSummary } from '@shipshape/shared';
import { parseArgs } from 'node:util';
import { configOptions, ConfigError, engineOption, parseFlags, resolveConfig } from '../config.ts';
import { initialEngines } from '../engines/registry.ts';
import { EventBus } from '../events/bus.ts';
import { Inventory } from '../inventory/inventory.ts';
import { filterImages, sortImages } from '../inventory/list.ts';
import { StateStore } from '../state/store.ts';

const usage = `Usage: shipshape images [--json] [--q TEXT] [--server NAME] [--sort created|size|name|lastScanned|risk] [--order asc|desc] [--data-dir DIR] [--engine NAME=URL]...

Lists every image on the Docker engines the helper watches (DOCKER_HOST, --engine and
SHIPSHAPE_ENGINES, and the engines added to the data dir), one row per image ID with the
engines holding it, and the scan state recorded in the data dir. An engine that does not
answer is left out (its name goes to stderr). --server NAME lists one engine's images.
--json prints { total, items } as GET /api/images does.
`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags(() =>
    parseArgs({
      args: argv,
      options: {
        ...configOptions,
        ...engineOption,
        json: { type: 'boolean' },
        q: { type: 'string' },
        server: { type: 'string' },
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
  const queryInput = Object.fromEntries(Object.entries({ q: values.q, server: values.server, sort: values.sort, order: values.order }).filter(([, v]) => v !== undefined));
  const parsed = ImageListQuery.safeParse({ ...queryInput, limit: '500' });
  if (!parsed.success) throw new ConfigError(`--${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
  const config = resolveConfig(values);

  const store = await StateStore.open(config.dataDir, { readOnly: true });
  const inventory = new Inventory(initialEngines(config, store), store, new EventBus(), { log: () => undefined });
  inventory.forgetUnconfiguredEngines();
  if (parsed.data.server && !inventory.watcher(parsed.data.server)) throw new ConfigError(`--server: no engine named '${parsed.data.server}' (engines: ${inventory.watchers().map((w) => w.name).join(', ')})`);
  // One pass over each engine, side by side; one that does not answer keeps its last known images.
  const results = await Promise.allSettled(inventory.watchers().map((w) => w.reconcile()));
  for (const watcher of inventory.watchers()) watcher.engine.close?.();
  results.forEach((r, i) => r.status === 'rejected' && process.stderr.write(`shipshape images: engine ${inventory.watchers()[i]!.name} did not answer: ${(r.reason as Error).message}\n`));
  if (results.every((r) => r.status === 'rejected')) throw results.map((r) => (r as PromiseRejectedResult).reason)[0] as Error;
  const records = sortImages(filterImages(store.images(), parsed.data), parsed.data.sort, parsed.data.order);
  const items = records.map((r) => inventory.summary(r));
  process.stdout.write(values.json ? `${JSON.stringify({ total: items.length, items }, null, 2)}\n` : table(items));
  return 0;
}

function table(items: ImageSummary[]): string {
  const rows = [
    ['IMAGE ID', 'REPOSITORY:TAG', 'SIZE', 'CREATED', 'CONTAINERS', 'SERVERS', 'SCAN', 'SECURITY'],
    ...items.map((i) => [
      i.shortId,
      i.repoTags.length > 1 ? `${i.name} (+${i.repoTags.length - 1})` : i.name,
      humanSize(i.size),
      i.created.slice(0, 16).replace('T', ' '),
      `${i.containers.running}/${i.containers.total}`,
      i.servers.join(','),
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
