/**
 * Secrets outside the filesystem: the image config (`Env`, `Labels`, `Cmd`, `Entrypoint`)
 * and the build history (`created_by`, where build args and echoed tokens leak). Each finding
 * names the build step that put it there.
 */
import type { LayerRef, SensitiveFinding } from '@shipshape/shared';
import { secretDetector } from './secret-detector.ts';
import { preferSpecific, type SecretDetector } from './detector.ts';
import type { ReportPostProcessor } from '../scan.ts';
import { MASKED_VALUE } from './mask.ts';
import { maskAll, redactSecretsInHistory } from './redact.ts';

export interface ConfigForSecrets {
  Env?: string[] | null;
  Labels?: Record<string, string> | null;
  Cmd?: string[] | null;
  Entrypoint?: string[] | null;
}

export interface HistoryStep {
  created_by?: string;
  empty_layer?: boolean;
}

/** Variable names whose value is a secret whatever it looks like. */
const SECRET_NAME = /(?:^|[_.-])(?:PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|SECRET_?KEY|PRIVATE_?KEY|CREDENTIALS?|AUTH)(?:$|[_.-])/i;
/** Names that match SECRET_NAME but hold public data (GPG key fingerprints in official images). */
const PUBLIC_NAME = /(?:GPG|PGP)_?KEYS?$|_FINGERPRINT$|_KEY_?ID$|(?:_FILE|_PATH|_DIR|_URL|_HOST|_PORT|_USER(?:NAME)?)$/i;
/** Values that reference a secret rather than being one. */
const PLACEHOLDER = /^(?:\$\{?\w+\}?|<[^>]*>|\{\{.*\}\}|changeme|change_me|none|null|false|true|\*+|x+|)$/i;

const RECOMMENDATION =
  'Do not put secrets in ENV, LABEL, ARG or RUN lines: they stay in the image config and history for anyone who pulls it. Use BuildKit secrets (RUN --mount=type=secret) at build time and runtime injection; rotate the exposed secret.';

function layerRefs(history: HistoryStep[], diffIds: string[]): Array<LayerRef> {
  let k = 0;
  // Steps that made no layer (ENV, ARG, LABEL…) get an empty diffId: only their build step is known.
  return history.map((h) => ({ diffId: h.empty_layer ? '' : (diffIds[k++] ?? ''), createdBy: h.created_by ?? null }));
}

function isSecretAssignment(name: string, value: string): boolean {
  const v = value.trim();
  return SECRET_NAME.test(name) && !PUBLIC_NAME.test(name) && value.length >= 4 && !PLACEHOLDER.test(v) && !MASKED_VALUE.test(v);
}

/** Parses the `|N KEY=value …` prefix Docker writes for RUN steps that used build args. */
export function buildArgsOf(createdBy: string): Array<[string, string]> {
  const m = /^(?:RUN\s+)?\|(\d+)\s+/.exec(createdBy);
  if (!m) return [];
  const out: Array<[string, string]> = [];
  let rest = createdBy.slice(m[0].length);
  for (let i = 0; i < Number(m[1]); i++) {
    const kv = /^([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)\s*/.exec(rest);
    if (!kv) break;
    out.push([kv[1]!, kv[2]!.replace(/^["']|["']$/g, '')]);
    rest = rest.slice(kv[0].length);
  }
  return out;
}

export function scanImageConfig(
  config: ConfigForSecrets | null | undefined,
  history: HistoryStep[] = [],
  diffIds: string[] = [],
  detector: SecretDetector = secretDetector(),
): SensitiveFinding[] {
  return scanImageConfigDetailed(config, history, diffIds, detector).findings;
}

/** As scanImageConfig, plus the raw secrets (for redacting them from the history the report repeats). */
export function scanImageConfigDetailed(
  config: ConfigForSecrets | null | undefined,
  history: HistoryStep[] = [],
  diffIds: string[] = [],
  detector: SecretDetector = secretDetector(),
): { findings: SensitiveFinding[]; secrets: string[] } {
  const refs = layerRefs(history, diffIds);
  const findings: SensitiveFinding[] = [];
  const reported = new Set<string>();

  const add = (f: Omit<SensitiveFinding, 'match' | 'recommendation' | 'inFinalFilesystem'> & { secret: string; recommendation?: string }) => {
    if (reported.has(f.secret)) return;
    reported.add(f.secret);
    const { secret, ...rest } = f;
    findings.push({ ...rest, match: detector.mask(secret), recommendation: f.recommendation ?? RECOMMENDATION, inFinalFilesystem: true });
  };
  /** Rule hits on one piece of text; true when anything was found. */
  const scanText = (text: string, path: string, layer: LayerRef | null): boolean => {
    const hits = preferSpecific(detector.scanString(text, path));
    for (const h of hits) {
      add({ ruleId: h.rule.id, name: h.rule.name, type: h.rule.type, severity: h.rule.severity, path, line: null, layer, secret: h.secret });
    }
    return hits.length > 0;
  };
  const assignment = (name: string, value: string, path: string, layer: LayerRef | null, what: string) => {
    if (!isSecretAssignment(name, value)) return;
    add({ ruleId: `config-${what}-secret`, name: `Secret in ${what} ${name}`, type: 'password', severity: 'high', path, line: null, layer, secret: value });
  };
  /** The last build step whose instruction mentions `needle` (ENV NAME=…, LABEL key=…). */
  const stepOf = (instruction: string, needle: string): LayerRef | null => {
    for (let i = refs.length - 1; i >= 0; i--) {
      const by = refs[i]!.createdBy ?? '';
      if (new RegExp(`(?:^|\\s|#\\(nop\\)\\s*)${instruction}\\s`).test(by) && by.includes(needle)) return refs[i]!;
    }
    return null;
  };

  for (const entry of config?.Env ?? []) {
    const eq = entry.indexOf('=');
    const name = eq === -1 ? entry : entry.slice(0, eq);
    const value = eq === -1 ? '' : entry.slice(eq + 1);
    const layer = stepOf('ENV', name);
    if (!scanText(entry, 'config:Env', layer)) assignment(name, value, 'config:Env', layer, 'ENV');
  }
  for (const [key, value] of Object.entries(config?.Labels ?? {})) {
    const layer = stepOf('LABEL', key);
    if (!scanText(`${key}=${value}`, 'config:Labels', layer)) assignment(key, value, 'config:Labels', layer, 'LABEL');
  }
  for (const field of ['Entrypoint', 'Cmd'] as const) {
    const argv = config?.[field];
    if (argv && argv.length > 0) scanText(argv.join(' '), `config:${field}`, null);
  }
  refs.forEach((layer, i) => {
    const by = layer.createdBy;
    if (!by) return;
    const path = `history:${i}`;
    scanText(by, path, layer);
    for (const [name, value] of buildArgsOf(by)) assignment(name, value, path, layer, 'build arg');
  });
  return { findings: findings.map((f) => (f.layer ? { ...f, layer: { ...f.layer, createdBy: maskAll(f.layer.createdBy, reported, detector.mask) } } : f)), secrets: [...reported] };
}

/** The seam into the orchestrator: appends config and history findings to the report. */
export function imageConfigSecretsPostProcessor(detector: SecretDetector = secretDetector()): ReportPostProcessor {
  return (report, ctx) => {
    const { findings, secrets } = scanImageConfigDetailed(ctx.config.config, ctx.config.history, ctx.config.rootfs.diff_ids, detector);
    return redactSecretsInHistory({ ...report, sensitive: [...(report.sensitive ?? []), ...findings] }, secrets, detector.mask);
  };
}
