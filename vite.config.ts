import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// One config for the client build and the three test projects:
// node (server, shared, spec), jsdom (client components), browser (Playwright + Chromium, end to end).
export default defineConfig({
  root: "client",
  plugins: [react()],
  build: { outDir: "../dist/client", emptyOutDir: true },
  server: {
    proxy: {
      "/api": "http://127.0.0.1:3000",
      "/collab": { target: "ws://127.0.0.1:3000", ws: true },
    },
  },
  test: {
    root: ".",
    projects: [
      {
        extends: true,
        test: {
          name: "node",
          root: ".",
          environment: "node",
          include: ["server/**/*.test.ts", "shared/**/*.test.ts", "spec/**/*.test.ts", "bench/**/*.test.ts"],
          globalSetup: ["server/testing/globalSetup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: "jsdom",
          root: ".",
          environment: "jsdom",
          include: ["client/**/*.test.ts", "client/**/*.test.tsx"],
        },
      },
      {
        extends: true,
        test: {
          name: "browser",
          root: ".",
          environment: "node",
          include: ["tests/browser/**/*.test.ts"],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
