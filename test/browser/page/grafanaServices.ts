/**
 * The Grafana services the plugin's code calls, provided the way Grafana provides them: a
 * BackendSrv whose fetch goes over real HTTP to the test server (standing in for Grafana's
 * /api/datasources/uid/<uid>/resources route), an event bus and a template service.
 */
import { EventBusSrv } from '@grafana/data';
import { setAppEvents, setBackendSrv, setTemplateSrv, type BackendSrv, type BackendSrvRequest } from '@grafana/runtime';
import { Observable } from 'rxjs';

import { FakeTemplateSrv } from '../../../src/testing/fakeTemplateSrv';

/** fetch() with Grafana's FetchResponse/FetchError shapes: failures carry status and the JSON body. */
function fetchLikeGrafana(request: BackendSrvRequest) {
  return new Observable((subscriber) => {
    const url = new URL(request.url, window.location.origin);
    for (const [key, value] of Object.entries(request.params ?? {})) {
      url.searchParams.set(key, String(value));
    }
    const controller = new AbortController();
    window
      .fetch(url, { method: request.method ?? 'GET', headers: request.headers, signal: controller.signal })
      .then(async (response) => {
        const text = await response.text();
        let data: unknown = text;
        try {
          data = JSON.parse(text);
        } catch {}
        const result = {
          data,
          status: response.status,
          statusText: response.statusText,
          ok: response.ok,
          url: url.href,
        };
        if (response.ok) {
          subscriber.next(result);
          subscriber.complete();
        } else {
          subscriber.error(result);
        }
      })
      .catch((err: Error) => subscriber.error({ status: 0, statusText: err.message, data: { message: err.message } }));
    return () => controller.abort();
  });
}

export function provideGrafanaServices() {
  setBackendSrv({ fetch: fetchLikeGrafana } as unknown as BackendSrv);
  setAppEvents(new EventBusSrv());
  // One dashboard variable, so the editors' selects show how variables are offered.
  setTemplateSrv(new FakeTemplateSrv([{ name: 'region', current: 'us-east-1' }]));
}
