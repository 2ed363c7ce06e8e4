import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// One config for the client build and the four test projects: node (server, shared, spec), jsdom (client
// components), scaleout (three processes behind HAProxy), browser (Playwright + Chromium, end to end).
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
        // Three real server processes behind HAProxy (tests/scaleout): one file, run on its own in `npm test`.
        extends: true,
        test: {
          name: "scaleout",
          root: ".",
          environment: "node",
          include: ["tests/scaleout/**/*.test.ts"],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
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
