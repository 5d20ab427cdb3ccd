import type { Knex } from 'knex';
import { newestFirst, problems, type Page, type PageRequest } from '@markettina/sdk';
import type { PieceType } from '../contracts.js';
import { newTemplate, patchTemplate, type TemplateFields, type TemplatePatch } from '../domain/templates.js';
import { canonicalLocale, renderTemplate, type RenderOptions } from '../domain/templates-render.js';
import type { TemplateIssue } from '../domain/templates-syntax.js';
import { checkTemplate } from '../domain/templates-validate.js';
import type { TemplateVariable } from '../domain/templates-variables.js';
import type { ContentCaller } from './caller.js';
import { isUuid } from './ids.js';

export interface TemplateView extends TemplateFields {
  id: string;
  /** Variable names the body uses, in order of first use. */
  placeholders: string[];
  warnings: TemplateIssue[];
  createdAt: string;
  updatedAt: string;
}

export interface TemplateFilter {
  contentType?: PieceType;
  platform?: string;
}

interface TemplateRow {
  id: string;
  name: string;
  description: string;
  content_type: PieceType;
  platform: string | null;
  body: string;
  variables: TemplateVariable[];
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = ['id', 'name', 'description', 'content_type', 'platform', 'body', 'variables', 'created_at', 'updated_at'];
const NAME_KEY = 'content_templates_name_key';

function view(r: TemplateRow): TemplateView {
  const check = checkTemplate(r.body, r.variables);
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    contentType: r.content_type,
    platform: r.platform,
    body: r.body,
    variables: r.variables,
    placeholders: check.placeholders,
    warnings: check.warnings,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

const toColumns = (t: TemplateFields) => ({
  name: t.name,
  description: t.description,
  content_type: t.contentType,
  platform: t.platform,
  body: t.body,
  variables: JSON.stringify(t.variables),
});

/** A taken name is a conflict the client can fix, not a database error. */
async function uniqueName<T>(name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if ((err as { code?: string; constraint?: string }).code === '23505' && (err as { constraint?: string }).constraint === NAME_KEY) {
      throw problems.conflict('TEMPLATE_NAME_TAKEN', `a template named "${name}" already exists`, { name });
    }
    throw err;
  }
}

/** Templates of the tenant `db` is bound to. */
export class TemplateStore {
  private select(db: Knex.Transaction) {
    return db('content_templates').select(COLUMNS);
  }

  async get(db: Knex.Transaction, id: string, lock = false): Promise<TemplateView> {
    if (!isUuid(id)) throw problems.notFound('template');
    const q = this.select(db).where({ id });
    const row = (await (lock ? q.forUpdate() : q).first()) as TemplateRow | undefined;
    if (!row) throw problems.notFound('template');
    return view(row);
  }

  async list(db: Knex.Transaction, filter: TemplateFilter, page: PageRequest): Promise<Page<TemplateView>> {
    let q = this.select(db);
    if (filter.contentType) q = q.where({ content_type: filter.contentType });
    if (filter.platform) q = q.where({ platform: filter.platform });
    return newestFirst(q, page, view);
  }

  async create({ db, accountId }: ContentCaller, fields: TemplateFields): Promise<TemplateView> {
    const { state } = newTemplate(fields);
    const [row] = await uniqueName(state.name, () => db('content_templates').insert({ account_id: accountId, ...toColumns(state) }).returning('id') as Promise<{ id: string }[]>);
    return this.get(db, row!.id);
  }

  async update({ db }: ContentCaller, id: string, patch: TemplatePatch): Promise<TemplateView> {
    const current = await this.get(db, id, true);
    const { state } = patchTemplate(current, patch);
    await uniqueName(state.name, () => db('content_templates').where({ id }).update({ ...toColumns(state), updated_at: db.fn.now() }));
    return this.get(db, id);
  }

  async remove({ db }: ContentCaller, id: string): Promise<void> {
    const deleted = isUuid(id) ? await db('content_templates').where({ id }).delete() : 0;
    if (deleted === 0) throw problems.notFound('template');
  }

  async render(db: Knex.Transaction, id: string, values: Record<string, unknown>, options: RenderOptions): Promise<{ text: string; length: number; locale: string }> {
    const template = await this.get(db, id);
    const text = renderTemplate(template.body, template.variables, values, options);
    return { text, length: [...text].length, locale: canonicalLocale(options.locale) };
  }
}
