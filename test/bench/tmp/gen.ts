import { ensureOsvFeed } from '../osv-feed.ts';
async function main() {
  const t = performance.now();
  const a = await ensureOsvFeed('/work/wt/verdicts/test/.cache', console.log);
  console.log(((performance.now() - t) / 1000).toFixed(1), 's', a.length);
}
void main();
