/**
 * What repurposing needs to know about a platform, as data. Lengths are in graphemes (what a
 * reader sees as characters); `urlLength` is the fixed weight platforms that shorten links
 * give every URL. These are the platforms' published limits for a standard account; a target
 * may pass its own `maxLength` (e.g. for a premium account), and an unknown platform must.
 * A connector's own declared limits still decide at publish time.
 */
export interface PlatformProfile {
  /** Longest post; null for long-form platforms without a practical limit. */
  maxLength: number | null;
  urlLength?: number;
  /** Posts in one thread, when the platform threads replies. */
  threadMaxPosts: number;
  /** Slides in one carousel. */
  carouselMaxSlides: number;
  /** Hashtags a post carries before they read as spam. */
  maxHashtags: number;
  /** Seconds a video script is written for, at 150 spoken words a minute. */
  videoSeconds: number;
}

const base = { threadMaxPosts: 25, carouselMaxSlides: 10, maxHashtags: 3, videoSeconds: 60 } as const;

export const PLATFORM_PROFILES: Readonly<Record<string, PlatformProfile>> = {
  x: { ...base, maxLength: 280, urlLength: 23, maxHashtags: 2 },
  twitter: { ...base, maxLength: 280, urlLength: 23, maxHashtags: 2 },
  bluesky: { ...base, maxLength: 300 },
  mastodon: { ...base, maxLength: 500, urlLength: 23, maxHashtags: 5 },
  threads: { ...base, maxLength: 500, maxHashtags: 1 },
  linkedin: { ...base, maxLength: 3000, maxHashtags: 5, threadMaxPosts: 1 },
  facebook: { ...base, maxLength: 63206, threadMaxPosts: 1 },
  instagram: { ...base, maxLength: 2200, maxHashtags: 10, threadMaxPosts: 1, videoSeconds: 90 },
  tiktok: { ...base, maxLength: 2200, maxHashtags: 5, threadMaxPosts: 1 },
  youtube: { ...base, maxLength: 5000, threadMaxPosts: 1, videoSeconds: 180 },
  pinterest: { ...base, maxLength: 500, maxHashtags: 5, threadMaxPosts: 1 },
  wordpress: { ...base, maxLength: null, maxHashtags: 0 },
  ghost: { ...base, maxLength: null, maxHashtags: 0 },
  medium: { ...base, maxLength: null, maxHashtags: 0 },
};

/** A short post with no platform named, or on a long-form platform. */
export const DEFAULT_POST_LENGTH = 500;

/** The profile of a platform id; own keys only, so "constructor" is just an unknown platform. */
export const profileOf = (platform: string | null | undefined): PlatformProfile | undefined =>
  platform && Object.hasOwn(PLATFORM_PROFILES, platform) ? PLATFORM_PROFILES[platform] : undefined;
