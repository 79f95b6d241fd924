/** `shipshape status`: is a helper running for this port / data dir, and which one. Exit 0 if so, 1 if not. */
import { parseArgs } from 'node:util';
import { LISTEN_HOST, parseFlags, resolveConfig, serveOptions } from '../config.ts';
import { findRunningHelper, portProblem } from '../running.ts';

const usage = `Usage: shipshape status [--port N] [--data-dir DIR] [--json]

Says whether a Shipshape helper answers on 127.0.0.1:<port> or owns the data dir, with its
pid and version. Exit status 0 when one runs, 1 when none does. --json prints
{ running, port, pid, version, dataDir }. Takes every flag of 'serve' too, and reads only
--port and --data-dir of them: 'npm start' asks it about the helper its arguments would start.
`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags(() =>
    parseArgs({ args: argv, options: { ...serveOptions, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true }),
  );
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  const config = resolveConfig({ ...(values.port !== undefined ? { port: values.port } : {}), ...(values['data-dir'] !== undefined ? { 'data-dir': values['data-dir'] } : {}) });
  const found = await findRunningHelper(config.port, config.dataDir);
  if (values.json) {
    const body = found ? { running: true, ...found } : { running: false, port: config.port, pid: null, version: null, dataDir: config.dataDir };
    process.stdout.write(`${JSON.stringify(body)}\n`);
    return found ? 0 : 1;
  }
  if (found) {
    process.stdout.write(`Shipshape is running on ${LISTEN_HOST}:${found.port}, pid ${found.pid ?? 'unknown (another data dir)'}, helper ${found.version}\n`);
    return 0;
  }
  const taken = (await portProblem(config.port)) === 'EADDRINUSE';
  process.stdout.write(
    taken
      ? `Shipshape is not running; ${LISTEN_HOST}:${config.port} is in use by another program\n`
      : `Shipshape is not running on ${LISTEN_HOST}:${config.port}: start it with 'npm start' in the Shipshape folder or 'shipshape serve'\n`,
  );
  return 1;
}
