#!/usr/bin/env -S npx tsx
/**
 * `pnpm shipshape <command>`: one file per command in this folder; each exports
 * `run(argv)` and a one-line `summary`. Adding a command is adding it to `commands`.
 */
type Command = { summary: string; run(argv: string[]): Promise<number | void> };

const commands: Record<string, () => Promise<Command>> = {
  serve: () => import('./serve.ts'),
  images: () => import('./images.ts'),
  token: () => import('./token.ts'),
  pair: () => import('./pair.ts'),
  scan: () => import('./scan.ts'),
  db: () => import('./db.ts'),
  engines: () => import('./engines.ts'),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const lines = await Promise.all(
      Object.entries(commands).map(async ([n, load]) => `  ${n.padEnd(8)} ${(await load().catch(() => null))?.summary ?? ''}`),
    );
    process.stdout.write(`Usage: pnpm shipshape <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'pnpm shipshape <command> --help' for a command's options.\n`);
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`Unknown command '${name}'. Run 'pnpm shipshape --help' for the list.\n`);
    return 2;
  }
  const command = await load();
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
