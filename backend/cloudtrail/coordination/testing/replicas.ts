/** Test "replicas": each its own Redis connection with the coordination built on it. */
import { redisConfig } from '../config';
import { RedisLink } from '../redisLink';

export class LinkPool {
  private readonly links: RedisLink[] = [];
  private counter = 0;

  /** A fresh key prefix, so tests sharing one redis-server do not see each other's keys. */
  nextPrefix(): string {
    return `test${process.pid}-${++this.counter}:`;
  }

  open(url: string, prefix: string, env: Record<string, string> = {}): RedisLink {
    const config = redisConfig({ CLOUDTRAIL_REDIS_URL: url, CLOUDTRAIL_REDIS_PREFIX: prefix, ...env })!;
    const link = new RedisLink(config);
    this.links.push(link);
    return link;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.links.splice(0).map((l) => l.close()));
  }
}
