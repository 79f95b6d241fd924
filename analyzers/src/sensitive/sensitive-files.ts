/**
 * Sensitive files recognised by name (and confirmed by content): SSH and TLS private keys,
 * keystores, dotenv files, package-registry and VCS credentials, Docker and Kubernetes
 * client configs, password files with real hashes. Each check sees the file's path and text
 * and returns hits with the line they are on.
 */
import type { Severity } from '@shipshape/shared';
import type { SensitiveType } from './rules.ts';

export interface FileRuleHit {
  ruleId: string;
  name: string;
  type: SensitiveType;
  severity: Severity;
  /** What the masked match is made from (a few leading characters are shown). */
  secret: string;
  line: number | null;
  recommendation: string;
}

interface FileRule {
  id: string;
  name: string;
  type: SensitiveType;
  severity: Severity;
  recommendation: string;
  /** Cheap test on the path (runs for every file). */
  matchPath(path: string, base: string): boolean;
  /** Confirms from the content; returns the secrets found (empty: not sensitive after all). */
  inspect(text: string): Array<{ secret: string; line: number | null }>;
  /** Binary content is expected (keystores): skip the text-only checks. */
  binary?: boolean;
}

const ROTATE = 'Remove the file from the image (a .dockerignore entry, or a multi-stage build that does not copy it), then revoke and rotate what it contains.';

const PEM_PRIVATE = /-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----/;

/** Every line (1-based) matching `re`, with capture group 1 (or the match) as the secret. */
function linesMatching(text: string, re: RegExp): Array<{ secret: string; line: number }> {
  const out: Array<{ secret: string; line: number }> = [];
  text.split('\n').forEach((line, i) => {
    const m = re.exec(line);
    if (m) out.push({ secret: m[1] ?? m[0], line: i + 1 });
  });
  return out;
}

function firstLineOf(text: string, re: RegExp): number | null {
  const m = re.exec(text);
  if (!m) return null;
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < m.index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function pemKeys(text: string): Array<{ secret: string; line: number | null }> {
  const line = firstLineOf(text, PEM_PRIVATE);
  if (line === null) return [];
  const body = /PRIVATE KEY(?: BLOCK)?-----\s*\n([A-Za-z0-9+/=\s:,-]{40,})/.exec(text);
  // An empty or placeholder body (documentation) is not a key.
  return body ? [{ secret: body[1]!.replace(/\s+/g, '').slice(0, 16), line }] : [];
}

const SHADOW_HASH = /^([^:\s]+):(\$[0-9a-z]+\$[^:]+|[A-Za-z0-9./]{13}):/;

export const FILE_RULES: FileRule[] = [
  {
    id: 'file-ssh-private-key',
    name: 'SSH private key file',
    type: 'private_key',
    severity: 'critical',
    recommendation: `${ROTATE} Remove the key from every authorized_keys it grants access to.`,
    matchPath: (_p, base) => /^id_(?:rsa|dsa|ecdsa|ed25519)(?:_sk)?$/.test(base) || /^ssh_host_.*_key$/.test(base),
    inspect: pemKeys,
  },
  {
    id: 'file-private-key',
    name: 'Private key file',
    type: 'private_key',
    severity: 'critical',
    recommendation: `${ROTATE} Replace any certificate issued for the key.`,
    matchPath: (_p, base) => /\.(?:pem|key|p8|pk8)$/i.test(base),
    inspect: pemKeys,
  },
  {
    id: 'file-pkcs12-keystore',
    name: 'PKCS#12 keystore',
    type: 'private_key',
    severity: 'high',
    recommendation: ROTATE,
    matchPath: (_p, base) => /\.(?:p12|pfx)$/i.test(base),
    inspect: (text) => (text.length > 0 ? [{ secret: 'PKCS12', line: null }] : []),
    binary: true,
  },
  {
    id: 'file-dotenv',
    name: 'Environment (.env) file',
    type: 'config',
    severity: 'medium',
    recommendation: 'Do not copy .env files into images; pass configuration as runtime environment or secrets.',
    matchPath: (_p, base) => /^\.env(?:\.(?!example$|sample$|template$|dist$|defaults?$)[\w-]+)?$/i.test(base),
    inspect: (text) => {
      const vars = linesMatching(text, /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*\S/);
      return vars.length > 0 ? [{ secret: vars.map((v) => v.secret).join(','), line: vars[0]!.line }] : [];
    },
  },
  {
    id: 'file-npmrc-credentials',
    name: 'npm credentials (.npmrc)',
    type: 'token',
    severity: 'high',
    recommendation: 'Mount .npmrc as a BuildKit secret (RUN --mount=type=secret) instead of copying it; revoke the token.',
    matchPath: (_p, base) => base === '.npmrc' || base === 'npmrc',
    inspect: (text) => linesMatching(text, /_(?:authToken|auth|password)\s*=\s*["']?([^\s"'$][^\s"']{3,})/),
  },
  {
    id: 'file-pypirc-credentials',
    name: 'PyPI credentials (.pypirc)',
    type: 'password',
    severity: 'high',
    recommendation: 'Use a BuildKit secret or trusted publishing instead of a .pypirc in the image; revoke the token.',
    matchPath: (_p, base) => base === '.pypirc',
    inspect: (text) => linesMatching(text, /^\s*password\s*[=:]\s*(\S.*?)\s*$/),
  },
  {
    id: 'file-git-credentials',
    name: 'Git credentials (.git-credentials)',
    type: 'credential',
    severity: 'critical',
    recommendation: 'Remove .git-credentials from the image and revoke the tokens it holds; use BuildKit secrets or SSH forwarding for private repositories.',
    matchPath: (_p, base) => base === '.git-credentials',
    inspect: (text) => linesMatching(text, /^[a-z][a-z0-9+.-]*:\/\/[^:@\s]+:([^@\s]+)@/i),
  },
  {
    id: 'file-netrc-credentials',
    name: 'Login credentials (.netrc / .pgpass)',
    type: 'password',
    severity: 'high',
    recommendation: ROTATE,
    matchPath: (_p, base) => base === '.netrc' || base === '_netrc' || base === '.pgpass',
    inspect: (text) => [
      ...linesMatching(text, /\bpassword\s+(\S+)/),
      ...linesMatching(text, /^[^#:\s][^:]*:[^:]*:[^:]*:[^:]*:(.+)$/),
    ],
  },
  {
    id: 'file-docker-config-auth',
    name: 'Docker registry credentials (config.json)',
    type: 'credential',
    severity: 'high',
    recommendation: 'Remove the Docker client config from the image (it holds registry logins) and rotate the registry password or token.',
    matchPath: (p) => /(?:^|\/)\.docker\/config\.json$/.test(p),
    inspect: (text) => {
      try {
        const doc = JSON.parse(text) as { auths?: Record<string, { auth?: string; identitytoken?: string; password?: string }> };
        return Object.entries(doc.auths ?? {})
          .filter(([, v]) => v && (v.auth || v.identitytoken || v.password))
          .map(([registry, v]) => ({ secret: v.auth ?? v.identitytoken ?? v.password ?? registry, line: firstLineOf(text, new RegExp(`"${registry.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`)) }));
      } catch {
        return [];
      }
    },
  },
  {
    id: 'file-kubeconfig',
    name: 'Kubernetes client config with credentials',
    type: 'credential',
    severity: 'critical',
    recommendation: 'Remove the kubeconfig from the image and revoke the client certificate or token it contains.',
    matchPath: (p, base) => /(?:^|\/)\.kube\/config$/.test(p) || /^kubeconfig(?:[._-].*)?$/i.test(base) || /^\/etc\/kubernetes\/[^/]+\.conf$/.test(p),
    inspect: (text) =>
      /\bkind:\s*Config\b/.test(text) || /\bclusters:/.test(text)
        ? linesMatching(text, /^\s*(?:client-key-data|token|password):\s*["']?([^\s"']{8,})/)
        : [],
  },
  {
    id: 'file-shadow-password-hash',
    name: 'Password hash in shadow file',
    type: 'password',
    severity: 'high',
    recommendation: 'Lock the account (a `*` or `!` hash) in the image, and set passwords at runtime if at all; hashes can be cracked offline.',
    matchPath: (p) => p === '/etc/shadow' || p === '/etc/gshadow' || /(?:^|\/)\.htpasswd$/.test(p),
    inspect: (text) =>
      text.split('\n').flatMap((line, i) => {
        const m = SHADOW_HASH.exec(line);
        return m ? [{ secret: `${m[1]}:${m[2]}`, line: i + 1 }] : [];
      }),
  },
];

/** File rules whose path test matches (cheap; for `required()`). */
export function fileRulesFor(path: string): FileRule[] {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return FILE_RULES.filter((r) => r.matchPath(path, base));
}

export function inspectSensitiveFile(path: string, content: Buffer, isBinary: boolean): FileRuleHit[] {
  const hits: FileRuleHit[] = [];
  const rules = fileRulesFor(path);
  if (rules.length === 0) return hits;
  const text = content.toString('latin1');
  for (const rule of rules) {
    if (isBinary && !rule.binary) continue;
    for (const found of rule.inspect(text)) {
      hits.push({ ruleId: rule.id, name: rule.name, type: rule.type, severity: rule.severity, secret: found.secret, line: found.line, recommendation: rule.recommendation });
    }
  }
  return hits;
}
