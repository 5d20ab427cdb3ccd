/**
 * Every error a client can see is a ProblemError: it renders as RFC 9457 problem+json
 * with a stable `code` that clients may switch on. Codes never change meaning.
 */
export interface ProblemInit {
  status: number;
  code: string;
  title: string;
  detail?: string;
  /** Extra members added to the problem document (RFC 9457 §3.2). */
  extensions?: Record<string, unknown>;
  headers?: Record<string, string>;
}

export class ProblemError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly extensions: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(init: ProblemInit) {
    super(init.detail ?? init.title);
    this.name = 'ProblemError';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail;
    this.extensions = init.extensions ?? {};
    this.headers = init.headers ?? {};
  }
}

export const isProblemError = (e: unknown): e is ProblemError => e instanceof ProblemError;

/** Shorthands for the problems plugins raise most often. */
export const problems = {
  notFound: (what = 'resource', detail?: string) =>
    new ProblemError({ status: 404, code: 'NOT_FOUND', title: `${what} not found`, detail }),
  conflict: (code: string, detail: string, extensions?: Record<string, unknown>) =>
    new ProblemError({ status: 409, code, title: 'Conflict', detail, extensions }),
  invalid: (code: string, detail: string, extensions?: Record<string, unknown>) =>
    new ProblemError({ status: 422, code, title: 'Unprocessable content', detail, extensions }),
  badRequest: (code: string, detail: string, extensions?: Record<string, unknown>) =>
    new ProblemError({ status: 400, code, title: 'Bad request', detail, extensions }),
  forbidden: (detail: string, code = 'FORBIDDEN') =>
    new ProblemError({ status: 403, code, title: 'Forbidden', detail }),
  unauthorized: (detail: string, code = 'UNAUTHENTICATED') =>
    new ProblemError({
      status: 401,
      code,
      title: 'Unauthenticated',
      detail,
      headers: { 'www-authenticate': 'Bearer' },
    }),
};

/**
 * Raised at boot for mistakes in plugin code or deployment configuration. The message
 * always names the plugin and says how to fix it.
 */
export class PluginError extends Error {
  readonly code: string;
  readonly pluginId: string | undefined;
  constructor(code: string, message: string, pluginId?: string) {
    super(message);
    this.name = 'PluginError';
    this.code = code;
    this.pluginId = pluginId;
  }
}
