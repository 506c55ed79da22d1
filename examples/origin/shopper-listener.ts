/**
 * The shopper-facing listening socket, which `down`/`flap` on "/" can really take away:
 * closing it makes clients get ECONNREFUSED, reopening it listens on the same port again.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** Owns a Node HTTP server's listening state and its open sockets. */
export class ShopperListener {
  readonly #server: Server;
  readonly #host: string;
  readonly #sockets = new Set<Socket>();
  #port: number;
  #listening = false;
  #closed = false;
  #queue: Promise<void> = Promise.resolve();

  /** `port` 0 picks a free port on the first {@link listen}; later re-listens reuse it. */
  constructor(server: Server, options: { host: string; port: number }) {
    this.#server = server;
    this.#host = options.host;
    this.#port = options.port;
    server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
  }

  /** The port being (or last) listened on. */
  get port(): number {
    return this.#port;
  }

  /** Whether connections are accepted right now. */
  get listening(): boolean {
    return this.#listening;
  }

  /** Starts listening for the first time; resolves with the bound port. */
  async listen(): Promise<number> {
    await this.#open();
    return this.#port;
  }

  /**
   * Opens (`true`) or shuts (`false`) the listener. Calls are applied in order; the promise settles
   * once this one is applied. Shutting also destroys every open socket, keep-alive ones included.
   */
  setAvailable(available: boolean): Promise<void> {
    const step = this.#queue.then(() => {
      if (this.#closed) return;
      return available ? this.#open() : this.#shut();
    });
    this.#queue = step.catch(() => {});
    return step;
  }

  /** Resolves once every queued {@link setAvailable} has been applied. */
  settled(): Promise<void> {
    return this.#queue;
  }

  /** Destroys every open socket (hung requests included) without touching the listening state. */
  destroySockets(): void {
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
  }

  /** Stops for good: no more listening, every socket destroyed. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#queue;
    await this.#shut();
  }

  #open(): Promise<void> {
    if (this.#listening) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => {
        this.#server.off('listening', onListening);
        reject(error);
      };
      const onListening = () => {
        this.#server.off('error', onError);
        const address = this.#server.address();
        if (address !== null && typeof address === 'object') this.#port = address.port;
        this.#listening = true;
        resolve();
      };
      this.#server.once('error', onError);
      this.#server.once('listening', onListening);
      this.#server.listen(this.#port, this.#host);
    });
  }

  #shut(): Promise<void> {
    if (!this.#listening) {
      this.destroySockets();
      return Promise.resolve();
    }
    this.#listening = false;
    return new Promise((resolve) => {
      // close() stops accepting at once; its callback waits for open connections, which we end now.
      this.#server.close(() => resolve());
      this.destroySockets();
    });
  }
}
