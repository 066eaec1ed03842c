// The only barrel file: every table of the schema.
export * from "./organisations";
export * from "./access";
export * from "./platforms";
export * from "./hazard-logs";
export * from "./audit";
export * from "./incidents";
export * from "./sign-off";
export * from "./imports";
export * from "./evidence";
