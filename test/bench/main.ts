/**
 * `pnpm bench`: runs each benchmark module in turn and prints its figures
 * (`pnpm bench <name>…` for some only). Adding a benchmark is one import and one entry.
 */
import { benchVersions } from './versions.ts';
import { benchInventoryScan } from './inventory-scan.ts';
import { benchInventory } from './inventory.ts';
import { benchVulndb } from './vulndb.ts';
import { benchCveData } from './cve-data.ts';
import { benchScanEngine } from './scan-engine.ts';
import { benchSensitiveMalware } from './sensitive-malware.ts';
import { benchLoad } from './load.ts';
import { benchEngines } from './engines.ts';
import { benchSecrets } from './secrets.ts';
import { benchCli } from './cli.ts';
import { benchSidepanel } from './sidepanel.ts';

const benchmarks: [name: string, run: () => Promise<void>][] = [
  ['versions', benchVersions],
  ['inventory-scan', benchInventoryScan],
  ['inventory', benchInventory],
  ['vulndb', benchVulndb],
  ['cve-data', benchCveData],
  ['scan-engine', benchScanEngine],
  ['sensitive-malware', benchSensitiveMalware],
  ['load', benchLoad],
  ['engines', benchEngines],
  ['secrets', benchSecrets],
  ['cli', benchCli],
  ['sidepanel', benchSidepanel],
];

const only = process.argv.slice(2);
for (const [name, run] of benchmarks) {
  if (only.length === 0 || only.includes(name)) await run();
}
