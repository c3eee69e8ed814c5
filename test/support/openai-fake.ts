import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake answers to one chat completion: a body (JSON content string), an HTTP error, or a delay. */
export interface FakeReply {
  /** The assistant message content, usually JSON.stringify(answer). */
  content?: string;
  /** Answer with this HTTP status and an OpenAI-style error body instead. */
  status?: number;
  /** Wait this long before answering (to provoke client timeouts). */
  delayMs?: number;
  usage?: { prompt_tokens: number; completion_tokens: number };
  model?: string;
}

export interface OpenAiFake {
  /** Base URL to give the client, ending in /v1. */
  baseUrl: string;
  /** Every request body received, parsed, in order, with its headers. */
  requests: { body: Record<string, unknown>; raw: string; headers: IncomingMessage['headers'] }[];
  /** Replies used in order; once exhausted, the last one repeats. */
  replies: FakeReply[];
  close(): Promise<void>;
}

/**
 * An OpenAI-compatible HTTP server on 127.0.0.1:0 that answers POST /v1/chat/completions with
 * scripted replies: the LLM boundary, faked at the protocol level so the real SDK is exercised.
 */
export async function startOpenAiFake(replies: FakeReply[] = []): Promise<OpenAiFake> {
  const fake = { requests: [], replies } as unknown as OpenAiFake;
  let served = 0;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
        return;
      }
      const body = JSON.parse(raw) as Record<string, unknown>;
      fake.requests.push({ body, raw, headers: req.headers });
      const reply = fake.replies[Math.min(served++, fake.replies.length - 1)] ?? { content: '{}' };
      const send = () => {
        if (res.destroyed) return;
        if (reply.status && reply.status >= 400) {
          res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `fake error ${reply.status}`, type: 'server_error' } }));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            id: `chatcmpl-${served}`,
            object: 'chat.completion',
            created: Math.floor(Date.now() / 1000),
            model: reply.model ?? (body.model as string),
            choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: reply.content ?? '{}', refusal: null } }],
            usage: { ...(reply.usage ?? { prompt_tokens: 100, completion_tokens: 20 }), total_tokens: 0 },
          }),
        );
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs).unref();
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  fake.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
