/**
 * A TCP proxy in front of the real Docker socket, for tests where Docker "goes away": the
 * helper runs with DOCKER_HOST=tcp://127.0.0.1:<port> and the test cuts and restores the
 * proxy, so the dockerd itself is never stopped. It forwards to DOCKER_HOST's socket when set.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** The engine the tests use: DOCKER_HOST's socket when it names one (a daemon of one's own), else the default. */
function engineSocket(): string {
  const host = process.env.DOCKER_HOST;
  return host?.startsWith('unix://') ? host.slice('unix://'.length) : '/var/run/docker.sock';
}

export class DockerProxy {
  private server: Server | null = null;
  private sockets = new Set<Socket>();
  constructor(readonly port: number) {}

  async up(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = createConnection(engineSocket());
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  /** Like a daemon dying: refuse new connections, drop the open ones (the save stream too). */
  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}
