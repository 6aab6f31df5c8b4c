// Out-of-band control for a simulator running as a separate process (CLI, compose stack, Go interop
// harness): GET /__simulator/health, GET /__simulator/calls, POST /__simulator/reset, GET|POST /__simulator/faults (JSON body:
// a partial Faults object). No AWS auth; the simulator binds loopback unless told otherwise.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RunningSimulator } from '../types';

export const CONTROL_PREFIX = '/__simulator/';

export async function handleControl(req: IncomingMessage, res: ServerResponse, sim: RunningSimulator): Promise<void> {
  const path = (req.url ?? '').split('?')[0];
  const send = (status: number, value: unknown) => {
    const body = JSON.stringify(value);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  };
  try {
    if (path === `${CONTROL_PREFIX}health`) {
      return send(200, { status: 'ok' });
    }
    if (path === `${CONTROL_PREFIX}calls` && req.method === 'GET') {
      return send(200, { calls: sim.calls(), throttled: sim.throttled() });
    }
    if (path === `${CONTROL_PREFIX}reset` && req.method === 'POST') {
      sim.resetCounts();
      return send(200, { ok: true });
    }
    if (path === `${CONTROL_PREFIX}faults`) {
      if (req.method === 'POST') {
        const chunks: Buffer[] = [];
        for await (const chunk of req) {
          chunks.push(chunk as Buffer);
        }
        sim.setFaults(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
      }
      return send(200, sim.faults());
    }
    if (path === `${CONTROL_PREFIX}catalog` && req.method === 'GET') {
      const url = new URL(req.url ?? '', 'http://simulator');
      return send(
        200,
        sim.catalog(url.searchParams.get('region') ?? 'us-east-1', url.searchParams.get('accountId') ?? undefined)
      );
    }
    send(404, { message: `unknown control path ${path}` });
  } catch (e) {
    send(400, { message: (e as Error).message });
  }
}
