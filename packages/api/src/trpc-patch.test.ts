/**
 * patches/@trpc%2Fserver@11.25.2.patch replaces the object-spread helper tRPC's build inlines,
 * assigns the plain literals of its per-call spreads, gives a call that is not streamed its
 * request's abort signal, and sends each SSE message as one chunk (patches/README.md). These tests fail if the installed tRPC lacks the patch (an upgrade, an
 * install that skipped it) or if the patched helper ever spreads differently from the language.
 */
import { describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { initTRPC, tracked } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import fc from "fast-check";

const dist = join(dirname(require.resolve("@trpc/server/package.json")), "dist");
const helperModule = join(dist, "getErrorShape-B5jPKHJ3.mjs");
// The chunk exports the helper as `n` (its minified export name in 11.25.2).
const { n: objectSpread2 } = (await import(helperModule)) as {
  n: (target: object, ...sources: unknown[]) => object;
};

/** Everything that makes two objects different: own keys in order, descriptors, prototype. */
const shapeOf = (o: object) => ({
  keys: Reflect.ownKeys(o),
  descriptors: Object.getOwnPropertyDescriptors(o),
  prototype: Object.getPrototypeOf(o),
});

const symbolA = Symbol("a");
const symbolB = Symbol("b");
const key = fc.oneof(
  fc.constantFrom("__proto__", "constructor", "toString", "ctx", "input", "0", "1"),
  fc.string({ maxLength: 6 }),
);
const source = fc
  .tuple(
    fc.dictionary(key, fc.anything({ maxDepth: 1 }), { maxKeys: 8 }),
    fc.option(fc.constantFrom(symbolA, symbolB)),
    fc.boolean(),
  )
  .map(([entries, symbol, hiddenSymbol]) => {
    const object: Record<PropertyKey, unknown> = {};
    // defineProperty, so that a "__proto__" key is an own property as JSON.parse would make it.
    for (const [k, v] of Object.entries(entries)) {
      Object.defineProperty(object, k, {
        value: v,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    if (symbol) {
      Object.defineProperty(object, symbol, {
        value: 1,
        enumerable: !hiddenSymbol,
        configurable: true,
      });
    }
    return object;
  });

describe("tRPC's patched object spread", () => {
  it("is the one installed", () => {
    expect(readFileSync(helperModule, "utf8")).toContain("Boxoffice patch");
    expect(readFileSync(join(dist, "getErrorShape-BAuHhNuh.cjs"), "utf8")).toContain(
      "Boxoffice patch",
    );
  });

  it("assigns the plain literals of a middleware call, a response and a request, in both builds", () => {
    // callRecursive (each middleware level), transformTRPCResponseItem (each response) and
    // fetchRequestHandler (each request's options for resolveResponse).
    for (const file of [
      "initTRPC-DPoVGUwX.mjs",
      "initTRPC-yeYwDikA.cjs",
      "asyncGeneratorDelegate-JWx0LJUD.mjs",
      "asyncGeneratorDelegate-CMdmcplC.cjs",
      "adapters/fetch/index.mjs",
      "adapters/fetch/index.cjs",
    ]) {
      const text = readFileSync(join(dist, file), "utf8");
      expect(text).toContain("Boxoffice patch");
      expect(text).toContain("Object.assign(");
    }
  });

  it("builds by assigning a literal of plain data what defining it built (property)", () => {
    // What the call-site patch relies on: helper(helper({}, a), {}, literal) and
    // Object.assign(helper({}, a), literal) agree for any literal without accessors.
    const literal = fc
      .dictionary(
        fc.constantFrom("meta", "input", "ctx", "next", "getRawInput", "result", "data", "0"),
        fc.anything({ maxDepth: 1 }),
        { maxKeys: 4 },
      )
      .map((entries) => ({ ...entries }));
    fc.assert(
      fc.property(source, literal, (spread, plain) => {
        const defined = objectSpread2(objectSpread2({}, spread), {}, plain);
        const assigned = Object.assign(objectSpread2({}, spread), plain);
        expect(shapeOf(assigned)).toEqual(shapeOf(defined));
      }),
      { numRuns: 500 },
    );
  });

  it("builds exactly what the language's spread and literals build (property)", () => {
    // The compiler emits `{ ...a, ...b }` as helper(helper({}, a), b), spreads at odd positions, and
    // `{ ...a, x }` as helper(helper({}, a), {}, { x }): at an even position, an object whose
    // properties are defined as they are. The oracle is that definition, in the language's terms.
    const oracle = (...sources: object[]) => {
      const target = {};
      for (const [i, s] of sources.entries()) {
        if (i % 2 === 1) {
          Object.defineProperties(target, Object.getOwnPropertyDescriptors(s));
          continue;
        }
        const spread: Record<PropertyKey, unknown> = { ...s };
        for (const k of Reflect.ownKeys(spread)) {
          Object.defineProperty(target, k, {
            value: spread[k],
            writable: true,
            enumerable: true,
            configurable: true,
          });
        }
      }
      return target;
    };
    fc.assert(
      fc.property(fc.array(source, { maxLength: 5 }), (sources) => {
        expect(shapeOf(objectSpread2({}, ...sources))).toEqual(shapeOf(oracle(...sources)));
      }),
      { numRuns: 500 },
    );
  });

  it("copies getters' values, and a non-empty separator exactly", () => {
    let reads = 0;
    const withGetter = {
      get value() {
        reads += 1;
        return reads;
      },
    };
    const spread = objectSpread2({}, withGetter) as { value: number };
    expect(Object.getOwnPropertyDescriptor(spread, "value")).toEqual({
      value: 1,
      writable: true,
      enumerable: true,
      configurable: true,
    });
    const separator = Object.defineProperty({}, "hidden", { value: 2, enumerable: false });
    // An odd position is a spread (own enumerable keys only); an even one is the compiler's
    // separator, whose every property the original helper defined as it is.
    const spreadOnly = objectSpread2({}, separator);
    expect(Object.getOwnPropertyDescriptor(spreadOnly, "hidden")).toBeUndefined();
    const copied = objectSpread2({}, { a: 1 }, separator);
    expect(Object.getOwnPropertyDescriptor(copied, "hidden")).toEqual({
      value: 2,
      writable: false,
      enumerable: false,
      configurable: false,
    });
  });
});

describe("tRPC's patched call signals", () => {
  it("is the one installed, in both builds", () => {
    for (const file of ["resolveResponse-2MBY36PP.mjs", "resolveResponse-CiTYuZCi.cjs"]) {
      const text = readFileSync(join(dist, file), "utf8");
      expect(text).toContain("Boxoffice patch");
      expect(text).toContain("const streamed = ");
    }
  });

  const t = initTRPC.create();
  const seen: AbortSignal[] = [];
  let streamEnded: () => void = () => undefined;
  const router = t.router({
    act: t.procedure.mutation(async ({ signal }) => {
      if (signal) seen.push(signal);
      // Waits until the request is aborted (or a while): what a slow call does.
      await new Promise<void>((resolve) => {
        signal?.addEventListener("abort", () => resolve(), { once: true });
        setTimeout(resolve, 2_000);
      });
      return { aborted: signal?.aborted ?? null };
    }),
    look: t.procedure.query(({ signal }) => {
      if (signal) seen.push(signal);
      return signal?.aborted ?? null;
    }),
    watch: t.procedure.subscription(async function* ({ signal }) {
      if (signal) seen.push(signal);
      try {
        while (!signal?.aborted) {
          yield 1;
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      } finally {
        streamEnded();
      }
    }),
  });
  const handle = (req: Request) =>
    fetchRequestHandler({ endpoint: "/trpc", req, router, allowBatching: true });

  it("aborts a mutation's or a batched query's signal exactly when its request is aborted", async () => {
    seen.length = 0;
    const request = new AbortController();
    const answer = handle(
      new Request("http://local/trpc/act", {
        method: "POST",
        body: "{}",
        headers: { "content-type": "application/json" },
        signal: request.signal,
      }),
    );
    await Bun.sleep(20);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.aborted).toBe(false);
    request.abort(new Error("client gone"));
    expect(seen[0]?.aborted).toBe(true);
    expect((seen[0]?.reason as Error | undefined)?.message).toBe("client gone");
    expect(await (await answer).json()).toEqual({ result: { data: { aborted: true } } });

    const batched = await handle(new Request("http://local/trpc/look,look?batch=1&input={}"));
    expect(await batched.json()).toEqual([
      { result: { data: false } },
      { result: { data: false } },
    ]);
    expect(seen.slice(1).map((s) => s.aborted)).toEqual([false, false]);
  });

  it("still aborts a subscription's signal when its client cancels the stream", async () => {
    seen.length = 0;
    const ended = new Promise<void>((resolve) => (streamEnded = resolve));
    const response = await handle(new Request("http://local/trpc/watch"));
    expect(response.headers.get("content-type")).toStartWith("text/event-stream");
    const reader = response.body?.getReader();
    await reader?.read();
    await reader?.read();
    expect(seen).toHaveLength(1);
    expect(seen[0]?.aborted).toBe(false);
    await reader?.cancel();
    await ended;
    expect(seen[0]?.aborted).toBe(true);
  });
});

describe("tRPC's patched SSE messages", () => {
  it("is the one installed, in both builds", () => {
    for (const file of ["resolveResponse-2MBY36PP.mjs", "resolveResponse-CiTYuZCi.cjs"]) {
      const text = readFileSync(join(dist, file), "utf8");
      expect(text).toContain("controller.enqueue(encoder.encode(");
    }
  });

  /** What the unpatched producer wrote for a message: each line, then the blank line. */
  const unpatched = (message: { event?: string; data?: string; id?: string }) => {
    let out = "";
    if (message.event !== undefined) out += `event: ${message.event}\n`;
    if (message.data !== undefined) out += `data: ${message.data}\n`;
    if (message.id !== undefined) out += `id: ${message.id}\n`;
    return `${out}\n\n`;
  };

  it("writes each message as one chunk of the bytes the unpatched producer wrote (property)", async () => {
    const { sseStreamProducer } = await import("@trpc/server/unstable-core-do-not-import");
    // Any JSON the procedure yields (text with surrogate pairs and lone ones included), with ids
    // or without, and a procedure that ends or fails.
    const id = fc
      .string({ unit: "binary", minLength: 1, maxLength: 8 })
      .filter((v) => !/[\0\n\r]/.test(v));
    const run = fc.record({
      items: fc.array(fc.tuple(fc.jsonValue(), id), { maxLength: 6 }),
      withIds: fc.boolean(),
      fails: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(run, async ({ items, withIds, fails }) => {
        async function* data() {
          for (const [value, key] of items) yield withIds ? tracked(key, value) : value;
          if (fails) throw new Error("the procedure failed");
        }
        const chunks: Uint8Array[] = [];
        const reader = sseStreamProducer({
          data: data(),
          serialize: (v: unknown) => v,
        }).getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          chunks.push(value);
        }
        const expected = [
          unpatched({ event: "connected", data: "{}" }),
          ...items.map(([value, key]) =>
            unpatched({ data: JSON.stringify(value), ...(withIds ? { id: key } : {}) }),
          ),
          fails
            ? unpatched({ event: "serialized-error", data: "null" })
            : unpatched({ event: "return", data: "" }),
        ];
        expect(chunks).toHaveLength(expected.length);
        expect(Buffer.concat(chunks)).toEqual(
          Buffer.from(new TextEncoder().encode(expected.join(""))),
        );
      }),
      { numRuns: 200 },
    );
  });
});
