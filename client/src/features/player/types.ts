/**
 * What a stage panel may ask of the task page's video player. Panels receive this instead of the <video>
 * element so the player can change (custom controls, frame stepping) without touching every panel.
 */
export type PlayerHandle = {
  currentTime(): number;
  seek(seconds: number): void;
  /** Seconds; null until known (metadata not loaded and not stored for the video). */
  duration: number | null;
  /** Frames per second; null when unknown. */
  fps: number | null;
  paused(): boolean;
};
