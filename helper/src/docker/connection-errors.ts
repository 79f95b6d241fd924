/**
 * Why a connection to an engine failed, in words that say what to fix: the TLS folder's CA
 * did not sign the daemon's certificate, the daemon refused the client certificate, the SSH
 * host refused the key or changed its host key, or the daemon simply is not there.
 */
import { describeTarget, type DockerTarget } from './target.ts';

type ErrorLike = { code?: string; message?: string; statusCode?: number; level?: string };

const CA_MISMATCH = new Set(['SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_SIGNATURE_FAILURE']);

/** A human sentence for a failed connection, or null when the error is an API answer (not a connection problem). */
export function describeConnectionError(error: unknown, target: DockerTarget | null): string | null {
  const e = (error ?? {}) as ErrorLike;
  const code = e.code ?? '';
  const message = e.message ?? String(error);
  const where = target ? describeTarget(target) : 'the engine';
  const tlsDir = target?.kind === 'tcp' ? target.tlsDir : null;
  if (CA_MISMATCH.has(code)) return `${where}: its TLS certificate is not signed by the CA in ${tlsDir ? 'the TLS folder\'s ca.pem' : 'the TLS folder'} (${code}); use the CA that signed the daemon's certificate`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `${where}: its TLS certificate is not issued for this host name or address (${message})`;
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') return `${where}: its TLS certificate is not valid now (${code})`;
  if (/alert (bad certificate|certificate required|unknown ca)|ERR_SSL_.*ALERT/i.test(`${code} ${message}`)) return `${where}: the daemon refused the client certificate (cert.pem and key.pem of the TLS folder): ${message}`;
  if (/wrong version number|packet length too long|ERR_SSL_WRONG_VERSION_NUMBER/i.test(`${code} ${message}`)) return `${where}: the daemon does not speak TLS on this port (${message})`;
  if (/Host denied \(verification failed\)/.test(message)) return `${where}: the SSH host key is not the one pinned at first contact; if the host was reinstalled, remove the engine and add it again`;
  if (/All configured authentication methods failed/.test(message)) return `${where}: the SSH server refused the key (check the user, key=FILE or the SSH agent, and authorized_keys)`;
  if (/Timed out while waiting for handshake/.test(message)) return `${where}: no SSH answer within 10 s`;
  if (target?.kind === 'ssh' && /docker system dial-stdio|command not found|exit code|Unsupported/i.test(message)) return `${where}: the host could not run 'docker system dial-stdio' (is the docker CLI installed there, and is the user in the docker group?): ${message}`;
  if (unreachableCodes.has(code)) return `${where} is not reachable (${code})`;
  if (!e.statusCode && /timeout|socket hang up|connect|closed|ended|EOF/i.test(message)) return `${where} is not reachable (${message})`;
  if (e.level === 'client-socket' || e.level === 'client-timeout' || e.level === 'client-authentication') return `${where}: ${message}`;
  return null;
}

/** Error codes that mean "the daemon is not there", as opposed to an API error answer. */
export const unreachableCodes = new Set(['ECONNREFUSED', 'ENOENT', 'EACCES', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ESOCKETTIMEDOUT']);
