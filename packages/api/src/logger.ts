/** Structured one-line JSON logs; the only sink is stdout/stderr. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

function serialize(fields: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!fields) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] =
      value instanceof Error
        ? { name: value.name, message: value.message, stack: value.stack }
        : value;
  }
  return out;
}

export function createLogger(options: { silent?: boolean } = {}): Logger {
  const write =
    (level: string, stream: "log" | "error") =>
    (message: string, fields?: Record<string, unknown>) => {
      if (options.silent && level !== "error") return;
      console[stream](
        JSON.stringify({ time: new Date().toISOString(), level, message, ...serialize(fields) }),
      );
    };
  return {
    info: write("info", "log"),
    warn: write("warn", "error"),
    error: write("error", "error"),
  };
}
