/** The Lua scripts this layer defines on its ioredis client (defineCommand), typed. */
import type { Result } from 'ioredis';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    cloudtrailQuota(...keysAndArgs: Array<string | number>): Result<unknown, Context>;
    /** -1 when taken, else the holder's remaining ms. */
    cloudtrailLock(key: string, owner: string, ttlMs: number): Result<number, Context>;
    /** 1 when the lock was still ours (and was renewed). */
    cloudtrailRenew(key: string, owner: string, ttlMs: number): Result<number, Context>;
    /** 1 when the lock was still ours (and is now gone). */
    cloudtrailUnlock(key: string, owner: string): Result<number, Context>;
    /** 1 when the refresh lease is (now) ours, 0 when another replica holds it. */
    cloudtrailLease(key: string, owner: string, ttlMs: number): Result<number, Context>;
    /** 1 when the lease was ours (and is now gone). */
    cloudtrailLeaseRelease(key: string, owner: string): Result<number, Context>;
    cloudtrailTrack(key: string, ...args: Array<string | number>): Result<number, Context>;
  }
}
