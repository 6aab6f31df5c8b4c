import { create } from '@bufbuild/protobuf';
import * as pb from './gen/pluginv2_pb';
import { createEchoInstance } from './testing/echoInstance';
import { warmUpQueryData } from './warmUp';

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

const request = (query: unknown) => () =>
  create(pb.QueryDataRequestSchema, {
    pluginContext: { dataSourceInstanceSettings: { uid: 'warm', jsonData: json({}), lastUpdatedMS: 1n } },
    queries: [{ refId: 'A', json: json(query), timeRange: { fromEpochMS: 0n, toEpochMS: 3_600_000n } }],
  });

describe('warmUpQueryData', () => {
  it('runs the requested number of queries through the QueryData path', async () => {
    const asked: number[] = [];
    const result = await warmUpQueryData(
      createEchoInstance,
      (i) => {
        asked.push(i);
        return request({ points: 1440 })();
      },
      { count: 4, maxMs: 60_000 }
    );
    expect(result).toEqual({ requests: 4, failures: 0 });
    expect(asked).toEqual([0, 1, 2, 3]);
  });

  it('counts answers that carry an error, so a broken warm-up shows', async () => {
    const result = await warmUpQueryData(createEchoInstance, request({ fail: { message: 'no' } }), {
      count: 2,
      maxMs: 60_000,
    });
    expect(result).toEqual({ requests: 2, failures: 2 });
  });

  it('stops once its time is up, whatever the count', async () => {
    let clock = 0;
    const result = await warmUpQueryData(createEchoInstance, request({ points: 10 }), {
      count: 1_000,
      maxMs: 30,
      now: () => (clock += 10),
    });
    expect(result.requests).toBeLessThan(5);
  });
});
