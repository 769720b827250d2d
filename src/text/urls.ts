/** The URL if it is an absolute http(s) address, otherwise undefined: other schemes never become links. */
export function safeWebUrl(value: string): string | undefined {
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
