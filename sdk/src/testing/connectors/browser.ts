import { get } from 'node:http';

/**
 * Plays the tenant's browser at a fake's authorize endpoint: requests the URL and returns
 * where the fake redirects to (the redirect_uri with `code` and `state`). Fakes approve at
 * once, answering 302/303 with a Location header.
 */
export function followAuthorization(url: string): Promise<URL> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      res.resume();
      const location = res.headers.location;
      if (!res.statusCode || res.statusCode < 300 || res.statusCode > 303 || !location) {
        return reject(new Error(`the fake's authorize endpoint must approve at once and redirect; it answered ${res.statusCode}`));
      }
      resolve(new URL(location));
    }).on('error', reject);
  });
}
