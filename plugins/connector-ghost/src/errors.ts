import type { HttpResponse } from '@markettina/sdk';

/** One entry of Ghost's error body `{ errors: [{ message, context, type, property, code, ... }] }`. */
export interface GhostError {
  message: string;
  context: string | null;
  type: string | null;
  property?: string | null;
  code?: string | null;
}

export function ghostError(res: HttpResponse): GhostError | undefined {
  try {
    const first = (JSON.parse(res.text()) as { errors?: GhostError[] })?.errors?.[0];
    return typeof first?.message === 'string' ? first : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Ghost's words for a refusal. Its message is often generic ("Validation error, cannot save
 * post."), and the context says what was wrong; the type names the kind (ValidationError).
 */
export function reason(res: HttpResponse): string | undefined {
  const err = ghostError(res);
  if (!err) return undefined;
  const words = err.context && !err.message.includes(err.context) ? `${err.message} ${err.context}` : err.message;
  return err.type ? `${words} [${err.type}]` : words;
}
