// The drizzle-kit schema entry: one file per aggregate, re-exported here for the client and migrations.
export * from "./tenants";
export * from "./users";
export * from "./audit";
export * from "./outbox";
export * from "./reservations";
export * from "./line";
export * from "./line-richmenu";
export * from "./usage";
export * from "./broadcasts";
