/**
 * The refresher's shared work list: per account + region, one sorted set of the series users
 * asked for (member: the series' descriptor, score: when last asked), so the replica holding the
 * refresh lease refreshes what users of every replica asked for. Bounded in Redis itself: each
 * note drops entries older than the window and all but the `max` most recently asked, and the set
 * expires when nobody asks any more. Members carry series fields only (event source and name,
 * insight type, error code, trail, period, data type, span), never credentials; the key name is
 * a hash of the account + region id (redisKeys.ts). Each member carries its MAC over the key and
 * itself (integrity/entrySeal.ts): one that fails it is dropped and counted, never refreshed.
 */
import { refuse } from './integrity/refusals';
import { redisKey } from './redisKeys';
import { UNAVAILABLE, type RedisLink } from './redisLink';
import type { Keyed, SeriesTracking, TrackedEntry, TrackingBounds } from '../types';

// ARGV: oldest score kept, max members, ttl ms, then score/member pairs. A score only moves forward.
const TRACK_SCRIPT = `
for i = 4, #ARGV, 2 do
  local old = redis.call('ZSCORE', KEYS[1], ARGV[i + 1])
  if not old or tonumber(old) < tonumber(ARGV[i]) then redis.call('ZADD', KEYS[1], ARGV[i], ARGV[i + 1]) end
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[2]) + 1))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return redis.call('ZCARD', KEYS[1])
`;

export class RedisSeriesTracking implements SeriesTracking {
  constructor(private readonly link: RedisLink) {
    link.defineScript('cloudtrailTrack', { numberOfKeys: 1, lua: TRACK_SCRIPT });
  }

  async note(scope: Keyed, entries: TrackedEntry[], bounds: TrackingBounds): Promise<void> {
    if (!entries.length) {
      return;
    }
    const name = redisKey(this.link.config.prefix, 'tracked', scope);
    const binding = { name, id: scope.id };
    const pairs = entries.flatMap((e) => [Math.round(e.askedAtMs), this.link.seal.sealText(binding, e.member)]);
    await this.link.attempt((c) =>
      c.cloudtrailTrack(name, Math.round(bounds.oldestMs), Math.max(1, bounds.max), Math.round(bounds.ttlMs), ...pairs)
    );
  }

  async list(scope: Keyed, oldestMs: number, max: number): Promise<TrackedEntry[] | undefined> {
    const name = redisKey(this.link.config.prefix, 'tracked', scope);
    const reply = await this.link.attempt((c) =>
      c.zrevrangebyscore(name, '+inf', Math.round(oldestMs), 'WITHSCORES', 'LIMIT', 0, Math.max(1, max))
    );
    if (reply === UNAVAILABLE) {
      return undefined;
    }
    const entries: TrackedEntry[] = [];
    for (let i = 0; i + 1 < reply.length; i += 2) {
      const opened = this.link.seal.openText({ name, id: scope.id }, reply[i]);
      if ('refused' in opened) {
        refuse('tracked', opened.refused);
      } else {
        entries.push({ member: opened.text, askedAtMs: Number(reply[i + 1]) });
      }
    }
    return entries;
  }
}
