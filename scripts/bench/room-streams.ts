/**
 * Many live `room.status` streams at once, as real SSE connections over plain TCP sockets: Bun's
 * fetch runs at most a few hundred requests at a time (and the typed client's EventSource rides
 * on fetch), while a buyer's browser holds one connection each. Each socket sends the GET that
 * `httpSubscriptionLink` sends and reads the chunked `text/event-stream` it gets back.
 */
import { readFileSync } from "node:fs";

export interface StatusMessage {
  readonly state: string;
  readonly position: number | null;
  readonly queueLength: number;
  readonly admissionToken?: string;
  readonly soldOut: boolean;
}

export interface StatusStream {
  /** The last status received, or null before the first. */
  readonly last: StatusMessage | null;
  readonly messages: number;
  readonly closed: boolean;
  /** The status line of an answer that was not a stream (the stream is then closed). */
  readonly refused: string | null;
  /** Bytes received so far. */
  readonly bytes: number;
  close(): void;
}

/** The soft limit on open files of this process (children inherit it), or null if unknown. */
export function openFilesLimit(): number | null {
  try {
    const line = readFileSync("/proc/self/limits", "utf8")
      .split("\n")
      .find((l) => l.startsWith("Max open files"));
    const soft = line?.split(/\s{2,}/)[1];
    return soft && /^\d+$/.test(soft) ? Number(soft) : null;
  } catch {
    return null;
  }
}

/** CPU time of a process (all its threads), in milliseconds, from /proc; null where unknown. */
export function cpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime (fields 14 and 15 of the whole line) in clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/**
 * Opens one SSE stream of `path` (with its query) on `url`, authenticated by `token`; `onStatus`
 * sees every data message, parsed. Resolves once the socket is connected.
 */
export async function openStatusStream(
  url: string,
  path: string,
  token: string,
  onStatus: (status: StatusMessage, stream: StatusStream) => void,
): Promise<StatusStream> {
  const { hostname, port, host } = new URL(url);
  let head = true;
  let raw = "";
  let events = "";
  const stream = {
    last: null as StatusMessage | null,
    messages: 0,
    closed: false,
    refused: null as string | null,
    bytes: 0,
    close: () => socket.end(),
  };
  const onEvent = (block: string) => {
    let data: string | null = null;
    for (const line of block.split("\n")) {
      if (line.startsWith("event:") && line.slice(6).trim() !== "message") return;
      if (line.startsWith("data:")) data = line.slice(line[5] === " " ? 6 : 5);
    }
    if (!data) return;
    const parsed = JSON.parse(data) as StatusMessage | { data: StatusMessage };
    const status = "data" in parsed ? parsed.data : parsed;
    stream.last = status;
    stream.messages += 1;
    onStatus(status, stream);
  };
  // Chunked transfer encoding, decoded as latin1 so that a character is a byte.
  const onBytes = (text: string) => {
    raw += text;
    stream.bytes += text.length;
    if (head) {
      const end = raw.indexOf("\r\n\r\n");
      if (end < 0) return;
      if (!raw.startsWith("HTTP/1.1 200")) {
        stream.refused = raw.slice(0, raw.indexOf("\r\n"));
        socket.end();
        return;
      }
      raw = raw.slice(end + 4);
      head = false;
    }
    for (;;) {
      const line = raw.indexOf("\r\n");
      if (line < 0) return;
      const size = Number.parseInt(raw.slice(0, line), 16);
      if (raw.length < line + 2 + size + 2) return;
      events += raw.slice(line + 2, line + 2 + size);
      raw = raw.slice(line + 2 + size + 2);
      let end = events.indexOf("\n\n");
      while (end >= 0) {
        onEvent(events.slice(0, end));
        events = events.slice(end + 2).replace(/^\n+/, "");
        end = events.indexOf("\n\n");
      }
    }
  };
  const socket = await Bun.connect({
    hostname,
    port: Number(port),
    socket: {
      data: (_socket, bytes) => onBytes(Buffer.from(bytes).toString("latin1")),
      close: () => {
        stream.closed = true;
      },
      error: () => {
        stream.closed = true;
      },
    },
  });
  socket.write(
    `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nAccept: text/event-stream\r\n` +
      `Authorization: Bearer ${token}\r\n\r\n`,
  );
  return stream;
}
