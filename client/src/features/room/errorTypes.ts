import { ERROR_TYPE_LABELS, ERROR_TYPES, type ErrorType } from "../../../../shared/domain";

/** One colour per error type: the timeline bar, the span underline and the list chip agree. */
export const ERROR_COLOURS: Record<ErrorType, string> = {
  hallucination: "#d6336c",
  wrong_term: "#e8590c",
  missing_information: "#7048e8",
  left_right: "#1c7ed6",
  temporal_order: "#0ca678",
  subjective_language: "#f59f00",
  other: "#748194",
};

export const ERROR_TYPE_OPTIONS = ERROR_TYPES.map((t) => ({ value: t, label: ERROR_TYPE_LABELS[t], colour: ERROR_COLOURS[t] }));
