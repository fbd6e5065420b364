import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/** The API server `bun run dev` starts beside Vite; the proxy keeps the app same-origin. */
const api = process.env.BOXOFFICE_API ?? "http://127.0.0.1:3000";

export default defineConfig({
  plugins: [react(), tailwindcss()],
  server: {
    port: 5173,
    // changeOrigin stays false: the server's Origin check compares Origin with the Host it sees.
    proxy: Object.fromEntries(
      ["/trpc", "/exports", "/files", "/wallet", "/mail", "/dev", "/healthz"].map((path) => [
        path,
        { target: api },
      ]),
    ),
  },
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false },
});
