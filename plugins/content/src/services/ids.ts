const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether `id` can name a row. A malformed id names nothing: the stores answer 404 without
 * asking PostgreSQL, which would fail the whole transaction on a bad uuid.
 */
export const isUuid = (id: string): boolean => UUID.test(id);
