/**
 * Reads a Prometheus text exposition into `series -> value`, the series spelled as written
 * (`name{label="value",...}`), and checks the lines it does not read are comments.
 */
export function parseExposition(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const space = line.lastIndexOf(" ");
    const value = line.slice(space + 1);
    out.set(line.slice(0, space), value === "+Inf" ? Number.POSITIVE_INFINITY : Number(value));
  }
  return out;
}

/** Scrapes a server's metrics endpoint and parses it; fails on a non-200 answer or a wrong content type. */
export async function scrape(url: string, token?: string): Promise<{ text: string; series: Map<string, number> }> {
  const response = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : undefined);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`scrape ${url}: ${response.status} ${text}`);
  const type = response.headers.get("content-type") ?? "";
  if (!type.startsWith("text/plain; version=0.0.4")) throw new Error(`scrape ${url}: content type ${type}`);
  return { text, series: parseExposition(text) };
}
