/**
 * A place where one plugin accepts contributions from others (the social plugin accepts
 * connectors). The owner declares the point; other plugins `extend` it; the owner reads
 * the collected extensions through `ctx.extensions(point)`.
 */
export interface ExtensionPointRef<T> {
  readonly id: string;
  /** Checks one contribution at boot; throw with a message that says what is wrong. */
  readonly validate?: (extension: T) => void;
  readonly __type?: T;
}

export function createExtensionPointRef<T>(options: {
  id: string;
  validate?: (extension: T) => void;
}): ExtensionPointRef<T> {
  return Object.freeze({ id: options.id, validate: options.validate });
}
