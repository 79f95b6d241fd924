/** `shipshape serve`: runs the helper in the foreground until SIGINT/SIGTERM. */
import { parseArgs } from 'node:util';
import { configOptions, parseFlags, resolveConfig } from '../config.ts';
import { startHelper } from '../server.ts';

export const summary = 'run the helper on 127.0.0.1 (--port N, --data-dir DIR, --extension ID)';

const usage = `Usage: pnpm shipshape serve [--port N] [--data-dir DIR] [--extension ID]...

Runs the helper on 127.0.0.1:<port> (default 7373, or SHIPSHAPE_PORT). State and the API
token live in the data dir (default $XDG_DATA_HOME/shipshape or ~/.local/share/shipshape,
or SHIPSHAPE_DATA_DIR). Docker: DOCKER_HOST (unix:///path or tcp://host:port).
--extension ID admits chrome-extension://ID as a browser origin without pairing
(also SHIPSHAPE_EXTENSION_IDS, comma-separated).
`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags(() => parseArgs({ args: argv, options: { ...configOptions, help: { type: 'boolean', short: 'h' } }, strict: true }));
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  const helper = await startHelper(resolveConfig(values));
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
