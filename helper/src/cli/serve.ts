/**
 * `shipshape serve`: runs the helper in the foreground until SIGINT/SIGTERM. A helper already
 * running for this port or data dir is reported (exit 0) and left alone; a port held by another
 * program gets the `--port` hint.
 */
import { parseArgs } from 'node:util';
import { ConfigError, LISTEN_HOST, parseFlags, resolveConfig, resolveLayerSource, resolveScanWorkers, serveOptions, type Config } from '../config.ts';
import { alreadyRunningMessage, findRunningHelper, freePortAfter, portProblem, removeRunFile, RUN_FILE, writeRunFile } from '../running.ts';
import { HELPER_VERSION } from '../version.ts';

const usage = `Usage: shipshape serve [--port N] [--data-dir DIR] [--extension ID]... [--engine NAME=URL[,tls=DIR][,key=FILE]]... [--layer-source auto|in-place|export]
                       [--import-dir DIR]... [--clamd ADDRESS] [--data-refresh off|daily|weekly] [--mirror URL] [--scan-workers N]

Runs the helper on 127.0.0.1:<port> (default 7373, or SHIPSHAPE_PORT). State and the API
token live in the data dir (default $XDG_DATA_HOME/shipshape or ~/.local/share/shipshape,
or SHIPSHAPE_DATA_DIR).
Docker engines: 'local' is DOCKER_HOST (default unix:///var/run/docker.sock; DOCKER_CERT_PATH
gives tcp:// its TLS folder). --engine NAME=URL adds one (repeatable; also
SHIPSHAPE_ENGINES="NAME=URL,NAME=URL,tls=DIR"): unix:///path, tcp://host:2376,tls=DIR (a folder
with ca.pem, cert.pem, key.pem), ssh://user@host[,key=FILE]. Plain tcp:// is refused unless
the host is loopback. 'shipshape engines add' adds engines to a running helper.
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
--layer-source (or SHIPSHAPE_LAYER_SOURCE) says how scans read an image's layers: auto (the
default) reads them in place from Docker's overlay2 layer folders when the engine is local,
uses overlay2 and the helper may read its data root, and through docker save otherwise;
in-place only in place (a scan fails when it cannot); export always through docker save.
--scan-workers N  layer worker threads, 2 to 64 (also SHIPSHAPE_SCAN_WORKERS; default one per
                  core, 2 to 4). Each holds ~50 MB while it scans.
If a helper already runs on that port or with that data dir, says so and exits 0.
SIGINT (Ctrl-C) or SIGTERM stop it cleanly.
`;

/** How long a clean stop may take before the process exits anyway (a stuck close must not hang Ctrl-C). */
const SHUTDOWN_LIMIT_MS = 15_000;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags(() =>
    parseArgs({
      args: argv,
      options: { ...serveOptions, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }),
  );
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  const { 'layer-source': layerSource, 'scan-workers': scanWorkers, ...rest } = values;
  const workers = resolveScanWorkers(scanWorkers);
  const config: Config = { ...resolveConfig(rest), layerSource: resolveLayerSource(layerSource), ...(workers ? { scanWorkers: workers } : {}) };
  const running = await findRunningHelper(config.port, config.dataDir);
  if (running) {
    process.stdout.write(`${alreadyRunningMessage(running)}\n`);
    return 0;
  }
  await ensurePortFree(config);

  const { startHelper } = await import('../server.ts');
  const helper = await startHelper(config).catch(async (error: NodeJS.ErrnoException) => {
    // Another helper may have taken the port since the check: say which, then leave.
    if (error.code !== 'EADDRINUSE') throw error;
    const raced = await findRunningHelper(config.port, config.dataDir);
    process.stdout.write(`${raced ? alreadyRunningMessage(raced) : `${LISTEN_HOST}:${config.port} was taken while starting`}\n`);
    process.exit(raced ? 0 : 1);
  });
  await writeRunFile(config.dataDir, { pid: process.pid, port: helper.port, version: HELPER_VERSION, startedAt: new Date().toISOString() }).catch((error: Error) =>
    // The helper serves all the same; only a second start with another --port would not find it.
    process.stderr.write(`shipshape: could not write ${RUN_FILE} in ${config.dataDir} (${error.message}): a second start finds this helper by its port only\n`),
  );

  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      // npm forwards the terminal's SIGINT too, so one Ctrl-C can arrive twice: stop once.
      if (stopping) return;
      stopping = true;
      process.stderr.write(`shipshape: ${signal}: shutting down\n`);
      setTimeout(() => {
        process.stderr.write(`shipshape: not stopped within ${SHUTDOWN_LIMIT_MS / 1000} s; exiting\n`);
        process.exit(1);
      }, SHUTDOWN_LIMIT_MS).unref();
      helper
        .close()
        .catch((error: unknown) => process.stderr.write(`shipshape: while shutting down: ${(error as Error).message}\n`))
        .then(() => removeRunFile(config.dataDir, process.pid))
        .then(resolve, resolve);
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
  process.stderr.write('shipshape: stopped\n');
  return 0;
}

async function ensurePortFree(config: Config): Promise<void> {
  const problem = await portProblem(config.port);
  if (!problem) return;
  const where = `${LISTEN_HOST}:${config.port}`;
  if (problem === 'EACCES') throw new ConfigError(`${where}: this user may not listen on port ${config.port}; choose a port above 1023 with --port N (or SHIPSHAPE_PORT)`);
  if (problem !== 'EADDRINUSE') throw new ConfigError(`cannot listen on ${where}: ${problem}`);
  const free = (await freePortAfter(config.port)) ?? config.port + 1;
  throw new ConfigError(
    `${where} is in use by another program (not a Shipshape helper). Start Shipshape on a free port: 'npm start -- --port ${free}' or 'shipshape serve --port ${free}' (or SHIPSHAPE_PORT=${free}).`,
  );
}
