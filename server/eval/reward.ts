/**
 * Yes/no reward accuracy: one answer per line in each file. A line may be plain text ("Yes", "no.", "Yes — the
 * caption is right") or a JSON record of our reward-yesno export (the assistant's last message is the answer).
 */

export type Answer = "yes" | "no";

export function answerOf(line: string): Answer | null {
  let text = line.trim();
  if (text.startsWith("{")) {
    try {
      const parsed: unknown = JSON.parse(text);
      const messages = parsed && typeof parsed === "object" && "messages" in parsed && Array.isArray(parsed.messages) ? (parsed.messages as unknown[]) : [];
      const last = messages.at(-1);
      text = last && typeof last === "object" && "content" in last && typeof last.content === "string" ? last.content.trim() : "";
    } catch {
      return null;
    }
  }
  const first = /^[\s"'“‘(*[]*([a-z]+)/i.exec(text)?.[1]?.toLowerCase();
  return first === "yes" || first === "no" ? first : null;
}

export type RewardAccuracy = {
  total: number;
  correct: number;
  accuracy: number;
  /** Predictions that are neither yes nor no (counted as wrong). */
  invalid: number;
  /** Reference yes / no counts, and the confusion of valid predictions. */
  refYes: number;
  refNo: number;
  truePositive: number;
  trueNegative: number;
  falsePositive: number;
  falseNegative: number;
};

export function rewardAccuracy(predictions: readonly string[], references: readonly string[]): RewardAccuracy {
  if (predictions.length !== references.length) {
    throw new Error(`--pred has ${predictions.length} lines, --ref has ${references.length}: they must match.`);
  }
  const r: RewardAccuracy = { total: 0, correct: 0, accuracy: 0, invalid: 0, refYes: 0, refNo: 0, truePositive: 0, trueNegative: 0, falsePositive: 0, falseNegative: 0 };
  references.forEach((refLine, i) => {
    const ref = answerOf(refLine);
    if (!ref) throw new Error(`--ref line ${i + 1} is neither yes nor no: "${refLine.slice(0, 80)}"`);
    const pred = answerOf(predictions[i] ?? "");
    r.total++;
    if (ref === "yes") r.refYes++;
    else r.refNo++;
    if (!pred) {
      r.invalid++;
      return;
    }
    if (pred === ref) r.correct++;
    if (pred === "yes" && ref === "yes") r.truePositive++;
    else if (pred === "no" && ref === "no") r.trueNegative++;
    else if (pred === "yes") r.falsePositive++;
    else r.falseNegative++;
  });
  r.accuracy = r.total ? r.correct / r.total : 0;
  return r;
}
