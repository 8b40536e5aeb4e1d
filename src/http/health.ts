/** `1d 2h 3m 4s`, leading zero units dropped, as Sockeon's `uptime_human`. */
export function humanUptime(seconds: number): string {
  const units: Array<[string, number]> = [
    ["d", 86400],
    ["h", 3600],
    ["m", 60],
  ];
  const parts: string[] = [];
  let rest = Math.max(0, Math.floor(seconds));
  for (const [name, size] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || parts.length > 0) parts.push(`${n}${name}`);
  }
  parts.push(`${rest}s`);
  return parts.join(" ");
}

/** Sockeon's health document: `{status: "healthy", timestamp, server: {clients, uptime, uptime_human}}`. */
export function healthDocument(clients: number, uptime: number): Record<string, unknown> {
  return {
    status: "healthy",
    timestamp: Math.floor(Date.now() / 1000),
    server: { clients, uptime, uptime_human: humanUptime(uptime) },
  };
}
