/** How a suite reaches the service: `app.request` on Node, `SELF.fetch` inside workerd. */
export type Fetcher = (path: string, init?: RequestInit) => Promise<Response>;

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read JSON bodies loosely at their edge.
  json: any;
}

/** Sends a request and reads the whole reply; `body` objects go as JSON, strings as they are. */
export async function send(
  fetcher: Fetcher,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    init.body = raw;
    init.headers = { 'content-type': 'application/json', ...headers };
  }
  const res = await fetcher(path, init);
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}
