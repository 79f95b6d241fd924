/**
 * `shipshape engines list|add|remove|contexts`: the Docker engines of the running helper,
 * through its API (the helper connects, checks and keeps them; this only asks).
 */
import { parseArgs } from 'node:util';
import { isAbsolute, resolve } from 'node:path';
import type { AddEngineRequest, DockerContextList, Engine, EngineList } from '@shipshape/shared';
import { configOptions, ConfigError, parseFlags, resolveConfig } from '../config.ts';
import { callHelper, errorMessage } from './helper-client.ts';

const usage = `Usage:
  shipshape engines list [--json]
  shipshape engines add NAME URL [--tls DIR] [--ssh-key FILE]
  shipshape engines add NAME --context CONTEXT
  shipshape engines remove NAME
  shipshape engines contexts [--json]
(each also takes --port N and --data-dir DIR to find the helper)

URL is unix:///path, tcp://host:2376 with --tls DIR (a folder with ca.pem, cert.pem and
key.pem, as DOCKER_CERT_PATH) or ssh://user@host (key: --ssh-key, else the SSH agent, else
~/.ssh/id_ed25519, id_ecdsa, id_rsa; the host key is pinned on first contact). Plain tcp:// is
refused unless the host is loopback. CONTEXT is a name from 'docker context ls'.
The helper connects before it answers: a wrong CA, a refused key or an unknown context is an
error here, and nothing is added. Added engines are kept in the data dir; the paths of key
files are kept, never the keys. Engines given to 'serve' (--engine, SHIPSHAPE_ENGINES, DOCKER_HOST)
are changed where they are set.
`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(() =>
    parseArgs({
      args: argv,
      options: { ...configOptions, json: { type: 'boolean' }, tls: { type: 'string' }, 'ssh-key': { type: 'string' }, context: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    }),
  );
  const [action, ...rest] = positionals;
  if (values.help || !action) {
    process.stdout.write(usage);
    return values.help ? 0 : 2;
  }
  const config = resolveConfig(values);
  const fail = (message: string) => {
    process.stderr.write(`shipshape engines ${action}: ${message}\n`);
    return 1;
  };
  switch (action) {
    case 'list': {
      const answer = await callHelper(config, '/api/engines');
      if (answer.status >= 300) return fail(errorMessage(answer));
      const list = answer.body as EngineList;
      process.stdout.write(values.json ? `${JSON.stringify(list, null, 2)}\n` : engineTable(list.items));
      return 0;
    }
    case 'contexts': {
      const answer = await callHelper(config, '/api/engines/contexts');
      if (answer.status >= 300) return fail(errorMessage(answer));
      const contexts = answer.body as DockerContextList;
      const rows = [['CONTEXT', 'ENDPOINT', 'TLS', 'ENGINE', 'DESCRIPTION'], ...contexts.items.map((c) => [`${c.name}${c.current ? ' *' : ''}`, c.endpoint, c.tls ? 'yes' : 'no', c.engine ?? '—', c.description])];
      process.stdout.write(values.json ? `${JSON.stringify(contexts, null, 2)}\n` : contexts.items.length ? table(rows) : 'No Docker contexts (docker context ls shows only default).\n');
      return 0;
    }
    case 'add': {
      const [name, url] = rest;
      if (!name || (!url && !values.context) || (url && values.context) || rest.length > 2) throw new ConfigError(`expected NAME and URL, or NAME --context CONTEXT\n${usage}`);
      const request: AddEngineRequest = { name, ...(url ? { url } : {}), ...(values.context ? { context: values.context } : {}) };
      if (values.tls) request.tls = absolute(values.tls);
      if (values['ssh-key']) request.sshKey = absolute(values['ssh-key']);
      const answer = await callHelper(config, '/api/engines', { method: 'POST', body: JSON.stringify(request) });
      if (answer.status >= 300) return fail(errorMessage(answer));
      const engine = answer.body as Engine;
      process.stdout.write(`Added engine ${engine.name} (${engine.endpoint})${engine.hostKey ? `; SSH host key ${engine.hostKey} pinned` : ''}\n`);
      return 0;
    }
    case 'remove': {
      if (rest.length !== 1) throw new ConfigError(`expected one engine name\n${usage}`);
      const answer = await callHelper(config, `/api/engines/${encodeURIComponent(rest[0]!)}`, { method: 'DELETE' });
      if (answer.status >= 300) return fail(errorMessage(answer));
      process.stdout.write(`Removed engine ${(answer.body as { removed: string }).removed}\n`);
      return 0;
    }
    default:
      throw new ConfigError(`unknown action '${action}'\n${usage}`);
  }
}

const absolute = (path: string) => (isAbsolute(path) ? path : resolve(path));

function engineTable(items: Engine[]): string {
  const rows = [
    ['NAME', 'ENDPOINT', 'STATUS', 'SOURCE', 'CONTEXT'],
    ...items.map((e) => [e.name, `${e.endpoint}${e.tls ? ' (TLS)' : ''}`, e.online ? 'online' : `offline${e.message ? `: ${e.message}` : ''}`, e.source, e.context ?? '—']),
  ];
  return table(rows);
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  return `${rows.map((row) => row.map((cell, col) => cell.padEnd(widths[col]!)).join('  ').trimEnd()).join('\n')}\n`;
}
