/** `shipshape serve`: runs the helper in the foreground until SIGINT/SIGTERM. */
import { parseArgs } from 'node:util';
import { configOptions, layerSourceOption, parseFlags, resolveConfig, resolveLayerSource } from '../config.ts';
import { startHelper } from '../server.ts';

export const summary = 'run the helper on 127.0.0.1 (--port N, --data-dir DIR, --extension ID, --layer-source MODE)';

const usage = `Usage: pnpm shipshape serve [--port N] [--data-dir DIR] [--extension ID]... [--layer-source auto|in-place|export]

Runs the helper on 127.0.0.1:<port> (default 7373, or SHIPSHAPE_PORT). State and the API
token live in the data dir (default $XDG_DATA_HOME/shipshape or ~/.local/share/shipshape,
or SHIPSHAPE_DATA_DIR). Docker: DOCKER_HOST (unix:///path or tcp://host:port).
--extension ID admits chrome-extension://ID as a browser origin without pairing
(also SHIPSHAPE_EXTENSION_IDS, comma-separated).
--layer-source (or SHIPSHAPE_LAYER_SOURCE) says how scans read an image's layers: auto (the
default) reads them in place from Docker's overlay2 layer folders when the engine is local,
uses overlay2 and the helper may read its data root, and through docker save otherwise;
in-place only in place (a scan fails when it cannot); export always through docker save.
`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags(() => parseArgs({ args: argv, options: { ...configOptions, ...layerSourceOption, help: { type: 'boolean', short: 'h' } }, strict: true }));
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  const { 'layer-source': layerSource, ...rest } = values;
  const helper = await startHelper({ ...resolveConfig(rest), layerSource: resolveLayerSource(layerSource) });
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.stderr.write(`shipshape: ${signal}: shutting down\n`);
      helper.close().then(resolve, resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  return 0;
}
