export * from "./people";
export * from "./media";
export * from "./tasks";
export * from "./collab";
export * from "./pipeline";
export * from "./review";
export * from "./training";
export * from "./limits";
