/** Scenario 0's server: plain Bun.serve and a fixed JSON body, the floor under every other row. */
const body = JSON.stringify({ result: { data: { ok: true } } });
const server = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  fetch: () => new Response(body, { headers: { "content-type": "application/json" } }),
});
console.log(`Bare server is listening on http://127.0.0.1:${server.port}`);
process.on("SIGTERM", () => {
  server.stop(true);
  process.exit(0);
});
