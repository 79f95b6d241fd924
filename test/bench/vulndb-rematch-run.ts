/**
 * Runs the re-match of 100 stored inventories (vulndb-rematch.ts's rematch100) in a process of its
 * own, started with the node flags and environment the helper runs with (`npm start`), and
 * prints its figures as JSON: V8's young-generation size changes what the re-match costs.
 * Usage: node <HELPER_NODE_FLAGS> <this file, bundled> <data dir>
 */
import { rematch100 } from './vulndb-rematch.ts';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: vulndb-rematch-run.ts <data dir>');
process.stdout.write(`${JSON.stringify(await rematch100(dataDir))}\n`);
