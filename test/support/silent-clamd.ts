/**
 * A clamd that never answers: it accepts connections on loopback and reads what is sent, but
 * says nothing. A scan that asks it waits (up to the client's timeout), so tests can hold images
 * in `scanning` for as long as they need, then end the wait by cancelling or closing.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export class SilentClamd {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  /** Connections accepted so far (a scan reached the clamd step). */
  connections = 0;

  async start(): Promise<string> {
    this.server = createServer((socket) => {
      this.connections++;
      this.sockets.add(socket);
      socket.on('data', () => undefined);
      socket.on('error', () => undefined);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }
}
