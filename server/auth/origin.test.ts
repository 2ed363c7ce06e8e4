import { describe, expect, it } from "vitest";
import { testConfig } from "../testing/testConfig";
import { isAllowedOrigin } from "./origin";

describe("isAllowedOrigin", () => {
  const config = testConfig({ allowedOrigins: ["https://studio.example.com"] });

  it("allows the request's own host and configured origins", () => {
    expect(isAllowedOrigin(config, "http://localhost:3000", "localhost:3000")).toBe(true);
    expect(isAllowedOrigin(config, "https://studio.example.com", "10.0.0.5:3000")).toBe(true);
  });

  it("allows a missing Origin (non-browser clients)", () => {
    expect(isAllowedOrigin(config, undefined, "localhost:3000")).toBe(true);
  });

  it("refuses other origins, other ports, opaque and malformed origins", () => {
    expect(isAllowedOrigin(config, "https://evil.example", "localhost:3000")).toBe(false);
    expect(isAllowedOrigin(config, "http://localhost:4000", "localhost:3000")).toBe(false);
    expect(isAllowedOrigin(config, "http://studio.example.com", "localhost:3000")).toBe(false);
    expect(isAllowedOrigin(config, "null", "localhost:3000")).toBe(false);
    expect(isAllowedOrigin(config, "not a url", "localhost:3000")).toBe(false);
  });
});
