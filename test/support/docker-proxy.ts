/**
 * A proxy in front of the real Docker socket (DOCKER_HOST's, default /var/run/docker.sock),
 * for tests where Docker "goes away": the helper runs with DOCKER_HOST=tcp://127.0.0.1:<port>
 * and the test cuts and restores the proxy, so the shared dockerd itself is never stopped.
 * Given a path instead of a port, it listens on a unix socket anyone may use (a helper
 * running as another user reaches Docker through it).
 */
import { chmod } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';

const upstreamSocket = () => (process.env.DOCKER_HOST?.startsWith('unix://') ? process.env.DOCKER_HOST.slice('unix://'.length) : '/var/run/docker.sock');

export class DockerProxy {
  private server: Server | null = null;
  private sockets = new Set<Socket>();
  constructor(readonly port: number | string) {}

  async up(): Promise<void> {
    const upstreamPath = upstreamSocket();
    this.server = createServer((client) => {
      const upstream = createConnection(upstreamPath);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    const listen = this.port;
    if (typeof listen === 'string') {
      await new Promise<void>((resolve) => this.server!.listen(listen, resolve));
      await chmod(listen, 0o666);
    } else await new Promise<void>((resolve) => this.server!.listen(listen, '127.0.0.1', resolve));
  }

  /** Like a daemon dying: refuse new connections, drop the open ones (the save stream too). */
  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}
