import { waitUntil } from '@calsync/test-support';

/** One server-sent event as a client sees it. */
export interface SseEvent {
  id: string | undefined;
  data: string;
}

/** A test's connection to an SSE route: what it received so far (events and comment lines), and a way to cut it. */
export interface SseConnection {
  status: number;
  contentType: string | null;
  events: SseEvent[];
  comments: string[];
  /** True once the server ended the stream (or the connection broke). */
  readonly ended: boolean;
  /** Waits until `check` holds over what was received, failing with what was received after `timeoutMs`. */
  until(check: (events: SseEvent[], comments: string[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Drops the connection from the client's side, as a network failure would. */
  abort(): void;
}

/** Opens `url` with fetch and parses the event stream as it arrives (the SSE format's field lines). */
export async function openSse(url: string, headers: Record<string, string>): Promise<SseConnection> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  let ended = false;
  const reading = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        parseBlock(buffer.slice(0, end), events, comments);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
      }
    }
  })()
    .catch(() => {})
    .finally(() => {
      ended = true;
    });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    events,
    comments,
    get ended() {
      return ended;
    },
    async until(check, timeoutMs = 10_000) {
      // The value read is the ids received so far: a timeout shows them.
      await waitUntil(
        'the stream to hold the check',
        () => events.map((e) => e.id),
        () => check(events, comments),
        { timeoutMs, intervalMs: 10 },
      );
    },
    abort() {
      controller.abort();
      void reading;
    },
  };
}

function parseBlock(block: string, events: SseEvent[], comments: string[]) {
  let id: string | undefined;
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) comments.push(line.slice(1).trim());
    else if (line.startsWith('id: ')) id = line.slice(4);
    else if (line.startsWith('data: ')) data.push(line.slice(6));
  }
  if (data.length > 0) events.push({ id, data: data.join('\n') });
}
