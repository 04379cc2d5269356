// The drizzle-kit schema entry: one file per aggregate, re-exported here for the client and migrations.
export * from "./tenants";
export * from "./users";
export * from "./audit";
export * from "./outbox";
export * from "./reservations";
export * from "./line";
export * from "./line-richmenu";
export * from "./usage";
export * from "./billing";
export * from "./reminder-rules";
export * from "./reminders";
export * from "./onboarding";
export * from "./two-factor";
export * from "./friend-snapshots";
export * from "./broadcasts";
export * from "./password-resets";
export * from "./reservation-links";
