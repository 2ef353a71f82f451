/** An error a view can show as it is: `message` is already in plain words. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    message: string,
    /** HTTP status, or 0 when the server could not be reached. */
    readonly status: number,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

interface OpenAiErrorBody {
  error?: { message?: unknown; code?: unknown; type?: unknown };
}

/** Turns an OpenAI-shaped error body (`{"error":{"message","code"}}`) into plain words. */
export function errorFromResponse(status: number, bodyText: string): ApiError {
  let message: string | null = null;
  let code: string | null = null;
  try {
    const body = JSON.parse(bodyText) as OpenAiErrorBody;
    if (typeof body.error?.message === 'string' && body.error.message.trim() !== '') message = body.error.message;
    if (typeof body.error?.code === 'string') code = body.error.code;
  } catch {
    // Not JSON: fall through to the status-based wording.
  }
  if (status === 401) {
    return new ApiError(
      'Switchyard refused the dashboard’s admin key. Open the dashboard again with the link that `switchyard serve` printed (it ends with #key=…).',
      status,
      code ?? 'admin_key_refused',
    );
  }
  if (message) return new ApiError(message, status, code);
  if (status === 404) return new ApiError('Switchyard does not know this action. Is the dashboard newer than the server?', status, code);
  if (status >= 500) return new ApiError(`Switchyard ran into an internal error (HTTP ${status}). Its log has the details.`, status, code);
  return new ApiError(`Switchyard answered with HTTP ${status}.`, status, code);
}

export function unreachable(origin: string): ApiError {
  return new ApiError(`Cannot reach Switchyard at ${origin}. Is \`switchyard serve\` (or the app) still running?`, 0, 'unreachable');
}

/** Electron wraps errors thrown by IPC handlers as "Error invoking remote method 'x': Error: …". */
export function plainIpcError(error: unknown): ApiError {
  const raw = error instanceof Error ? error.message : String(error);
  const message = raw.replace(/^Error invoking remote method '[^']*':\s*/, '').replace(/^(\w*Error):\s*/, '');
  return new ApiError(message || 'Something went wrong inside Switchyard.', 0, null);
}

/** Plain words for anything a call may throw. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}
