/**
 * Masks detected secrets in what the helper keeps and serves about an image outside its
 * reports: the config's Env and Labels, the author, every build step (`created_by`, where
 * `--build-arg` values and echoed tokens land) and container commands. Applied as Docker's
 * answers enter the inventory, so state.json, every route, export and event carry only the
 * mask, the same one the reports show (`ghp_***[3fa91c]`, one key per data dir). The rules
 * are the built-in ones plus the user's rule file once loaded; rules the user turned off
 * still mask (turning off a finding must not put a secret in clear).
 */
import type { SensitiveAnalyzerOptions } from '@shipshape/analyzers/sensitive/index.ts';
import { maskAll, scanImageConfigDetailed, secretDetector, type SecretDetector } from '@shipshape/analyzers/sensitive/index.ts';
import type { ImageInventory } from '../state/schema.ts';

export class SecretRedactor {
  private detector: SecretDetector;
  private rulesStamp = '';

  constructor(private readonly maskKey: Uint8Array) {
    this.detector = secretDetector({ maskKey });
  }

  /**
   * Takes the user's rules (the scans' detection settings); true when they changed. A user's
   * file may replace the built-in rules for scans; masking keeps the built-in ones all the
   * same (each file as if it said `[extend] useDefault = true`): masking too much costs
   * nothing, a secret left in clear does.
   */
  useRules(options: SensitiveAnalyzerOptions, stamp: string): boolean {
    if (stamp === this.rulesStamp) return false;
    this.rulesStamp = stamp;
    const userRuleSets = (options.userRuleSets ?? []).map((set) => ({ ...set, extend: { disabledRules: [] } }));
    this.detector = secretDetector({ ...(userRuleSets.length ? { userRuleSets } : {}), maskKey: this.maskKey });
    return true;
  }

  /** The secrets of one text (a container command, an author). */
  private secretsIn(text: string): string[] {
    return this.detector.scanString(text, 'config:text').map((h) => h.secret);
  }

  text(text: string): string {
    return maskAll(text, this.secretsIn(text), this.detector.mask) ?? text;
  }

  inventory(inv: ImageInventory): ImageInventory {
    const { secrets } = scanImageConfigDetailed(
      { Env: inv.env, Labels: inv.labels },
      inv.history.map((h) => ({ created_by: h.createdBy, empty_layer: h.emptyLayer })),
      inv.diffIds,
      this.detector,
    );
    secrets.push(...this.secretsIn(inv.author));
    if (secrets.length === 0) return inv;
    const mask = (text: string) => maskAll(text, secrets, this.detector.mask) ?? text;
    return {
      ...inv,
      author: mask(inv.author),
      env: inv.env.map(mask),
      labels: Object.fromEntries(Object.entries(inv.labels).map(([k, v]) => [mask(k), mask(v)])),
      history: inv.history.map((h) => ({ ...h, createdBy: mask(h.createdBy) })),
    };
  }
}
