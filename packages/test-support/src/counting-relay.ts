import { once } from 'node:events';
import net from 'node:net';

/**
 * A TCP relay in front of PostgreSQL that counts what the client sends: one write per round trip it starts, and the
 * bytes.
 */
export async function openCountingRelay(databaseUrl: string) {
  const target = new URL(databaseUrl);
  const counter = { writes: 0, bytes: 0 };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    client.on('data', (chunk) => {
      counter.writes += 1;
      counter.bytes += chunk.length;
      upstream.write(chunk);
    });
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as net.AddressInfo).port);
  return {
    url: url.toString(),
    counter,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}
