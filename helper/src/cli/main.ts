#!/usr/bin/env -S npx tsx
/**
 * `shipshape <command>`: the CLI entry, compiled to dist/shipshape.js by `npm run build` (and run
 * from source by `npm run shipshape --`). One file per command in this folder, each exporting
 * `run(argv)`; adding a command is one row in `commands`: its one-line summary (for --help) and
 * a lazy import, so a call loads only its own command's code and `--version` loads none.
 */
import { HELPER_VERSION } from '../version.ts';

type Command = { run(argv: string[]): Promise<number | void> };
type CommandEntry = { summary: string; load: () => Promise<Command> };

const commands: Record<string, CommandEntry> = {
  serve: { summary: 'run the helper on 127.0.0.1 (--port N, --data-dir DIR, --extension ID, --engine NAME=URL, --import-dir DIR, --clamd ADDRESS)', load: () => import('./serve.ts') },
  status: { summary: 'say whether a helper is running, on which port and with which pid', load: () => import('./status.ts') },
  images: { summary: 'list the images of every engine as the helper sees them (--json, --q TEXT, --server NAME, --sort KEY)', load: () => import('./images.ts') },
  engines: { summary: 'list, add or remove Docker engines of the running helper (also from Docker contexts)', load: () => import('./engines.ts') },
  scan: { summary: 'scan an image (name, tag or ID) or a docker save archive; --exit-code N gates CI', load: () => import('./scan.ts') },
  db: { summary: 'vulnerability database: import PATH, update [--mirror URL], status', load: () => import('./db.ts') },
  token: { summary: 'print the API token (--rotate: new token, ending every session)', load: () => import('./token.ts') },
  pair: { summary: "approve the extension's pairing code (--reject to refuse it)", load: () => import('./pair.ts') },
  vex: { summary: 'ignores as OpenVEX: export [--output FILE], import FILE', load: () => import('./vex.ts') },
};

function usage(): string {
  const width = Math.max(...[...Object.keys(commands), '--version'].map((name) => name.length)) + 2;
  const rows = Object.entries(commands).map(([name, { summary }]) => `  ${name.padEnd(width)}${summary}`);
  return [
    `Usage: shipshape <command> [options]`,
    '',
    'Commands:',
    ...rows,
    '',
    'Options:',
    `  ${'--version'.padEnd(width)}print the version (${HELPER_VERSION})`,
    `  ${'--help'.padEnd(width)}this list; 'shipshape <command> --help' gives a command's options`,
    '',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v' || name === 'version') {
    process.stdout.write(`shipshape ${HELPER_VERSION}\n`);
    return 0;
  }
  if (name === 'help' && rest[0] && commands[rest[0]]) return main([rest[0], '--help']);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? process.stdout : process.stderr).write(usage());
    return name ? 0 : 2;
  }
  const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!entry) {
    process.stderr.write(`shipshape: unknown command '${name}'. Run 'shipshape --help' for the list.\n`);
    return 2;
  }
  const command = await entry.load();
  return (await command.run(rest)) ?? 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`shipshape: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
