/**
 * TLS material for a test engine, made with openssl: a CA, a server certificate for
 * 127.0.0.1 (what dockerd --tlsverify serves) and client certificates in Docker's folder
 * layout (ca.pem, cert.pem, key.pem, as DOCKER_CERT_PATH), plus a folder whose ca.pem is
 * another CA's (a client that must refuse the server).
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type TestCertificates = {
  ca: string;
  serverCert: string;
  serverKey: string;
  /** ca.pem, cert.pem, key.pem signed by `ca`. */
  clientDir: string;
  /** The same client certificate and key, with another CA's ca.pem. */
  wrongCaDir: string;
};

const openssl = (...args: string[]) => run('openssl', args);
const newKey = (path: string) => openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path);

async function selfSignedCa(dir: string, name: string): Promise<{ cert: string; key: string }> {
  const key = join(dir, `${name}-key.pem`);
  const cert = join(dir, `${name}.pem`);
  await newKey(key);
  await openssl('req', '-x509', '-new', '-key', key, '-out', cert, '-days', '2', '-subj', `/CN=${name}`);
  return { cert, key };
}

async function signed(dir: string, name: string, ca: { cert: string; key: string }, extensions: string): Promise<{ cert: string; key: string }> {
  const key = join(dir, `${name}-key.pem`);
  const csr = join(dir, `${name}.csr`);
  const cert = join(dir, `${name}-cert.pem`);
  const ext = join(dir, `${name}.ext`);
  await newKey(key);
  await openssl('req', '-new', '-key', key, '-out', csr, '-subj', `/CN=${name}`);
  await writeFile(ext, extensions);
  await openssl('x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-out', cert, '-days', '2', '-extfile', ext);
  return { cert, key };
}

export async function makeTestCertificates(dir: string): Promise<TestCertificates> {
  await mkdir(dir, { recursive: true });
  const ca = await selfSignedCa(dir, 'shipshape-test-ca');
  const other = await selfSignedCa(dir, 'shipshape-other-ca');
  const server = await signed(dir, 'server', ca, 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  const client = await signed(dir, 'client', ca, 'extendedKeyUsage=clientAuth\n');
  const folder = async (name: string, caCert: string) => {
    const path = join(dir, name);
    await mkdir(path, { recursive: true });
    await copyFile(caCert, join(path, 'ca.pem'));
    await copyFile(client.cert, join(path, 'cert.pem'));
    await copyFile(client.key, join(path, 'key.pem'));
    return path;
  };
  return { ca: ca.cert, serverCert: server.cert, serverKey: server.key, clientDir: await folder('client', ca.cert), wrongCaDir: await folder('wrong-ca', other.cert) };
}
