/**
 * Benchmark: how long a `shipshape` call takes from exec to exit, the compiled CLI (dist/, what
 * `npm link` puts on the PATH) against the development path (tsx transpiling helper/src at run
 * time, as `pnpm shipshape` runs it, without pnpm's own start-up), with `node -e 0` as the floor.
 * Builds dist/ first so the figures are for the code as it is. Runs from a folder outside the
 * repository, on a data dir holding a small vulnerability database (so `db status` opens SQLite).
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const compiled = path.join(repo, 'dist', 'shipshape.js');
const source = path.join(repo, 'helper', 'src', 'cli', 'main.ts');
const fixture = path.join(repo, 'test', 'fixtures', 'advisories', 'osv-ghsa-npm-sample.jsonl.gz');

const RUNS = 15;

type Sample = { wallMs: number; cpuMs: number };

/**
 * One process, exec to exit: wall time, and CPU time (user + system, from bash's `times`), which
 * a busy machine inflates much less than wall time. Fails on a non-zero exit.
 */
function once(argv: string[], cwd: string, env: NodeJS.ProcessEnv): Sample {
  const start = process.hrtime.bigint();
  const result = spawnSync('bash', ['-c', '"$@" >/dev/null; status=$?; times; exit $status', 'bench', process.execPath, ...argv], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`node ${argv.join(' ')} exited ${result.status}: ${result.stderr.toString()}`);
  // `times` prints the shell's own user/system line, then its children's: "0m0.123s 0m0.045s".
  const children = result.stdout.toString().trim().split('\n').at(-1) ?? '';
  const cpuMs = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, [, m, sec]) => sum + (Number(m) * 60 + Number(sec)) * 1000, 0);
  return { wallMs, cpuMs };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function benchCli(): Promise<void> {
  console.log(`\n## CLI start-up (exec to exit, median of ${RUNS} runs, ms)`);
  await run(path.join(repo, 'node_modules', '.bin', 'tsx'), [path.join(repo, 'scripts', 'build.ts')], { cwd: repo });
  const outside = await mkdtemp(path.join(tmpdir(), 'shipshape-bench-cli-'));
  const env = { ...process.env, SHIPSHAPE_DATA_DIR: path.join(outside, 'data') };
  try {
    await run(process.execPath, [compiled, 'db', 'import', fixture], { cwd: outside, env });
    const ways: [string, (args: string[]) => string[]][] = [
      ['compiled (dist/shipshape.js)', (args) => [compiled, ...args]],
      ['tsx (helper/src, as pnpm shipshape)', (args) => ['--import', 'tsx', source, ...args]],
    ];
    const calls: [string, string[]][] = [
      ['--version', ['--version']],
      ['db status', ['db', 'status']],
      ['--help', ['--help']],
    ];
    const floor: Sample[] = [];
    const times = new Map<string, Sample[]>();
    // Interleaved rounds: a load spike on this shared machine hits every variant alike.
    for (let round = 0; round < RUNS; round++) {
      floor.push(once(['-e', '0'], outside, env));
      for (const [way, argv] of ways) {
        for (const [call, args] of calls) {
          const key = `${way}\t${call}`;
          // tsx resolves from the repository; the compiled CLI runs from the outside folder.
          const cwd = way.startsWith('tsx') ? repo : outside;
          times.set(key, [...(times.get(key) ?? []), once(argv(args), cwd, env)]);
        }
      }
    }
    const wall = (samples: Sample[]) => median(samples.map((s) => s.wallMs));
    const cpu = (samples: Sample[]) => median(samples.map((s) => s.cpuMs));
    console.log(`node -e 0 (the floor): wall ${wall(floor).toFixed(0)}, CPU ${cpu(floor).toFixed(0)}`);
    console.log('call'.padEnd(12), ...ways.map(([way]) => way.padStart(40)), 'tsx / compiled'.padStart(16));
    for (const [call] of calls) {
      const [c, t] = ways.map(([way]) => times.get(`${way}\t${call}`)!);
      const cell = (samples: Sample[]) => `wall ${wall(samples).toFixed(0)}, CPU ${cpu(samples).toFixed(0)} (+${(cpu(samples) - cpu(floor)).toFixed(0)})`;
      console.log(call.padEnd(12), cell(c!).padStart(40), cell(t!).padStart(40), `${(wall(t!) / wall(c!)).toFixed(1)}x`.padStart(16));
    }
    console.log('(+N: CPU ms over node -e 0)');
    // The whole development call as the README gave it before: npx pnpm, then tsx (3 runs: ~3 s each).
    const viaPnpm = [0, 1, 2].map(() => {
      const start = process.hrtime.bigint();
      const result = spawnSync('bash', [path.join(repo, 'scripts', 'pnpm.sh'), 'shipshape', 'db', 'status'], { cwd: repo, env, stdio: 'ignore' });
      if (result.status !== 0) throw new Error(`pnpm shipshape db status exited ${result.status}`);
      return Number(process.hrtime.bigint() - start) / 1e6;
    });
    const compiledDb = wall(times.get(`${ways[0]![0]}\tdb status`)!);
    console.log(`pnpm shipshape db status (pnpm through scripts/pnpm.sh, then tsx), wall: ${median(viaPnpm).toFixed(0)} (${(median(viaPnpm) / compiledDb).toFixed(1)}x compiled)`);
  } finally {
    await rm(outside, { recursive: true, force: true });
  }
}
