/** `shipshape serve`: runs the helper in the foreground until SIGINT/SIGTERM. */
import { parseArgs } from 'node:util';
import { configOptions, parseFlags, resolveConfig } from '../config.ts';
import { startHelper } from '../server.ts';

export const summary = 'run the helper on 127.0.0.1 (--port N, --data-dir DIR, --extension ID, --import-dir DIR, --clamd ADDRESS)';

const usage = `Usage: pnpm shipshape serve [--port N] [--data-dir DIR] [--extension ID]... [--import-dir DIR]...
                             [--clamd ADDRESS] [--data-refresh off|daily|weekly] [--mirror URL]

Runs the helper on 127.0.0.1:<port> (default 7373, or SHIPSHAPE_PORT). State and the API
token live in the data dir (default $XDG_DATA_HOME/shipshape or ~/.local/share/shipshape,
or SHIPSHAPE_DATA_DIR). Docker: DOCKER_HOST (unix:///path or tcp://host:port).
--extension ID admits chrome-extension://ID as a browser origin without pairing
(also SHIPSHAPE_EXTENSION_IDS, comma-separated).
--import-dir DIR  a folder whose files the API may read (secret rule files, advisory data),
                  besides <data dir>/imports (also SHIPSHAPE_IMPORT_DIRS, ':'-separated).
--clamd ADDRESS   a clamd to ask during malware scans: socket path or host:port, anywhere
                  (also SHIPSHAPE_CLAMD; the API may set only a socket or a loopback address).
--data-refresh    off|daily|weekly: how often the vulnerability data is refreshed by itself
                  (default daily; off for air-gapped machines; SHIPSHAPE_DATA_REFRESH), until
                  changed in the data-update settings.
--mirror URL      the OSV feed's base URL (<URL>/<Ecosystem>/all.zip) instead of the public
                  bucket (also SHIPSHAPE_OSV_MIRROR), until changed in the settings.
`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags(() =>
    parseArgs({
      args: argv,
      options: {
        ...configOptions,
        'import-dir': { type: 'string', multiple: true },
        clamd: { type: 'string' },
        'data-refresh': { type: 'string' },
        mirror: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }),
  );
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
