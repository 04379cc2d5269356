import type { Redis } from "ioredis";
import { realSleep, type ChannelLimiter, type Sleep } from "./retry.server";

/**
 * Even spacing of one kind of request per channel, shared by every worker through Redis: each call
 * reserves the next free slot (`max(now, last slot) + 1/rate`, in Redis' own clock, so processes
 * with skewed clocks still agree) and sleeps until it. Unlike a fixed one-second window, this never
 * bursts two windows' worth at a boundary, so a sender paced at LINE's multicast limit is not
 * answered 429 (LINE refills its budget continuously). Used for broadcast multicasts.
 */
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, last + tonumber(ARGV[1]))
redis.call('SET', KEYS[1], slot, 'PX', 60000)
return slot - now`;

export function createPacer(opts: {
  redis: Redis;
  keyPrefix: string;
  perSecond: number;
  sleep?: Sleep;
}): ChannelLimiter {
  const intervalUs = Math.max(1, Math.round(1_000_000 / opts.perSecond));
  const sleep = opts.sleep ?? realSleep;
  return {
    async acquire(channelId: string) {
      const waitUs = Number(await opts.redis.eval(RESERVE, 1, `${opts.keyPrefix}:${channelId}`, intervalUs));
      if (waitUs > 0) await sleep(waitUs / 1000);
    },
  };
}

/** Both limits in turn: the channel's overall request budget, then the even spacing. */
export function chainLimiters(...limiters: (ChannelLimiter | null | undefined)[]): ChannelLimiter {
  const active = limiters.filter((l): l is ChannelLimiter => !!l);
  return {
    async acquire(channelId: string) {
      for (const l of active) await l.acquire(channelId);
    },
  };
}
