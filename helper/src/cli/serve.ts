/** `shipshape serve`: runs the helper in the foreground until SIGINT/SIGTERM. */
import { parseArgs } from 'node:util';
import { configOptions, engineOption, parseFlags, resolveConfig } from '../config.ts';
import { startHelper } from '../server.ts';

export const summary = 'run the helper on 127.0.0.1 (--port N, --data-dir DIR, --extension ID, --engine NAME=URL)';

const usage = `Usage: pnpm shipshape serve [--port N] [--data-dir DIR] [--extension ID]... [--engine NAME=URL[,tls=DIR][,key=FILE]]...

Runs the helper on 127.0.0.1:<port> (default 7373, or SHIPSHAPE_PORT). State and the API
token live in the data dir (default $XDG_DATA_HOME/shipshape or ~/.local/share/shipshape,
or SHIPSHAPE_DATA_DIR).
Docker engines: 'local' is DOCKER_HOST (default unix:///var/run/docker.sock; DOCKER_CERT_PATH
gives tcp:// its TLS folder). --engine NAME=URL adds one (repeatable; also
SHIPSHAPE_ENGINES="NAME=URL,NAME=URL,tls=DIR"): unix:///path, tcp://host:2376,tls=DIR (a folder
with ca.pem, cert.pem, key.pem), ssh://user@host[,key=FILE]. Plain tcp:// is refused unless
the host is loopback. 'pnpm shipshape engines add' adds engines to a running helper.
--extension ID admits chrome-extension://ID as a browser origin without pairing
(also SHIPSHAPE_EXTENSION_IDS, comma-separated).
`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags(() => parseArgs({ args: argv, options: { ...configOptions, ...engineOption, help: { type: 'boolean', short: 'h' } }, strict: true }));
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
