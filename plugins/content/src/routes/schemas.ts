import { uuid, type JsonSchema } from '@markettina/sdk';

/** Response schemas of the problems a route can answer; every route lists its own. */
export const problem = { $ref: 'Problem#' } as const;
export const errors = (...statuses: number[]): Record<number, typeof problem> => Object.fromEntries(statuses.map((s) => [s, problem]));

export const noContent = { 204: { type: 'null', description: 'Done' } } as const;

/** Path parameters that are ids. */
export const params = (...names: string[]): JsonSchema => ({
  type: 'object',
  properties: Object.fromEntries(names.map((n) => [n, uuid])),
  required: names,
  additionalProperties: false,
});

/** The same schema that also accepts null. */
export const nullable = <T extends { type: string }>(schema: T) => ({ ...schema, type: [schema.type, 'null'] });

export const nullableUuid = nullable(uuid);
export const nullableString = { type: ['string', 'null'] } as const;
export const nullableTimestamp = { type: ['string', 'null'], format: 'date-time' } as const;

export const platform = { type: 'string', pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$', maxLength: 64, description: 'A connector id, e.g. mastodon' } as const;
