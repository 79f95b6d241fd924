/**
 * HTTP over SSH for ssh:// engines, as the docker CLI does it: each HTTP connection is a
 * `docker system dial-stdio` run on the host, over one SSH connection kept open and shared by
 * every request of the engine (docker-modem's own ssh support opens a new SSH connection per
 * request and breaks on request timeouts). At most MAX_CHANNELS at once: sshd's MaxSessions is
 * 10 by default. A dropped connection is opened again by the next request.
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { Client, type ClientChannel, type ConnectConfig } from 'ssh2';

const MAX_CHANNELS = 8;
const MAX_STDERR = 2048;
/** A channel the host does not open in this time means the connection is dead (a host that went away unnoticed). */
const OPEN_TIMEOUT_MS = 10_000;

export class SshTunnelAgent extends http.Agent {
  private connection: Promise<Client> | null = null;
  private client: Client | null = null;
  /** Channels by connection: when a connection dies, its channels (idle ones in the pool too) must close with it. */
  private readonly channels = new WeakMap<Client, Set<Duplex>>();

  constructor(private readonly config: ConnectConfig) {
    super({ keepAlive: true, maxSockets: MAX_CHANNELS, maxTotalSockets: MAX_CHANNELS });
  }

  override createConnection(_options: unknown, callback: (error: Error | null, socket?: Duplex) => void): undefined {
    this.connect().then(
      (client) => {
        let answered = false;
        const answer = (error: Error | null, socket?: Duplex) => {
          if (answered) return;
          answered = true;
          clearTimeout(timer);
          callback(error, socket);
        };
        const timer = setTimeout(() => {
          this.drop(client);
          answer(new Error(`the SSH connection stopped answering (no channel within ${OPEN_TIMEOUT_MS / 1000} s)`));
        }, OPEN_TIMEOUT_MS);
        timer.unref();
        try {
          client.exec('docker system dial-stdio', (error, channel) => {
            if (error) return answer(error);
            const socket = socketLike(channel);
            const open = this.channels.get(client);
            open?.add(socket);
            socket.once('close', () => open?.delete(socket));
            answer(null, socket);
          });
        } catch (error) {
          this.drop(client);
          answer(error as Error);
        }
      },
      (error: Error) => callback(error),
    );
    return undefined;
  }

  override destroy(): void {
    super.destroy();
    this.client?.end();
    this.client = null;
    this.connection = null;
  }

  /** Forgets a connection that failed; the next request opens a new one. */
  private drop(client: Client): void {
    if (this.client === client) {
      this.client = null;
      this.connection = null;
    }
    client.end();
    this.closeChannels(client, new Error('the SSH connection closed'));
  }

  private closeChannels(client: Client, reason: Error): void {
    for (const socket of this.channels.get(client) ?? []) socket.destroy(reason);
    this.channels.get(client)?.clear();
  }

  private connect(): Promise<Client> {
    this.connection ??= new Promise<Client>((resolve, reject) => {
      const client = new Client();
      this.channels.set(client, new Set());
      let ready = false;
      const forget = () => {
        if (this.client === client) this.client = null;
        if (this.client === null) this.connection = null;
        this.closeChannels(client, new Error('the SSH connection closed'));
      };
      client.on('ready', () => {
        ready = true;
        this.client = client;
        resolve(client);
      });
      client.on('error', (error) => {
        forget();
        if (!ready) reject(error);
      });
      client.on('close', forget);
      client.on('end', forget);
      client.connect(this.config);
    });
    return this.connection;
  }
}

/**
 * An SSH channel where node's HTTP client expects a socket: idle timeouts (docker-modem's
 * request timeout), and no-op TCP options. What `docker system dial-stdio` says on stderr
 * becomes the error when it fails.
 */
function socketLike(channel: ClientChannel): Duplex {
  let idleMs = 0;
  let timer: NodeJS.Timeout | null = null;
  const arm = () => {
    if (timer) clearTimeout(timer);
    timer = idleMs > 0 ? setTimeout(() => channel.emit('timeout'), idleMs) : null;
    timer?.unref();
  };
  const push = channel.push.bind(channel);
  channel.push = (chunk: unknown, encoding?: BufferEncoding) => {
    if (idleMs) arm();
    return push(chunk, encoding);
  };
  let stderr = '';
  channel.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < MAX_STDERR) stderr += chunk.toString();
  });
  channel.on('exit', (code: number | null) => {
    if (code) (channel as Duplex).destroy(new Error(`docker system dial-stdio exited with ${code} on the host${stderr.trim() ? `: ${stderr.trim().slice(0, 500)}` : ''}`));
  });
  channel.once('close', () => timer && clearTimeout(timer));
  return Object.assign(channel, {
    setTimeout(ms: number, onTimeout?: () => void) {
      idleMs = ms;
      if (onTimeout) channel.once('timeout', onTimeout);
      arm();
      return channel;
    },
    setNoDelay: () => channel,
    setKeepAlive: () => channel,
    ref: () => channel,
    unref: () => channel,
  }) as unknown as Duplex;
}
