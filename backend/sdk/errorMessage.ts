/** Text for anything a handler threw: an Error's message, else the thrown value itself as text. */
export function errorMessage(error: unknown): string {
  return (error as Error | null | undefined)?.message ?? String(error);
}
