// Moved to shared/timecode.ts (the room, exports and the server count frames the same way); kept for importers.
export { formatDuration, formatFps, formatTimecode } from "../../../../shared/timecode";
