import { requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { loadOverview } from '$lib/server/overview';
import type { RequestHandler } from './$types';

const INTERVAL_MS = 5_000;

/**
 * Server-sent events: the overview every 5 seconds while the page is open, so it updates
 * without reloading. The stream ends when the client goes away.
 */
export const GET: RequestHandler = async ({ locals, request }) => {
  requirePermission(locals.identity, 'view');
  const services = await consoleServices();
  const encoder = new TextEncoder();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stream = new ReadableStream({
    start(controller) {
      const push = async () => {
        try {
          controller.enqueue(encoder.encode(`event: overview\ndata: ${JSON.stringify(await loadOverview(services))}\n\n`));
        } catch (error) {
          controller.enqueue(encoder.encode(`event: problem\ndata: ${JSON.stringify({ message: (error as Error).message })}\n\n`));
        }
        if (!request.signal.aborted) timer = setTimeout(push, INTERVAL_MS);
      };
      request.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        try {
          controller.close();
        } catch {
          // already closed
        }
      });
      void push();
    },
    cancel() {
      clearTimeout(timer);
    },
  });
  return new Response(stream, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' } });
};
