import type { ScriptedPlatform } from '@markettina/plugin-social/testing';
import { allowedInWindow, allowedWithJitter, gcraReplay, maxInWindow, type DeclaredLimit } from './limits.js';

/** What the fake saw of one run, read from the posts it created (each stamped when it arrived). */
export interface PlatformCheck {
  created: number;
  /** Posts created beyond the first for a key: the same publication went out twice. */
  duplicates: number;
  /** Keys of the run for which no post exists. */
  missing: number;
  firstCreatedAt: number;
  lastCreatedAt: number;
  /** The most posts one account received in any window of the declared length. */
  maxPerWindow: number;
  /** What the declared budget lets into such a window. */
  allowedPerWindow: number;
  /** The same, allowing `toleranceMs` of jitter between metering a request and its arrival. */
  allowedWithJitter: number;
  toleranceMs: number;
  /** Arrivals more than `toleranceMs` earlier than the declared budget allows. */
  early: number;
  /** How much earlier than the budget allows the worst arrival came (0: none early). */
  worstEarlyMs: number;
  /** Publish requests the fake refused as over its own copy of the limit (after its tolerance). */
  overLimit: number;
}

/** Checks a run's posts on the fake: exactly one per key, and each account within its budget. */
export function checkPlatform(platform: ScriptedPlatform, refs: string[], limit: DeclaredLimit, overLimitBefore: number, toleranceMs: number): PlatformCheck {
  const wanted = new Set(refs);
  const perRef = new Map<string, number>();
  const perAccount = new Map<string, number[]>();
  let first = Infinity;
  let last = -Infinity;
  for (const post of platform.posts) {
    if (!post.ref || !wanted.has(post.ref)) continue;
    perRef.set(post.ref, (perRef.get(post.ref) ?? 0) + 1);
    const times = perAccount.get(post.account) ?? [];
    times.push(post.createdAt);
    perAccount.set(post.account, times);
    first = Math.min(first, post.createdAt);
    last = Math.max(last, post.createdAt);
  }
  const windowMs = limit.windowSeconds * 1000;
  let maxPerWindow = 0;
  let early = 0;
  let worstEarlyMs = 0;
  for (const times of perAccount.values()) {
    times.sort((a, b) => a - b);
    maxPerWindow = Math.max(maxPerWindow, maxInWindow(times, windowMs));
    const replay = gcraReplay(times, limit, toleranceMs);
    early += replay.early;
    worstEarlyMs = Math.max(worstEarlyMs, replay.worstMs);
  }
  let created = 0;
  let duplicates = 0;
  for (const n of perRef.values()) {
    created += n;
    duplicates += n - 1;
  }
  return {
    created,
    duplicates,
    missing: wanted.size - perRef.size,
    firstCreatedAt: first,
    lastCreatedAt: last,
    maxPerWindow,
    allowedPerWindow: allowedInWindow(limit, windowMs),
    allowedWithJitter: allowedWithJitter(limit, windowMs, toleranceMs),
    toleranceMs,
    early,
    worstEarlyMs,
    overLimit: platform.overLimit - overLimitBefore,
  };
}
