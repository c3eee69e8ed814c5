import { requirePermission } from '$lib/server/auth';
import { consoleServices } from '$lib/server/console-services';
import { currentOverview } from '$lib/server/overview-snapshot';
import type { RequestHandler } from './$types';

const INTERVAL_MS = 5_000;

/**
 * Server-sent events: the overview every 5 seconds while the page is open, so it updates
 * without reloading. The stream ends when the client goes away; nothing is written after that.
 */
export const GET: RequestHandler = async ({ locals, request }) => {
  requirePermission(locals.identity, 'view');
  const services = await consoleServices();
  const encoder = new TextEncoder();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let open = true;
  const stop = () => {
    open = false;
    clearTimeout(timer);
  };
  const stream = new ReadableStream({
    start(controller) {
      const send = (event: string, data: unknown) => {
        if (open) controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      };
      const push = async () => {
        try {
          const overview = await currentOverview(services);
          send('overview', overview);
        } catch (error) {
          send('problem', { message: (error as Error).message });
        }
        if (open) timer = setTimeout(() => void push(), INTERVAL_MS);
      };
      request.signal.addEventListener('abort', () => {
        stop();
        try {
          controller.close();
        } catch {
          // The runtime may have closed it already when the client went away.
        }
      });
      void push();
    },
    cancel: stop,
  });
  return new Response(stream, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' } });
};
