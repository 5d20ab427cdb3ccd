import { problems, type EventBus } from '@markettina/sdk';
import { POST_EVENTS, type ContentVersionCreatedData } from '../contracts.js';
import { STATUS_AFTER_EDIT } from '../domain/approval.js';
import { entityKey, extractEntities } from '../domain/entities.js';
import {
  applyContentPatch,
  assertExpectedVersion,
  assertVariantCount,
  changedFields,
  mediaAssetIds,
  normalizeContent,
  sameContent,
  textsOf,
  type ContentPatch,
  type VariantOverride,
  type VersionContent,
} from '../domain/posts.js';
import { assertCampaign } from './campaigns.js';
import type { ContentCaller } from './caller.js';
import type { MediaCatalog } from './posts-media.js';
import { getPost, lockPost, type PostView } from './posts-store.js';
import { assertNotScheduled } from './schedule-store.js';
import { contentOf, getVersion, insertVersion } from './versions.js';

export type NewPost = Partial<VersionContent> & { text: string; campaignId?: string | null };
export type PostPatch = ContentPatch & { campaignId?: string | null };

/**
 * Writing posts. Every change of content is a new version, written with the post row's lock
 * held; the event announcing it commits with it.
 */
export class PostService {
  constructor(
    private readonly events: EventBus,
    private readonly media: MediaCatalog,
  ) {}

  async create(c: ContentCaller, input: NewPost): Promise<PostView> {
    const { campaignId = null, ...fields } = input;
    const content = normalizeContent(fields);
    await this.check(c, content);
    await assertCampaign(c.campaigns, campaignId);
    const entities = extractEntities(textsOf(content));
    const [row] = (await c.db('content_posts')
      .insert({ account_id: c.accountId, title: content.title, campaign_id: campaignId, created_by: c.actorId, ...searchColumns(content, entities) })
      .returning('id')) as { id: string }[];
    const postId = row!.id;
    await insertVersion(c.db, { accountId: c.accountId, postId, version: 1, content, entities, restoredFrom: null, authorId: c.actorId });
    await this.announce(c, postId, 1, null, changedFields(undefined, content));
    return getPost(c.db, postId);
  }

  /** Changes content (a new version, unless nothing differs) and the campaign. */
  async update(c: ContentCaller, id: string, patch: PostPatch, expectedVersion?: number): Promise<PostView> {
    const current = await lockPost(c.db, id);
    assertExpectedVersion(current.version, expectedVersion);
    const { campaignId, ...contentPatch } = patch;
    const next = applyContentPatch(contentOf(current), contentPatch);
    const moveCampaign = campaignId !== undefined && campaignId !== current.campaignId;
    const newContent = !sameContent(contentOf(current), next);
    if (!moveCampaign && !newContent) return current;
    await assertNotScheduled(c.db, id);
    if (moveCampaign) {
      await assertCampaign(c.campaigns, campaignId);
      await c.db('content_posts').where({ id }).update({ campaign_id: campaignId, updated_at: c.db.fn.now() });
    }
    if (newContent) await this.newVersion(c, current, next, null);
    return getPost(c.db, id);
  }

  /** A new version with the content of an old one; the old one stays as it was. */
  async restore(c: ContentCaller, id: string, version: number, expectedVersion?: number): Promise<PostView> {
    const current = await lockPost(c.db, id);
    assertExpectedVersion(current.version, expectedVersion);
    const old = await getVersion(c.db, id, version);
    if (version === current.version) throw problems.conflict('VERSION_IS_CURRENT', `version ${version} is the current version`, { version });
    await assertNotScheduled(c.db, id);
    await this.newVersion(c, current, normalizeContent(contentOf(old)), version);
    return getPost(c.db, id);
  }

  async setVariant(c: ContentCaller, id: string, platform: string, override: VariantOverride, expectedVersion?: number): Promise<PostView> {
    const current = await lockPost(c.db, id);
    return this.update(c, id, { variants: { ...current.variants, [platform]: override } }, expectedVersion);
  }

  async removeVariant(c: ContentCaller, id: string, platform: string, expectedVersion?: number): Promise<PostView> {
    const current = await lockPost(c.db, id);
    if (!Object.hasOwn(current.variants, platform)) throw problems.notFound('variant', `the post has no variant for ${platform}`);
    const variants = { ...current.variants };
    delete variants[platform];
    return this.update(c, id, { variants }, expectedVersion);
  }

  /** Deletes a post with its versions and schedule history; not while it is in flight. */
  async remove(c: ContentCaller, id: string, expectedVersion?: number): Promise<void> {
    const current = await lockPost(c.db, id);
    assertExpectedVersion(current.version, expectedVersion);
    await assertNotScheduled(c.db, id);
    await c.db('content_posts').where({ id }).delete();
  }

  private async newVersion(c: ContentCaller, current: PostView, next: VersionContent, restoredFrom: number | null): Promise<void> {
    await this.check(c, next);
    const entities = extractEntities(textsOf(next));
    const version = current.version + 1;
    await insertVersion(c.db, { accountId: c.accountId, postId: current.id, version, content: next, entities, restoredFrom, authorId: c.actorId });
    await c.db('content_posts')
      .where({ id: current.id })
      .update({ version, title: next.title, approval_status: STATUS_AFTER_EDIT, ...searchColumns(next, entities), updated_at: c.db.fn.now() });
    await this.announce(c, current.id, version, restoredFrom, changedFields(contentOf(current), next));
  }

  private async check(c: ContentCaller, content: VersionContent): Promise<void> {
    assertVariantCount(content);
    const ids = mediaAssetIds(content);
    if (ids.length) await this.media.resolve(c.db, ids);
  }

  private async announce(c: ContentCaller, postId: string, version: number, restoredFrom: number | null, changed: string[]): Promise<void> {
    await this.events.publish<ContentVersionCreatedData>(c.db, {
      type: POST_EVENTS.contentVersionCreated,
      aggregateId: postId,
      subject: `posts/${postId}`,
      data: { postId, version, restoredFrom, authorId: c.actorId, changed },
    });
  }
}

/** What listings filter on, kept on the post row in the form filters compare. */
function searchColumns(content: VersionContent, entities: { hashtags: string[]; mentions: string[] }) {
  return {
    hashtags: entities.hashtags.map(entityKey),
    mentions: entities.mentions.map(entityKey),
    platforms: Object.keys(content.variants),
  };
}
