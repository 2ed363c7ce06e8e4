import type { Config } from "../config";
import type { ProjectSettings } from "../db/schema/media";
import { createProvider, providerSettingsFromConfig, type ModelProvider, type ProviderSettings } from "../pipeline/providers";

const PROVIDERS: readonly ProviderSettings["provider"][] = ["rules", "openai", "gemini"];

/** The project's provider and model over the configured ones (MODEL_PROVIDER, MODEL and the keys stay in config). */
export function providerForProject(config: Config, settings: ProjectSettings): ModelProvider {
  const base = providerSettingsFromConfig(config);
  const chosen = PROVIDERS.find((p) => p === settings.provider);
  const s: ProviderSettings = chosen ? { ...base, provider: chosen, model: settings.model ?? (chosen === base.provider ? base.model : undefined) } : base;
  if (!chosen && settings.model) s.model = settings.model;
  return createProvider(s);
}

/** The project's best-of-N setting, bounded. */
export const bestOfNSetting = (settings: ProjectSettings) =>
  Math.max(1, Math.min(8, Math.floor(typeof settings.bestOfN === "number" && Number.isFinite(settings.bestOfN) ? settings.bestOfN : 1)));
