// Test fixture for shutdown.test.ts, not part of service-kit: the smallest server that shuts down through
// closeOnSignals, so a test can start it the way a deploy script or `pnpm start` would.
// It listens on the port given as its argument, answers GET /healthz, and prints `pid <n>` once listening and `exit <code>` when it ends:
// the test is not always its parent, so this line is how it learns the exit code.
import { writeSync } from 'node:fs';
import { createServer } from 'node:http';
import { closeOnSignals } from '../src/shutdown.ts';

const server = createServer((request, response) => {
  response.writeHead(request.url === '/healthz' ? 200 : 404).end();
});
process.on('exit', (code) => writeSync(1, `exit ${code}\n`));
server.listen(Number(process.argv[2]), '127.0.0.1', () => writeSync(1, `pid ${process.pid}\n`));

closeOnSignals(
  () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  {
    info: (msg) => writeSync(2, `${msg}\n`),
    error: (obj, msg) => writeSync(2, `${msg}: ${String((obj as { err?: unknown }).err)}\n`),
  },
);
