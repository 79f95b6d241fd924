import { z } from 'zod';
import { ENGINE_NAME_PATTERN, ENGINE_NAME_RULE } from './engine-name.ts';

/**
 * Docker engines the helper watches (GET/POST/DELETE /api/engines). An engine is one Docker
 * Engine API endpoint: the default one (DOCKER_HOST or the local socket), ones given at start
 * (`serve --engine NAME=URL`, SHIPSHAPE_ENGINES) and ones added at run time (persisted).
 * TLS keys and SSH keys stay files on the helper's machine: their paths are never part of
 * these answers.
 */
export const EngineName = z.string().regex(ENGINE_NAME_PATTERN, ENGINE_NAME_RULE);
export type EngineName = z.infer<typeof EngineName>;

export const engineKinds = ['unix', 'tcp', 'ssh'] as const;
export const EngineKind = z.enum(engineKinds);
export type EngineKind = z.infer<typeof EngineKind>;

/** default: DOCKER_HOST or the local socket; config: --engine / SHIPSHAPE_ENGINES; added: POST /api/engines (kept in the state). */
export const engineSources = ['default', 'config', 'added'] as const;
export const EngineSource = z.enum(engineSources);
export type EngineSource = z.infer<typeof EngineSource>;

export const Engine = z.object({
  name: EngineName,
  /** unix:///path, tcp://host:port or ssh://user@host:port (never a key or a path to one). */
  endpoint: z.string(),
  kind: EngineKind,
  /** tcp:// with TLS client certificates (from a folder in Docker's layout). */
  tls: z.boolean(),
  /** The Docker context it came from, if any. */
  context: z.string().nullable(),
  source: EngineSource,
  /** ssh:// only: the host key fingerprint the helper pinned (SHA256:…), once it connected. */
  hostKey: z.string().nullable(),
  online: z.boolean(),
  /** Why it is offline (or not connected yet). */
  message: z.string().nullable(),
});
export type Engine = z.infer<typeof Engine>;

export const EngineList = z.object({ items: z.array(Engine) });
export type EngineList = z.infer<typeof EngineList>;

const absolutePath = z.string().min(1).max(4096).regex(/^\//, 'must be an absolute path');

/**
 * POST /api/engines: either a URL (with a TLS folder for tcp://, an SSH key for ssh://) or the
 * name of one of the user's Docker contexts. The helper connects before it answers: a wrong
 * CA, a refused connection or a duplicate name is a 400 saying what to fix.
 */
export const AddEngineRequest = z
  .object({
    name: EngineName,
    url: z.string().min(1).max(2048).optional(),
    /** Folder with ca.pem, cert.pem and key.pem (as DOCKER_CERT_PATH). */
    tls: absolutePath.optional(),
    /** Private key file for ssh:// (default: the SSH agent, then ~/.ssh/id_ed25519, id_ecdsa, id_rsa). */
    sshKey: absolutePath.optional(),
    context: z.string().min(1).max(256).optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (!body.url === !body.context) ctx.addIssue({ code: 'custom', path: ['url'], message: 'give either url or context' });
    if (body.context && (body.tls || body.sshKey)) ctx.addIssue({ code: 'custom', path: ['context'], message: 'a context brings its own endpoint and TLS files' });
  });
export type AddEngineRequest = z.infer<typeof AddEngineRequest>;

/** One of the user's Docker contexts (`docker context ls`), as GET /api/engines/contexts lists them. */
export const DockerContext = z.object({
  name: z.string(),
  description: z.string(),
  endpoint: z.string(),
  tls: z.boolean(),
  /** The context `docker` uses now (currentContext in the Docker config). */
  current: z.boolean(),
  /** The engine already watching this context, if one is. */
  engine: z.string().nullable(),
});
export type DockerContext = z.infer<typeof DockerContext>;

export const DockerContextList = z.object({ items: z.array(DockerContext) });
export type DockerContextList = z.infer<typeof DockerContextList>;
