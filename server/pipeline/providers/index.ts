import { ProviderError } from "./errors";
import { createGeminiProvider } from "./gemini";
import { createOpenAiProvider } from "./openai";
import { createRulesProvider } from "./rules";
import type { ModelProvider } from "./types";

export type { GenerateOptions, GenerateRequest, MediaPart, ModelProvider, StreamEvent, Usage } from "./types";
export { ProviderError, isProviderError } from "./errors";

export const DEFAULT_GEMINI_MODEL = "gemini-2.5-flash";

/** The fields of server/config.ts Config (or a project's settings) that choose a provider. */
export type ProviderSettings = {
  provider: "rules" | "openai" | "gemini";
  model?: string | undefined;
  openaiBaseUrl?: string | undefined;
  openaiApiKey?: string | undefined;
  geminiApiKey?: string | undefined;
  /** Tests point this at a local server. */
  geminiBaseUrl?: string | undefined;
};

/** Builds the configured provider; a missing setting is a ProviderError (code "config") naming the variable. */
export function createProvider(s: ProviderSettings): ModelProvider {
  switch (s.provider) {
    case "rules":
      return createRulesProvider();
    case "openai":
      if (!s.model) throw new ProviderError("openai", "config", "openai: set MODEL to the model the server serves");
      if (!s.openaiBaseUrl) throw new ProviderError("openai", "config", "openai: set OPENAI_BASE_URL");
      return createOpenAiProvider({ baseUrl: s.openaiBaseUrl, apiKey: s.openaiApiKey, model: s.model });
    case "gemini":
      if (!s.geminiApiKey) throw new ProviderError("gemini", "config", "gemini: set GEMINI_API_KEY");
      return createGeminiProvider({ apiKey: s.geminiApiKey, model: s.model ?? DEFAULT_GEMINI_MODEL, baseUrl: s.geminiBaseUrl });
  }
}

/** From server/config.ts: `providerSettingsFromConfig(config)`. */
export function providerSettingsFromConfig(c: {
  modelProvider: ProviderSettings["provider"];
  model: string | undefined;
  openaiBaseUrl: string;
  openaiApiKey: string | undefined;
  geminiApiKey: string | undefined;
}): ProviderSettings {
  return {
    provider: c.modelProvider,
    model: c.model,
    openaiBaseUrl: c.openaiBaseUrl,
    openaiApiKey: c.openaiApiKey,
    geminiApiKey: c.geminiApiKey,
  };
}
