import { ProviderError } from "./errors";
import { createGeminiProvider } from "./gemini";
import { FRAME_INPUTS, OPENAI_SERVERS, createOpenAiProvider, type FrameInput, type OpenAiServer } from "./openai";
import { createRulesProvider } from "./rules";
import type { ModelProvider } from "./types";

export type { Frame, GenerateOptions, GenerateRequest, MediaPart, MediaSupport, ModelProvider, StreamEvent, Usage, VideoFile } from "./types";
export { ProviderError, isProviderError } from "./errors";
export type { FrameInput, OpenAiServer } from "./openai";

export const DEFAULT_GEMINI_MODEL = "gemini-2.5-flash";


/** The fields of server/config.ts Config (or a project's settings) that choose a provider. */
export type ProviderSettings = {
  provider: "rules" | "openai" | "gemini";
  model?: string | undefined;
  openaiBaseUrl?: string | undefined;
  openaiApiKey?: string | undefined;
  /** Which OpenAI-compatible server (OPENAI_SERVER); inferred from the URL when unset. */
  openaiServer?: OpenAiServer | undefined;
  /** How frames reach an OpenAI-compatible server (FRAME_INPUT); the per-server, per-model table when unset. */
  frameInput?: FrameInput | undefined;
  geminiApiKey?: string | undefined;
  /** Tests point this at a local server. */
  geminiBaseUrl?: string | undefined;
  /** Clips larger than this go through Gemini's Files API (tests lower it). */
  geminiInlineVideoMaxBytes?: number | undefined;
};

/** Builds the configured provider; a missing setting is a ProviderError (code "config") naming the variable. */
export function createProvider(s: ProviderSettings): ModelProvider {
  switch (s.provider) {
    case "rules":
      return createRulesProvider();
    case "openai":
      if (!s.model) throw new ProviderError("openai", "config", "openai: set MODEL to the model the server serves");
      if (!s.openaiBaseUrl) throw new ProviderError("openai", "config", "openai: set OPENAI_BASE_URL");
      return createOpenAiProvider({
        baseUrl: s.openaiBaseUrl,
        apiKey: s.openaiApiKey,
        model: s.model,
        server: s.openaiServer,
        frames: s.frameInput,
      });
    case "gemini":
      if (!s.geminiApiKey) throw new ProviderError("gemini", "config", "gemini: set GEMINI_API_KEY");
      return createGeminiProvider({
        apiKey: s.geminiApiKey,
        model: s.model ?? DEFAULT_GEMINI_MODEL,
        baseUrl: s.geminiBaseUrl,
        inlineVideoMaxBytes: s.geminiInlineVideoMaxBytes,
      });
  }
}

const oneOf = <T extends string>(values: readonly T[], v: unknown): T | undefined => values.find((x) => x === v);

/**
 * From server/config.ts: `providerSettingsFromConfig(config)`. `openaiServer` and `frameInput` are read when the
 * configuration has them (OPENAI_SERVER, FRAME_INPUT); an unknown value is ignored rather than guessed at.
 */
export function providerSettingsFromConfig(c: {
  modelProvider: ProviderSettings["provider"];
  model: string | undefined;
  openaiBaseUrl: string;
  openaiApiKey: string | undefined;
  geminiApiKey: string | undefined;
  openaiServer?: string | undefined;
  frameInput?: string | undefined;
}): ProviderSettings {
  return {
    provider: c.modelProvider,
    model: c.model,
    openaiBaseUrl: c.openaiBaseUrl,
    openaiApiKey: c.openaiApiKey,
    openaiServer: oneOf(OPENAI_SERVERS, c.openaiServer),
    frameInput: oneOf(FRAME_INPUTS, c.frameInput),
    geminiApiKey: c.geminiApiKey,
  };
}
